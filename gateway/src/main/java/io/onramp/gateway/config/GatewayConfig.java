package io.onramp.gateway.config;

import io.onramp.gateway.provisioning.RefusalThrottle;
import io.onramp.gateway.provisioning.TpmChallenges;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.gateway.transport.ConnectionLimits;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** conf/onramp.yaml as immutable records, validated once by {@link ConfigLoader}. */
public record GatewayConfig(
        String idScope,
        Path dataDir,
        ListenConfig listen,
        TlsConfig tls,
        List<AccessPolicy> accessPolicies,
        List<HubConfig> hubs,
        AllocationPolicyKind allocationPolicy,
        AllocationWebhookConfig allocationWebhook,
        Map<String, List<String>> allocationLocations,
        List<EnrollmentGroup> enrollmentGroups,
        List<IndividualEnrollment> individualEnrollments,
        List<CaCertificateConfig> caCertificates,
        TpmConfig tpm,
        ConnectionsConfig connections,
        RefusalsConfig refusedAttestations,
        Map<String, String> secretOrigins) {

    public GatewayConfig {
        secretOrigins = Map.copyOf(secretOrigins);
        allocationLocations = Map.copyOf(allocationLocations);
        caCertificates = List.copyOf(caCertificates);
        accessPolicies = List.copyOf(accessPolicies);
        hubs = List.copyOf(hubs);
        enrollmentGroups = List.copyOf(enrollmentGroups);
        individualEnrollments = List.copyOf(individualEnrollments);
    }

    /**
     * A key as the start banner may show it: in full when it is written in the config file, else where it
     * came from ({@code <from env NAME>}, {@code <from file PATH>}): env and file exist to keep keys out of
     * what gets shared, and stdout goes to journals and log stores.
     */
    public String shownKey(String key) {
        String origin = secretOrigins.get(key);
        return origin == null ? key : "<from " + origin + ">";
    }

    /**
     * {@code allocation.webhook: { timeoutSeconds, caCertificate }}: how the custom allocation policy calls the
     * webhooks its enrollments name (dps-service-api 12.4): the longest a call may take, connecting included, and the
     * CA certificates an https webhook's certificate must chain to (null: the JVM's trust store).
     */
    public record AllocationWebhookConfig(Duration timeout, Path caCertificate) {
        public static final AllocationWebhookConfig DEFAULTS = new AllocationWebhookConfig(Duration.ofSeconds(10), null);
    }

    /**
     * TPM attestation (dps-device-protocol 5.6): how long a challenge waits for the device's signed request, and
     * how many may wait at once (beyond that a new challenge is refused with 429001 until some end).
     */
    public record TpmConfig(Duration challengeTimeout, int maxPendingChallenges) {
        public static final TpmConfig DEFAULTS = new TpmConfig(TpmChallenges.DEFAULT_TIMEOUT,
                TpmChallenges.DEFAULT_MAX_PENDING);
    }

    /**
     * {@code connections: { max, perAddress }}: connections held at once over every listener, and from one
     * client address. {@code max} null means derived from the JVM's heap and file descriptor limit.
     */
    public record ConnectionsConfig(Integer max, int perAddress) {
        public static final ConnectionsConfig DEFAULTS = new ConnectionsConfig(null, ConnectionLimits.DEFAULT_PER_ADDRESS);

        public ConnectionLimits limits() {
            return ConnectionLimits.resolve(max, perAddress);
        }
    }

    /**
     * {@code refusedAttestations: { burst, perSecond }}: refusals one client address may run up before its attempts
     * are answered 429001 unchecked, and how many it earns back a second ({@link RefusalThrottle}); burst 0: no limit.
     */
    public record RefusalsConfig(int burst, int perSecond) {
        public static final RefusalsConfig DEFAULTS = new RefusalsConfig(100, 20);

        public RefusalThrottle throttle() {
            return new RefusalThrottle(burst, perSecond);
        }
    }

    /**
     * Where the gateway listens; a port of 0 picks a free one (tests), -1 turns a listener off.
     * {@code mqtt} is plaintext MQTT for trusted networks and benchmarks, off unless set. Every
     * listener binds each of {@code addresses} (one address, or several: e.g. one per hub, since the
     * SDKs dial a hub's host name on the fixed port 8883).
     */
    public record ListenConfig(List<String> addresses, int https, int mqtts, int amqps, int mqtt) {
        public static final String DEFAULT_ADDRESS = "0.0.0.0";
        public static final int DEFAULT_HTTPS = 443;
        public static final int DEFAULT_MQTTS = 8883;
        public static final int DEFAULT_AMQPS = 5671;
        public static final int DEFAULT_MQTT = -1;

        public ListenConfig {
            addresses = List.copyOf(addresses);
        }

        /** The first bind address: where the DPS endpoint is announced. */
        public String address() {
            return addresses.get(0);
        }
    }

    /**
     * The server certificate chain and key; both null means "make them under dataDir/tls on first
     * start", with {@code hostNames} as the SANs of the self-made certificate.
     */
    public record TlsConfig(Path certificate, Path privateKey, List<String> hostNames, Engine engine,
            List<String> cipherSuites) {

        /**
         * TLS 1.2 with forward secrecy and authenticated encryption only, as Azure IoT Hub recommends (its
         * minimum-TLS-1.2 suites, with ChaCha20 for devices without AES instructions), and TLS 1.3's own.
         */
        public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

        public TlsConfig {
            hostNames = List.copyOf(hostNames);
            cipherSuites = List.copyOf(cipherSuites.isEmpty() ? DEFAULT_CIPHER_SUITES : cipherSuites);
        }

        public TlsConfig(Path certificate, Path privateKey, List<String> hostNames, Engine engine) {
            this(certificate, privateKey, hostNames, engine, List.of());
        }

        /**
         * The TLS implementation of every listener. {@code engine} null (not configured) means
         * OpenSSL when netty-tcnative's BoringSSL loads on this platform, else the JDK's (logged);
         * a configured {@code openssl} that does not load stops start-up.
         */
        public enum Engine {
            OPENSSL, JDK;

            public static Engine fromWire(String text) {
                return switch (text) {
                    case "openssl" -> OPENSSL;
                    case "jdk" -> JDK;
                    default -> throw new IllegalArgumentException("unknown TLS engine '" + text + "' (use openssl or jdk)");
                };
            }
        }

        public boolean selfMade() {
            return certificate == null;
        }
    }

    /**
     * A CA certificate from the config file (dps-service-api §11), read-only through the admin API.
     * {@code verified} is verification on upload: whoever writes the file vouches for the key. The
     * CRL, when given, revokes certificates this CA issued; it is re-read when {@code crlFile} changes.
     *
     * @param crlFile the CRL file, or null for none
     * @param crl     the CRL read at load time (checked to be this CA's), or null
     */
    public record CaCertificateConfig(String name, X509Certificate certificate, boolean verified, Path crlFile,
            X509CRL crl) {}

    /** A shared access policy of the service API (SAS, skn = name). */
    public record AccessPolicy(String name, String primaryKey, String secondaryKey, List<Right> rights) {
        public AccessPolicy {
            rights = List.copyOf(rights);
        }
    }

    public enum Right {
        ServiceConfig, EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite
    }

    /** A hub hosted by this gateway's broker. */
    /**
     * A hub devices may be assigned to: hosted by this gateway (with the {@code iothubowner} key its
     * service side is signed with), or elsewhere, another Onramp or an Azure IoT Hub, reached through
     * its registry REST API ({@code remote}, from a connection string; {@code ownerKey} is then null).
     */
    public record HubConfig(String name, String hostName, int weight, boolean applyAllocationPolicy, String ownerKey,
            RemoteHub remote, String location, UpstreamConfig upstream) {

        public HubConfig(String name, String hostName, int weight, boolean applyAllocationPolicy, String ownerKey,
                RemoteHub remote, String location) {
            this(name, hostName, weight, applyAllocationPolicy, ownerKey, remote, location, null);
        }

        public HubConfig(String name, String hostName, int weight, boolean applyAllocationPolicy, String ownerKey) {
            this(name, hostName, weight, applyAllocationPolicy, ownerKey, null, null);
        }

        public HubConfig(String name, String hostName, int weight, boolean applyAllocationPolicy, String ownerKey,
                RemoteHub remote) {
            this(name, hostName, weight, applyAllocationPolicy, ownerKey, remote, null);
        }

        public boolean hosted() {
            return remote == null;
        }

        /** Whether an operator naming a hub by {@code nameOrHostName} means this one (the config keeps both unique). */
        public boolean isCalled(String nameOrHostName) {
            return nameOrHostName.equalsIgnoreCase(hostName) || nameOrHostName.equalsIgnoreCase(name);
        }
    }

    /**
     * {@code hubs[].upstream}: the MQTT broker a hub hosted here forwards its devices' telemetry to, store and forward
     * through an outbox on disk of at most {@code outboxBytes}; each message published at QoS 1 on {@code topicPrefix}
     * followed by the topic a local consumer gets it on (properties in its bag). {@code certificate} and {@code
     * privateKey}: PEM files of a client certificate (chain) and its key, for a broker that authenticates clients by
     * certificate; null for none. {@code iotHubDeviceId} and {@code iotHubDeviceKey}: the upstream is an IoT hub (Azure
     * IoT Hub, another Onramp) given by a device connection string; the hub forwards as that device, signing its own
     * SAS tokens; null for a plain MQTT broker. {@code maxMessageBytes}: the largest message the upstream takes
     * (topic and body; an IoT hub's 256 KiB as it counts them), 0 for no known limit: a larger one is dropped rather
     * than sent, since a broker refuses it by closing the connection, at every try.
     */
    public record UpstreamConfig(String host, int port, boolean tls, String clientId, String userName, String password,
            Path caCertificate, Path certificate, Path privateKey, String topicPrefix, long outboxBytes,
            String iotHubDeviceId, String iotHubDeviceKey, int maxMessageBytes) {

        /** Whether the upstream is an IoT hub the gateway forwards to as one of its devices. */
        public boolean iotHub() {
            return iotHubDeviceId != null;
        }

        /** {@code mqtt://host:port} or {@code mqtts://host:port}: what logs name it by. */
        public String address() {
            return (tls ? "mqtts://" : "mqtt://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        /** Without the password, which a record would print. */
        @Override
        public String toString() {
            return "UpstreamConfig[" + address() + ", clientId=" + clientId + ", userName=" + userName + ", topicPrefix="
                    + topicPrefix + ", outboxBytes=" + outboxBytes + ", iotHubDeviceId=" + iotHubDeviceId + "]";
        }
    }

    /**
     * A hub elsewhere: its connection string {@code HostName=…;SharedAccessKeyName=…;SharedAccessKey=…}
     * and, when its server certificate is not signed by a CA the JVM trusts (another Onramp's own CA),
     * the PEM file of that CA. {@code port} is where its registry API listens: 443, as for every IoT Hub,
     * unless the HostName says another ({@code HostName=127.0.0.1:8443}, an Onramp extension for a linked
     * Onramp whose HTTPS listener is not on 443); {@code hostName} is the name alone, as tokens and
     * registrations name the hub.
     */
    public record RemoteHub(String hostName, String keyName, String key, Path caCertificate, int port) {

        public static final int DEFAULT_PORT = 443;

        public RemoteHub(String hostName, String keyName, String key, Path caCertificate) {
            this(hostName, keyName, key, caCertificate, DEFAULT_PORT);
        }

        /** {@code host} or, on a port other than 443, {@code host:port}: as the connection string gave it. */
        public String address() {
            return port == DEFAULT_PORT ? hostName : hostName + ":" + port;
        }

        /** Parses a connection string; the message of the exception says what is wrong with it. */
        public static RemoteHub parse(String connectionString, Path caCertificate) {
            ConnectionString parts = ConnectionString.parse(connectionString);
            String keyName = parts.get("SharedAccessKeyName");
            String key = parts.get("SharedAccessKey");
            if (parts.get("HostName") == null || keyName == null || key == null) {
                throw new IllegalArgumentException("give HostName=…;SharedAccessKeyName=…;SharedAccessKey=…");
            }
            io.onramp.certs.sas.SymmetricKeys.decode(key);
            return new RemoteHub(parts.host(), keyName, key, caCertificate, parts.port(DEFAULT_PORT));
        }
    }
}
