package io.onramp.gateway.config;

import io.onramp.certs.pem.PemReader;
import io.onramp.gateway.config.GatewayConfig.UpstreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A hosted hub's {@code upstream}: the MQTT broker its telemetry is forwarded to. Problems are reported on the nodes,
 * as the rest of {@link ConfigLoader} reports them.
 */
final class UpstreamSection {

    static final int DEFAULT_OUTBOX_MEGABYTES = 1024;
    /** What an IoT hub takes at most, body and properties (hub-device-protocol 3.4). */
    static final int IOT_HUB_MAX_MESSAGE_BYTES = 256 * 1024;

    private UpstreamSection() {
    }

    /**
     * {@code upstream: { url, clientId, userName, password, caCertificate, certificate, privateKey, topicPrefix,
     * outboxMegabytes }}; null when the hub has none. {@code hubName} makes the default client ID.
     */
    static UpstreamConfig read(ConfigNode hub, String hubName, SecretResolver secrets, Path workingDir) {
        ConfigNode node = hub.field("upstream");
        if (node.isMissing()) {
            return null;
        }
        if (!node.isObject()) {
            node.problem("must be an object, e.g. { url: mqtts://broker.example.com:8883 }");
            return null;
        }
        node.allowOnly(Set.of("url", "clientId", "userName", "password", "caCertificate", "certificate", "privateKey",
                "topicPrefix", "outboxMegabytes", "connectionString", "maxMessageBytes"));
        if (node.has("connectionString")) {
            return iotHub(node, secrets, workingDir);
        }
        String url = node.text("url");
        URI uri = url == null ? null : parse(node.field("url"), url);
        String clientId = node.optText("clientId", "onramp-" + hubName);
        if (clientId.isEmpty() || clientId.length() > 65_535) {
            node.field("clientId").problem("must be 1 to 65,535 characters");
        }
        String userName = node.optText("userName", null);
        String password = secrets.resolve(node.field("password"));
        if (password != null && userName == null) {
            node.field("password").problem("needs userName (MQTT 3.1.1 sends no password without a user name)");
        }
        String topicPrefix = node.optText("topicPrefix", "");
        if (topicPrefix.indexOf('+') >= 0 || topicPrefix.indexOf('#') >= 0 || topicPrefix.indexOf('\0') >= 0) {
            node.field("topicPrefix").problem("must not hold the wildcards + or #");
        }
        int megabytes = node.integer("outboxMegabytes", DEFAULT_OUTBOX_MEGABYTES, 1, 1 << 20);
        int maxMessageBytes = node.integer("maxMessageBytes", 0, 0, Integer.MAX_VALUE);
        Path ca = CertificateFile.read(node, "caCertificate", workingDir);
        Path certificate = CertificateFile.read(node, "certificate", workingDir);
        Path privateKey = privateKey(node, workingDir, certificate != null);
        if (uri == null) {
            return null;
        }
        boolean tls = "mqtts".equals(uri.getScheme());
        for (String field : new String[] {"caCertificate", "certificate"}) {
            if (node.has(field) && !tls) {
                node.field(field).problem("applies to an mqtts:// url only");
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new UpstreamConfig(host, port, tls, clientId, userName, password, ca, certificate, privateKey,
                topicPrefix, (long) megabytes << 20, null, null, maxMessageBytes);
    }

    private static Path privateKey(ConfigNode node, Path workingDir, boolean certificateGiven) {
        String name = node.optText("privateKey", null);
        if (name == null || !certificateGiven) {
            if (name != null || certificateGiven) {
                node.field(name == null ? "privateKey" : "certificate").problem("is required with "
                        + (name == null ? "certificate" : "privateKey") + " (a client certificate and its key)");
            }
            return null;
        }
        Path file = workingDir.resolve(name).normalize();
        try {
            PemReader.readPrivateKey(file);
        } catch (RuntimeException e) {
            node.field("privateKey").problem("cannot read a private key from " + file + ": " + e.getMessage());
        }
        return file;
    }

    /**
     * {@code upstream: { connectionString: "HostName=…;DeviceId=…;SharedAccessKey=…", caCertificate, outboxMegabytes }}:
     * an IoT hub (Azure IoT Hub, another Onramp) the hub forwards to as that device, over MQTT on 8883 (or the port
     * HostName gives, as for linked hubs).
     */
    private static UpstreamConfig iotHub(ConfigNode node, SecretResolver secrets, Path workingDir) {
        for (String field : new String[] {"url", "clientId", "userName", "password", "topicPrefix", "certificate",
                "privateKey", "maxMessageBytes"}) {
            if (node.has(field)) {
                node.field(field).problem("does not go with connectionString (an IoT hub device's)");
            }
        }
        int megabytes = node.integer("outboxMegabytes", DEFAULT_OUTBOX_MEGABYTES, 1, 1 << 20);
        Path ca = CertificateFile.read(node, "caCertificate", workingDir);
        String connectionString = secrets.resolve(node.field("connectionString"));
        if (connectionString == null) {
            return null;
        }
        ConnectionString parts;
        String host;
        int port;
        try {
            parts = ConnectionString.parse(connectionString);
            host = parts.get("HostName") == null ? null : parts.host();
            port = parts.port(8883);
        } catch (IllegalArgumentException e) {
            node.field("connectionString").problem(e.getMessage());
            return null;
        }
        String deviceId = parts.get("DeviceId");
        String key = parts.get("SharedAccessKey");
        if (host == null || deviceId == null || key == null) {
            node.field("connectionString").problem("give a device's HostName=…;DeviceId=…;SharedAccessKey=…");
            return null;
        }
        if (parts.has("ModuleId") || parts.has("x509")) {
            node.field("connectionString").problem("a device's connection string with SharedAccessKey only (no"
                    + " ModuleId, no x509)");
            return null;
        }
        try {
            io.onramp.certs.sas.SymmetricKeys.decode(key);
        } catch (RuntimeException e) {
            node.field("connectionString").problem("SharedAccessKey: " + e.getMessage());
            return null;
        }
        return new UpstreamConfig(host, port, true, deviceId, host + "/" + deviceId + "/?api-version=2021-04-12", null,
                ca, null, null, "", (long) megabytes << 20, deviceId, key, IOT_HUB_MAX_MESSAGE_BYTES);
    }

    private static URI parse(ConfigNode node, String url) {
        try {
            URI uri = new URI(url);
            if (!"mqtt".equals(uri.getScheme()) && !"mqtts".equals(uri.getScheme())) {
                node.problem("must start with mqtt:// or mqtts://, e.g. mqtts://broker.example.com:8883");
                return null;
            }
            if (uri.getHost() == null || uri.getUserInfo() != null || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getQuery() != null || uri.getFragment() != null) {
                node.problem("give a host and optionally a port only, e.g. mqtts://broker.example.com:8883"
                        + " (user name and password have fields of their own)");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            node.problem("is not a URL: " + e.getReason());
            return null;
        }
    }
}
