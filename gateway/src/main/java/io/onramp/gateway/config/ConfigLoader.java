package io.onramp.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.x509.Crls;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.cacert.CaCertificateNames;
import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.config.GatewayConfig.ListenConfig;
import io.onramp.gateway.config.GatewayConfig.RemoteHub;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.config.GatewayConfig.ConnectionsConfig;
import io.onramp.gateway.config.GatewayConfig.RefusalsConfig;
import io.onramp.gateway.config.GatewayConfig.TpmConfig;
import io.onramp.gateway.enrollment.EnrollmentReader;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads conf/onramp.yaml into {@link GatewayConfig}, failing closed: any problem aborts with a
 * message naming the field. Relative paths resolve against the directory Onramp runs in.
 */
public final class ConfigLoader {

    /**
     * A key twice in one mapping is refused: YAML parsers otherwise keep the last value without a word. So is content
     * after the first mapping: with the first line indented ({@code "  idScope: ..."}) the file's first mapping ends
     * there, and without this the rest (hubs, enrollments, policies) was dropped without a word and the file valid.
     */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ID_SCOPE = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Set<String> TOP = Set.of("idScope", "dataDir", "listen", "tls", "accessPolicies",
            "hubs", "allocation", "enrollmentGroups", "individualEnrollments", "caCertificates", "tpm",
            "connections", "refusedAttestations");
    /** Azure's limit of CA certificates per instance (dps-service-api §14); the config's count toward it. */
    public static final int MAX_CA_CERTIFICATES = 25;

    private final Map<String, String> environment;
    private final Path workingDir;

    public ConfigLoader(Map<String, String> environment, Path workingDir) {
        this.environment = environment;
        this.workingDir = workingDir;
    }

    public static ConfigLoader forThisProcess() {
        return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath());
    }

    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the file: " + IoReasons.of(e)));
        }
        return parse(file.toString(), text);
    }

    public GatewayConfig parse(String source, String yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(YamlErrors.describe(e)));
        }
        ConfigNode root = ConfigNode.root(tree);
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("must be a YAML mapping of settings"));
        }
        GatewayConfig config = read(root.allowOnly(TOP));
        if (!root.problems().isEmpty()) {
            throw new ConfigException(source, root.problems());
        }
        return config;
    }

    private GatewayConfig read(ConfigNode root) {
        SecretResolver secrets = new SecretResolver(environment, workingDir);
        String idScope = root.text("idScope");
        if (idScope != null && !ID_SCOPE.matcher(idScope).matches()) {
            root.field("idScope").problem("must be 1 to 32 letters or digits, e.g. 0ne00000001");
        }
        Path dataDir = workingDir.resolve(root.optText("dataDir", "./data")).normalize();
        checkDataDir(root.field("dataDir"), dataDir);
        List<HubConfig> hubs = hubs(root, secrets);
        EnrollmentReader enrollments = new EnrollmentReader(secrets, EnrollmentSource.CONFIG);
        List<EnrollmentGroup> groups = new ArrayList<>();
        for (ConfigNode item : root.list("enrollmentGroups")) {
            enrollments.group(item).ifPresent(g -> groups.add(g.withHubs(staticHub(item, g, hubs), allowedHubs(item, g, hubs))));
        }
        List<IndividualEnrollment> individuals = new ArrayList<>();
        for (ConfigNode item : root.list("individualEnrollments")) {
            enrollments.individual(item).ifPresent(e -> individuals.add(e.withHubs(staticHub(item, e, hubs),
                    allowedHubs(item, e, hubs))));
        }
        unique(root, "enrollmentGroups", groups.stream().map(g -> RegistrationIds.key(g.enrollmentGroupId())).toList());
        unique(root, "individualEnrollments",
                individuals.stream().map(e -> RegistrationIds.key(e.registrationId())).toList());
        return new GatewayConfig(idScope, dataDir, listen(root.field("listen")), tls(root.field("tls")),
                accessPolicies(root, secrets), hubs, AllocationSection.policy(root),
                AllocationSection.webhook(root, workingDir), AllocationSection.locations(root, hubs), groups, individuals,
                caCertificates(root), tpm(root.field("tpm")), connections(root.field("connections")),
                refusedAttestations(root.field("refusedAttestations")), secrets.origins());
    }

    /**
     * The data directory is made at start, not here (the other commands load this file too): here a file in
     * its way is reported; a directory that cannot be made is reported by the start, naming dataDir as well.
     */
    private static void checkDataDir(ConfigNode node, Path dataDir) {
        for (Path path = dataDir; path != null; path = path.getParent()) {
            if (Files.exists(path)) {
                if (!Files.isDirectory(path)) {
                    node.problem("cannot create " + dataDir + ": " + path + " is a file, not a directory");
                }
                return;
            }
        }
    }

    /** A name the server certificate can carry (IP literal or DNS name): tls.hostNames and hub host names. */
    private static boolean sanName(ConfigNode node, String name) {
        try {
            LocalPki.checkHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return false;
        }
    }

    /** {@code tpm: { challengeTimeoutSeconds, maxPendingChallenges }}, both optional. */
    private static TpmConfig tpm(ConfigNode node) {
        node.allowOnly(Set.of("challengeTimeoutSeconds", "maxPendingChallenges"));
        TpmConfig defaults = TpmConfig.DEFAULTS;
        int timeout = node.integer("challengeTimeoutSeconds", (int) defaults.challengeTimeout().toSeconds(), 1, 86_400);
        int max = node.integer("maxPendingChallenges", defaults.maxPendingChallenges(), 1, 10_000_000);
        return new TpmConfig(Duration.ofSeconds(timeout), max);
    }

    /** {@code connections: { max, perAddress }}, both optional (README: "Connection limits"). */
    private static ConnectionsConfig connections(ConfigNode node) {
        node.allowOnly(Set.of("max", "perAddress"));
        ConnectionsConfig defaults = ConnectionsConfig.DEFAULTS;
        Integer max = node.has("max") ? Integer.valueOf(node.integer("max", 0, 1, 10_000_000)) : defaults.max();
        return new ConnectionsConfig(max, node.integer("perAddress", defaults.perAddress(), 1, 10_000_000));
    }

    /** {@code refusedAttestations: { burst, perSecond }}, both optional (README: "Connection limits"). */
    private static RefusalsConfig refusedAttestations(ConfigNode node) {
        node.allowOnly(Set.of("burst", "perSecond"));
        RefusalsConfig defaults = RefusalsConfig.DEFAULTS;
        return new RefusalsConfig(node.integer("burst", defaults.burst(), 0, 10_000_000),
                node.integer("perSecond", defaults.perSecond(), 1, 10_000_000));
    }

    /**
     * An enrollment names its hubs by host name or by the hub's name; downstream (static allocation, iotHubs,
     * X.509 group hubs) compares host names, so a name is resolved here. A hub that is not configured could
     * never be assigned: say so at start-up.
     */
    private static String staticHub(ConfigNode item, Enrollment enrollment, List<HubConfig> hubs) {
        String named = enrollment.iotHubHostName();
        return named == null ? null : hostNameOf(item.field("iotHubHostName"), named, hubs);
    }

    private static List<String> allowedHubs(ConfigNode item, Enrollment enrollment, List<HubConfig> hubs) {
        return enrollment.iotHubs().stream().map(named -> hostNameOf(item.field("iotHubs"), named, hubs)).distinct()
                .toList();
    }

    /** The host name of the hub called {@code named}; reported when there is none. */
    private static String hostNameOf(ConfigNode node, String named, List<HubConfig> hubs) {
        for (HubConfig hub : hubs) {
            if (hub.hostName() != null && hub.isCalled(named)) {
                return hub.hostName();
            }
        }
        node.problem("'" + named + "' is not one of the configured hubs");
        return named;
    }

    /** {@code caCertificates}: name, certificate file, optional {@code verified} and {@code crl} file. */
    private List<CaCertificateConfig> caCertificates(ConfigNode root) {
        List<CaCertificateConfig> cas = new ArrayList<>();
        for (ConfigNode item : root.list("caCertificates")) {
            item.allowOnly(Set.of("name", "certificate", "verified", "crl"));
            String name = item.text("name");
            if (name != null && !CaCertificateNames.valid(name)) {
                item.field("name").problem(CaCertificateNames.RULE);
            }
            boolean verified = item.bool("verified", false);
            String file = item.text("certificate");
            X509Certificate certificate = file == null ? null : caCertificate(item.field("certificate"), workingDir.resolve(file));
            Path crlFile = item.has("crl") ? workingDir.resolve(item.text("crl")) : null;
            X509CRL crl = null;
            if (crlFile != null && certificate != null) {
                try {
                    crl = Crls.read(crlFile);
                    TrustedCa.of(certificate).withCrl(crl);
                } catch (RuntimeException e) {
                    item.field("crl").problem(e.getMessage());
                }
            }
            if (name != null && certificate != null) {
                cas.add(new CaCertificateConfig(name, certificate, verified, crlFile, crl));
            }
        }
        if (cas.size() > MAX_CA_CERTIFICATES) {
            root.field("caCertificates").problem("at most " + MAX_CA_CERTIFICATES + " CA certificates per instance");
        }
        unique(root, "caCertificates", cas.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        return cas;
    }

    /** One CA certificate (basicConstraints CA) from a PEM file. */
    private static X509Certificate caCertificate(ConfigNode node, Path file) {
        List<X509Certificate> certificates;
        try {
            certificates = PemReader.readCertificates(file);
        } catch (RuntimeException e) {
            node.problem("cannot read a certificate from " + file + ": " + e.getMessage());
            return null;
        }
        if (certificates.size() != 1) {
            node.problem(file + " must hold exactly one certificate, not " + certificates.size());
            return null;
        }
        if (certificates.get(0).getBasicConstraints() < 0) {
            node.problem(file + " is not a CA certificate (basicConstraints)");
            return null;
        }
        return certificates.get(0);
    }

    private static ListenConfig listen(ConfigNode node) {
        node.allowOnly(Set.of("address", "https", "mqtts", "amqps", "mqtt"));
        List<String> addresses = new ArrayList<>();
        ConfigNode address = node.field("address");
        if (address.isMissing()) {
            addresses.add(ListenConfig.DEFAULT_ADDRESS);
        } else {
            List<ConfigNode> items = address.isText() ? List.of(address) : node.list("address");
            for (ConfigNode item : items) {
                String text = item.asText();
                if (text != null && ListenAddresses.check(item, text)) {
                    addresses.add(text);
                }
            }
            if (items.isEmpty() && address.raw().isArray()) {
                address.problem("must name at least one address");
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(ListenConfig.DEFAULT_ADDRESS); // a problem was reported: this only keeps the record whole
        }
        return new ListenConfig(addresses,
                node.integer("https", ListenConfig.DEFAULT_HTTPS, -1, 65535),
                node.integer("mqtts", ListenConfig.DEFAULT_MQTTS, -1, 65535),
                node.integer("amqps", ListenConfig.DEFAULT_AMQPS, -1, 65535),
                node.integer("mqtt", ListenConfig.DEFAULT_MQTT, -1, 65535));
    }

    private TlsConfig tls(ConfigNode node) {
        node.allowOnly(Set.of("certificate", "privateKey", "hostNames", "engine", "cipherSuites"));
        String certificate = node.optText("certificate", null);
        String privateKey = node.optText("privateKey", null);
        if ((certificate == null) != (privateKey == null)) {
            node.problem("give both 'certificate' and 'privateKey', or neither (then a CA and server certificate are made)");
        }
        Path certificateFile = certificate == null ? null : workingDir.resolve(certificate);
        Path keyFile = privateKey == null ? null : workingDir.resolve(privateKey);
        if (certificateFile != null && keyFile != null) {
            ServerTlsFiles.check(node, certificateFile, keyFile);
        }
        List<String> hostNames = new ArrayList<>();
        for (ConfigNode item : node.list("hostNames")) {
            String name = item.asText();
            if (name != null && sanName(item, name)) {
                hostNames.add(name);
            }
        }
        if (hostNames.isEmpty()) {
            hostNames = List.of("localhost", "127.0.0.1");
        }
        return new TlsConfig(certificateFile, keyFile, hostNames, node.parse("engine", TlsConfig.Engine::fromWire, null),
                CipherSuites.check(node));
    }

    private static List<AccessPolicy> accessPolicies(ConfigNode root, SecretResolver secrets) {
        List<AccessPolicy> policies = new ArrayList<>();
        for (ConfigNode item : root.list("accessPolicies")) {
            item.allowOnly(Set.of("name", "primaryKey", "secondaryKey", "rights"));
            String name = item.text("name");
            String primary = key(item, "primaryKey", secrets, true);
            String secondary = key(item, "secondaryKey", secrets, false);
            List<Right> rights = new ArrayList<>();
            for (ConfigNode right : item.list("rights")) {
                String text = right.asText();
                try {
                    rights.add(Right.valueOf(text));
                } catch (IllegalArgumentException | NullPointerException e) {
                    right.problem("unknown right '" + text + "' (allowed: " + List.of(Right.values()) + ")");
                }
            }
            if (rights.isEmpty()) {
                item.field("rights").problem("give at least one right");
            }
            policies.add(new AccessPolicy(name, primary, secondary, rights));
        }
        unique(root, "accessPolicies", policies.stream().map(AccessPolicy::name).toList());
        return policies;
    }

    private List<HubConfig> hubs(ConfigNode root, SecretResolver secrets) {
        List<HubConfig> hubs = new ArrayList<>();
        List<ConfigNode> items = root.list("hubs");
        for (ConfigNode item : items) {
            item.allowOnly(Set.of("name", "hostName", "weight", "applyAllocationPolicy", "ownerKey", "connectionString",
                    "caCertificate", "location", "upstream"));
            int weight = item.integer("weight", 1, 0, 1000);
            boolean apply = item.bool("applyAllocationPolicy", true);
            String location = item.optText("location", null);
            if (item.has("connectionString")) {
                HubConfig remote = remoteHub(item, secrets, weight, apply, location);
                hubs.add(remote);
                if (remote.hostName() != null) {
                    sanName(item.field("hostName"), remote.hostName());
                }
                continue;
            }
            String hostName = item.text("hostName");
            if (hostName != null) {
                sanName(item.field("hostName"), hostName);
            }
            String name = item.optText("name", hostName);
            if (item.has("caCertificate")) {
                item.field("caCertificate").problem("applies to a hub given by connectionString only");
            }
            // Required for a hub hosted here: its service side (and `onramp devices`) authenticate with it.
            if (!item.has("ownerKey")) {
                item.field("ownerKey").problem("is required (or give connectionString for a hub hosted elsewhere)");
            }
            String ownerKey = key(item, "ownerKey", secrets, false);
            hubs.add(new HubConfig(name, hostName, weight, apply, ownerKey, null, location,
                    UpstreamSection.read(item, name, secrets, workingDir)));
        }
        unique(root, "hubs", hubs.stream().map(h -> h.hostName() == null ? null : h.hostName().toLowerCase(Locale.ROOT)).toList());
        checkHubNames(items, hubs);
        return hubs;
    }

    /**
     * Enrollments, {@code token --hub} and the banner name a hub by its name or its host name: each must pick
     * one hub, so no name twice, and no name that is another hub's host name.
     */
    private static void checkHubNames(List<ConfigNode> items, List<HubConfig> hubs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hubs.size(); i++) {
            String name = hubs.get(i).name();
            if (name == null) {
                continue;
            }
            ConfigNode node = items.get(i).field("name");
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                node.problem("'" + name + "' appears more than once: give each hub its own name");
                continue;
            }
            for (int j = 0; j < hubs.size(); j++) {
                if (j != i && name.equalsIgnoreCase(hubs.get(j).hostName())) {
                    node.problem("'" + name + "' is the host name of hubs[" + j + "]: give this hub another name");
                }
            }
        }
    }

    /** A hub elsewhere, reached through its registry REST API with the connection string's policy and key. */
    private HubConfig remoteHub(ConfigNode item, SecretResolver secrets, int weight, boolean apply, String location) {
        if (item.has("ownerKey")) {
            item.field("ownerKey").problem("give ownerKey (a hub hosted here) or connectionString (a hub elsewhere), not both");
        }
        if (item.has("upstream")) {
            item.field("upstream").problem("applies to a hub hosted here only: the hub elsewhere forwards its own telemetry");
        }
        String connectionString = secrets.resolve(item.field("connectionString"));
        String ca = item.optText("caCertificate", null);
        RemoteHub remote = null;
        if (connectionString != null) {
            try {
                remote = RemoteHub.parse(connectionString, ca == null ? null : workingDir.resolve(ca));
            } catch (IllegalArgumentException e) {
                item.field("connectionString").problem(e.getMessage());
            }
        }
        String hostName = item.optText("hostName", remote == null ? null : remote.hostName());
        if (remote != null && !remote.hostName().equalsIgnoreCase(hostName)) {
            item.field("hostName").problem("differs from the HostName of the connection string (" + remote.hostName() + ")");
        }
        return new HubConfig(item.optText("name", hostName), hostName, weight, apply, null, remote, location);
    }

    /** A base64 key of 16 to 64 bytes, inline or from a file or the environment. */
    static String key(ConfigNode item, String field, SecretResolver secrets, boolean required) {
        ConfigNode node = item.field(field);
        if (node.isMissing()) {
            if (required) {
                node.problem("is required");
            }
            return null;
        }
        return secrets.symmetricKey(node);
    }

    private static void unique(ConfigNode root, String list, List<String> keys) {
        Set<String> seen = new HashSet<>();
        for (String key : keys) {
            if (key != null && !seen.add(key)) {
                root.field(list).problem("'" + key + "' appears more than once");
            }
        }
    }
}
