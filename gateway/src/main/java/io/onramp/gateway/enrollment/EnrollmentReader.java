package io.onramp.gateway.enrollment;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.enrollment.Attestation;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.InitialTwin;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.RegistrationIds;
import io.onramp.policy.enrollment.ReprovisionPolicy;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads enrollments in the shape of the DPS service API (dps-service-api.md section 4), from YAML or
 * JSON alike. Problems are reported on the node with their field path; a broken enrollment yields
 * empty.
 */
public final class EnrollmentReader {

    private static final Set<String> COMMON = Set.of("attestation", "capabilities", "iotHubHostName",
            "initialTwin", "etag", "provisioningStatus", "reprovisionPolicy", "createdDateTimeUtc",
            "lastUpdatedDateTimeUtc", "allocationPolicy", "iotHubs");
    private static final Set<String> INDIVIDUAL = union(COMMON,
            Set.of("registrationId", "deviceId", "registrationState", "optionalDeviceInformation"));
    private static final Set<String> GROUP = union(COMMON, Set.of("enrollmentGroupId"));

    private final SecretResolver secrets;
    private final EnrollmentSource source;

    public EnrollmentReader(SecretResolver secrets, EnrollmentSource source) {
        this.secrets = secrets;
        this.source = source;
    }

    public Optional<IndividualEnrollment> individual(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(INDIVIDUAL);
        String registrationId = id(node, "registrationId");
        String deviceId = node.optText("deviceId", null);
        if (deviceId != null && (deviceId.isEmpty() || deviceId.length() > 128)) {
            node.field("deviceId").problem("must be 1 to 128 characters");
        }
        Common c = common(node);
        if (node.problems().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new IndividualEnrollment(registrationId, deviceId, c.attestation, c.iotHubHostName,
                c.iotHubs, c.initialTwin, c.status, c.allocationPolicy, c.reprovisionPolicy, c.iotEdge, c.etag, c.created,
                c.updated, source));
    }

    public Optional<EnrollmentGroup> group(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(GROUP);
        String groupId = id(node, "enrollmentGroupId");
        Common c = common(node);
        if (node.problems().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new EnrollmentGroup(groupId, c.attestation, c.iotHubHostName, c.iotHubs, c.initialTwin,
                c.status, c.allocationPolicy, c.reprovisionPolicy, c.iotEdge, c.etag, c.created, c.updated, source));
    }

    private record Common(Attestation attestation, String iotHubHostName, List<String> iotHubs,
            InitialTwin initialTwin, ProvisioningStatus status, AllocationPolicyKind allocationPolicy,
            ReprovisionPolicy reprovisionPolicy, boolean iotEdge, String etag, Instant created, Instant updated) {}

    private Common common(ConfigNode node) {
        ConfigNode capabilities = node.field("capabilities").allowOnly(Set.of("iotEdge"));
        ConfigNode reprovision = node.field("reprovisionPolicy")
                .allowOnly(Set.of("updateHubAssignment", "migrateDeviceData"));
        // Server-owned fields: kept when reading back from the store, otherwise they start now.
        Instant created = node.parse("createdDateTimeUtc", EnrollmentReader::instant, Instant.now());
        ReprovisionPolicy reprovisionPolicy = reprovision.isMissing() ? ReprovisionPolicy.DEFAULT
                : new ReprovisionPolicy(reprovision.bool("updateHubAssignment", true),
                        reprovision.bool("migrateDeviceData", true));
        return new Common(attestation(node.field("attestation")), node.optText("iotHubHostName", null),
                node.textList("iotHubs"), initialTwin(node.field("initialTwin")),
                node.parse("provisioningStatus", ProvisioningStatus::fromWire, ProvisioningStatus.ENABLED),
                node.parse("allocationPolicy", AllocationPolicyKind::fromWire, null), reprovisionPolicy,
                capabilities.bool("iotEdge", false), node.optText("etag", null), created,
                node.parse("lastUpdatedDateTimeUtc", EnrollmentReader::instant, created));
    }

    private Attestation attestation(ConfigNode node) {
        if (node.isMissing()) {
            node.problem("is required");
            return null;
        }
        node.allowOnly(Set.of("type", "symmetricKey", "x509", "tpm"));
        String type = node.text("type");
        if (!"symmetricKey".equals(type)) {
            if (type != null) {
                node.field("type").problem("'" + type + "' is not supported yet (supported: symmetricKey)");
            }
            return null;
        }
        ConfigNode keys = node.field("symmetricKey").allowOnly(Set.of("primaryKey", "secondaryKey"));
        String primary = secrets.symmetricKey(keys.field("primaryKey"));
        String secondary = secrets.symmetricKey(keys.field("secondaryKey"));
        if (primary == null && !keys.field("primaryKey").isMissing()) {
            return null;
        }
        if (primary == null) {
            // The service API generates missing keys (section 10); a config file must name its key.
            primary = SymmetricKeys.generate();
            secondary = secondary == null ? SymmetricKeys.generate() : secondary;
            if (source == EnrollmentSource.CONFIG) {
                keys.field("primaryKey").problem("is required in the config file");
            }
        }
        return new SymmetricKeyAttestation(primary, secondary);
    }

    private static InitialTwin initialTwin(ConfigNode node) {
        if (node.isMissing()) {
            return InitialTwin.EMPTY;
        }
        node.allowOnly(Set.of("tags", "properties"));
        ConfigNode properties = node.field("properties").allowOnly(Set.of("desired"));
        return new InitialTwin(withoutMetadata(node.jsonObject("tags")),
                withoutMetadata(properties.jsonObject("desired")));
    }

    /** $-prefixed keys ($version, $metadata) are metadata: accepted and dropped (spec 4.6). */
    private static Map<String, Object> withoutMetadata(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.keySet().removeIf(k -> k.startsWith("$"));
        return copy;
    }

    private static String id(ConfigNode node, String field) {
        String id = node.text(field);
        if (id != null && !RegistrationIds.isValid(id)) {
            node.field(field).problem("'" + id + "' is not a valid ID: 1 to 128 of A-Z a-z 0-9 - . _ :,"
                    + " ending in a letter, digit or '-'");
            return null;
        }
        return id;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 UTC time: " + text, e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
