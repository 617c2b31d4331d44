package io.onramp.gateway.config;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import java.nio.file.Path;
import java.util.List;

/** conf/onramp.yaml as immutable records, validated once by {@link ConfigLoader}. */
public record GatewayConfig(
        String idScope,
        Path dataDir,
        ListenConfig listen,
        TlsConfig tls,
        List<AccessPolicy> accessPolicies,
        List<HubConfig> hubs,
        AllocationPolicyKind allocationPolicy,
        List<EnrollmentGroup> enrollmentGroups,
        List<IndividualEnrollment> individualEnrollments) {

    public GatewayConfig {
        accessPolicies = List.copyOf(accessPolicies);
        hubs = List.copyOf(hubs);
        enrollmentGroups = List.copyOf(enrollmentGroups);
        individualEnrollments = List.copyOf(individualEnrollments);
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
    public record TlsConfig(Path certificate, Path privateKey, List<String> hostNames) {
        public TlsConfig {
            hostNames = List.copyOf(hostNames);
        }

        public boolean selfMade() {
            return certificate == null;
        }
    }

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
    public record HubConfig(String name, String hostName, int weight, boolean applyAllocationPolicy, String ownerKey) {}
}
