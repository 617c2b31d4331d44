package io.onramp.gateway.hub;

import io.onramp.broker.hub.HubException;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig.RemoteHub;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client of a hub's registry REST API (hub-device-protocol.md 6.3), signed as the service SDKs
 * sign: a fresh SAS token per request for {@code sr=<hub host>} with the policy name as {@code skn}.
 * Refusals come back as {@link HubException} with the hub's status and error code.
 */
public final class HubRestClient implements AutoCloseable {

    static final String API_VERSION = "2021-04-12";
    private static final int HTTPS_PORT = 443;
    private static final long TOKEN_LIFETIME_SECONDS = 3600;
    private static final long REQUEST_TIMEOUT_SECONDS = 30;

    private final HttpClient http;
    private final Clock clock;
    private final String hostName;
    private final String keyName;
    private final byte[] key;
    private final SocketAddress server;

    /**
     * @param caCertificate the CA to trust (PEM), or null for the JVM's trust store
     * @param server        where to connect, or null for the hub's host name on 443
     */
    public HubRestClient(Vertx vertx, Clock clock, String hostName, String keyName, String base64Key, Path caCertificate,
            SocketAddress server) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setConnectTimeout(10_000).setIdleTimeout(60);
        if (caCertificate != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(caCertificate.toString()));
        }
        this.http = vertx.createHttpClient(options);
        this.clock = clock;
        this.hostName = hostName;
        this.keyName = keyName;
        this.key = SymmetricKeys.decode(base64Key);
        this.server = server == null ? SocketAddress.inetSocketAddress(HTTPS_PORT, hostName) : server;
    }

    /** A client of a hub given by connection string in the config (a linked hub). */
    public static HubRestClient linked(Vertx vertx, Clock clock, RemoteHub remote) {
        return new HubRestClient(vertx, clock, remote.hostName(), remote.keyName(), remote.key(), remote.caCertificate(),
                SocketAddress.inetSocketAddress(remote.port(), remote.hostName()));
    }

    public String hostName() {
        return hostName;
    }

    /** A 2xx answer: its body (empty for 204) and its headers. */
    public record Reply(Buffer body, MultiMap headers) {}

    /** Sends a request; answers the body of a 2xx response (empty for 204). */
    public Future<Buffer> send(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        return exchange(method, path, body, headers).map(Reply::body);
    }

    /** Sends a request; answers a 2xx response with its headers (paging tokens come in them). */
    public Future<Reply> exchange(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        String token = SasTokenSigner.sign(hostName, clock.instant().getEpochSecond() + TOKEN_LIFETIME_SECONDS, key, keyName);
        RequestOptions request = new RequestOptions().setMethod(method).setServer(server).setHost(hostName)
                .setPort(server.port()).setURI(path + (path.contains("?") ? "&" : "?") + "api-version=" + API_VERSION)
                .putHeader("Authorization", token).putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        return http.request(request)
                .compose(req -> body == null ? req.send()
                        : req.putHeader("Content-Type", "application/json; charset=utf-8").send(body.toBuffer()))
                .compose(response -> response.body().map(bytes -> {
                    if (response.statusCode() / 100 != 2) {
                        throw error(response.statusCode(), bytes);
                    }
                    return new Reply(bytes, response.headers());
                }))
                // A deadline on the future rather than RequestOptions.setTimeout, whose timer races
                // the connection pool in Vert.x and can then leave the request's future incomplete.
                .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** A device ID as one path segment: IoT Hub's device IDs may hold {@code # ? % $ '} and more. */
    public static String segment(String deviceId) {
        return URLEncoder.encode(deviceId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Future<JsonObject> json(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        return send(method, path, body, headers).map(JsonObject::new);
    }

    /** The hub's error body ({@code {"Message":"ErrorCode:DeviceNotFound;…"}}) as a HubException. */
    static HubException error(int status, Buffer body) {
        String code = "Http" + status;
        String message = "The hub answered " + status + ".";
        try {
            String text = new JsonObject(body).getString("Message");
            if (text != null && text.startsWith("ErrorCode:")) {
                int semicolon = text.indexOf(';');
                code = semicolon < 0 ? text.substring(10) : text.substring(10, semicolon);
                message = semicolon < 0 ? message : text.substring(semicolon + 1);
            } else if (text != null) {
                message = text;
            }
        } catch (DecodeException | ClassCastException e) {
            // not an IoT Hub error body: the status says it all
        }
        return new HubException(status, code, message);
    }

    @Override
    public void close() {
        http.close();
    }
}
