package io.onramp.gateway.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import io.onramp.broker.topic.Ids;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.tpm.TpmFormatException;
import io.onramp.certs.tpm.TpmPublicArea;
import io.onramp.certs.tpm.TpmRegistrationIds;
import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import io.onramp.policy.enrollment.Attestation;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.InitialTwin;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.RegistrationIds;
import io.onramp.policy.enrollment.ReprovisionPolicy;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.onramp.policy.enrollment.TpmAttestation;
import io.onramp.policy.enrollment.X509Attestation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads enrollments in the shape of the DPS service API (dps-service-api.md section 4), from YAML or
 * JSON alike. Problems are reported on the node with their field path; a broken enrollment yields
 * empty.
 */
public final class EnrollmentReader {

    private static final Set<String> COMMON = Set.of("attestation", "capabilities", "iotHubHostName",
            "initialTwin", "etag", "provisioningStatus", "reprovisionPolicy", "createdDateTimeUtc",
            "lastUpdatedDateTimeUtc", "allocationPolicy", "iotHubs", "customAllocationDefinition");
    private static final Set<String> INDIVIDUAL = union(COMMON,
            Set.of("registrationId", "deviceId", "registrationState", "optionalDeviceInformation"));
    private static final Set<String> GROUP = union(COMMON, Set.of("enrollmentGroupId"));

    /** The TwinCollection members the service SDKs serialise from its version, count and metadata (spec 4.6). */
    private static final Set<String> TWIN_METADATA = Set.of("$version", "$count", "$metadata", "$lastUpdated",
            "$lastUpdatedVersion");

    private final SecretResolver secrets;
    private final EnrollmentSource source;

    public EnrollmentReader(SecretResolver secrets, EnrollmentSource source) {
        this.secrets = secrets;
        this.source = source;
    }

    public Optional<IndividualEnrollment> individual(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(INDIVIDUAL);
        // A TPM device's ID defaults to the SDKs' derivation from its EK (device spec 1.3), so may be left out.
        boolean derivedId = !node.has("registrationId")
                && TpmAttestation.TYPE.equals(node.field("attestation").optText("type", null));
        String registrationId = derivedId ? null : id(node, "registrationId");
        String deviceId = node.optText("deviceId", null);
        // The hub's own rule: a device provisioned under an ID its hub refuses could never connect.
        if (deviceId != null && !Ids.isValid(deviceId)) {
            node.field("deviceId").problem("'" + deviceId + "' is not a valid device ID: 1 to " + Ids.MAX_LENGTH + " of "
                    + Ids.ALPHABET);
        }
        Common c = common(node, false);
        Map<String, Object> deviceInformation = twinCollection(node, "optionalDeviceInformation");
        if (node.problems().size() > before) {
            return Optional.empty();
        }
        if (derivedId) {
            registrationId = TpmRegistrationIds.fromEndorsementKey(
                    Base64.getDecoder().decode(((TpmAttestation) c.attestation).endorsementKey()));
        }
        String id = registrationId;
        return built(node, () -> new IndividualEnrollment(id, deviceId, c.attestation, c.iotHubHostName, c.iotHubs,
                c.initialTwin, c.status, c.allocationPolicy, c.customAllocation, c.reprovisionPolicy, c.iotEdge,
                deviceInformation, c.etag, c.created, c.updated, source));
    }

    public Optional<EnrollmentGroup> group(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(GROUP);
        String groupId = id(node, "enrollmentGroupId");
        Common c = common(node, true);
        if (node.problems().size() > before) {
            return Optional.empty();
        }
        return built(node, () -> new EnrollmentGroup(groupId, c.attestation, c.iotHubHostName, c.iotHubs,
                c.initialTwin, c.status, c.allocationPolicy, c.customAllocation, c.reprovisionPolicy, c.iotEdge, c.etag,
                c.created, c.updated, source));
    }

    /** The records check their own invariants too (e.g. a TwinCollection nested too deep): report, not throw. */
    private static <T> Optional<T> built(ConfigNode node, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return Optional.empty();
        }
    }

    private record Common(Attestation attestation, String iotHubHostName, List<String> iotHubs,
            InitialTwin initialTwin, ProvisioningStatus status, AllocationPolicyKind allocationPolicy,
            CustomAllocationDefinition customAllocation, ReprovisionPolicy reprovisionPolicy, boolean iotEdge,
            String etag, Instant created, Instant updated) {}

    private Common common(ConfigNode node, boolean group) {
        ConfigNode capabilities = node.field("capabilities").allowOnly(Set.of("iotEdge"));
        ConfigNode reprovision = node.field("reprovisionPolicy")
                .allowOnly(Set.of("updateHubAssignment", "migrateDeviceData"));
        // Server-owned fields: kept when reading back from the store, otherwise they start now.
        Instant created = node.parse("createdDateTimeUtc", EnrollmentReader::instant,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ReprovisionPolicy reprovisionPolicy = reprovision.isMissing() ? ReprovisionPolicy.DEFAULT
                : new ReprovisionPolicy(reprovision.bool("updateHubAssignment", true),
                        reprovision.bool("migrateDeviceData", true));
        AllocationPolicyKind allocationPolicy = node.parse("allocationPolicy", AllocationPolicyKind::fromWire, null);
        return new Common(attestation(node.field("attestation"), group), node.optText("iotHubHostName", null),
                node.textList("iotHubs"), initialTwin(node.field("initialTwin")),
                node.parse("provisioningStatus", ProvisioningStatus::fromWire, ProvisioningStatus.ENABLED),
                allocationPolicy, CustomAllocationReader.read(node.field("customAllocationDefinition"), allocationPolicy),
                reprovisionPolicy, capabilities.bool("iotEdge", false), node.optText("etag", null), created,
                node.parse("lastUpdatedDateTimeUtc", EnrollmentReader::instant, created));
    }

    private Attestation attestation(ConfigNode node, boolean group) {
        if (node.isMissing()) {
            node.problem("is required");
            return null;
        }
        node.allowOnly(Set.of("type", "symmetricKey", "x509", "tpm"));
        String type = node.text("type");
        if (type == null) {
            return null;
        }
        // A member that does not match the type is refused rather than silently dropped (spec 4.4).
        for (String other : List.of(SymmetricKeyAttestation.TYPE, X509Attestation.TYPE, TpmAttestation.TYPE)) {
            if (!other.equals(type) && node.has(other) && !node.field(other).raw().isNull()) {
                node.field(other).problem("does not match type '" + type + "'");
            }
        }
        switch (type) {
            case SymmetricKeyAttestation.TYPE:
                return symmetricKey(node.field("symmetricKey"));
            case X509Attestation.TYPE:
                return x509(node.field("x509"), group);
            case TpmAttestation.TYPE:
                if (group) {
                    node.field("type").problem("'tpm' is not allowed for enrollment groups (use x509 or symmetricKey)");
                    return null;
                }
                return tpm(node.field("tpm"));
            default:
                node.field("type").problem("'" + type + "' is not one of symmetricKey, x509, tpm");
                return null;
        }
    }

    private Attestation symmetricKey(ConfigNode keys) {
        keys.allowOnly(Set.of("primaryKey", "secondaryKey"));
        String primary = key(keys.field("primaryKey"));
        String secondary = key(keys.field("secondaryKey"));
        if ((primary == null && present(keys.field("primaryKey"))) || (secondary == null && present(keys.field("secondaryKey")))) {
            return null;
        }
        if (source == EnrollmentSource.CONFIG) {
            if (primary == null) {
                keys.field("primaryKey").problem("is required in the config file");
                return null;
            }
            return new SymmetricKeyAttestation(primary, secondary);
        }
        // The service API generates each missing key (section 10.1).
        return new SymmetricKeyAttestation(primary == null ? SymmetricKeys.generate() : primary,
                secondary == null ? SymmetricKeys.generate() : secondary);
    }

    /** A key given inline; the config file may also name a file or variable, an API client may not. */
    private String key(ConfigNode node) {
        if (!present(node)) {
            return null;
        }
        if (source == EnrollmentSource.API && !node.isText()) {
            node.problem("must be a Base64 string");
            return null;
        }
        return secrets.symmetricKey(node);
    }

    /** Absent, JSON null and "" all mean "no key": the Java SDK sends "" for keys it wants generated. */
    private static boolean present(ConfigNode node) {
        return !node.isMissing() && !node.raw().isNull() && !(node.isText() && node.asText().isEmpty());
    }

    private static Attestation x509(ConfigNode node, boolean group) {
        if (node.isMissing() || !node.isObject()) {
            node.problem("is required for type 'x509'");
            return null;
        }
        node.allowOnly(Set.of("clientCertificates", "signingCertificates", "caReferences"));
        List<X509Attestation.Kind> given = new ArrayList<>();
        for (X509Attestation.Kind kind : X509Attestation.Kind.values()) {
            if (node.has(kind.wireName()) && !node.field(kind.wireName()).raw().isNull()) {
                given.add(kind);
            }
        }
        if (given.size() != 1) {
            node.problem("give exactly one of clientCertificates, signingCertificates, caReferences");
            return null;
        }
        X509Attestation.Kind kind = given.get(0);
        if (group == (kind == X509Attestation.Kind.CLIENT_CERTIFICATES)) {
            node.field(kind.wireName()).problem(group ? "is for individual enrollments; groups use signingCertificates or caReferences"
                    : "is for enrollment groups; individual enrollments use clientCertificates");
            return null;
        }
        ConfigNode slots = node.field(kind.wireName()).allowOnly(Set.of("primary", "secondary"));
        String primary = kind.holdsCertificates() ? certificate(slots.field("primary")) : slots.text("primary");
        String secondary = null;
        if (slots.has("secondary") && !slots.field("secondary").raw().isNull()) {
            secondary = kind.holdsCertificates() ? certificate(slots.field("secondary")) : slots.text("secondary");
        }
        if (primary == null) {
            return null;
        }
        return new X509Attestation(kind, primary, secondary);
    }

    /** X509CertificateWithInfo: the PEM in {@code certificate}; {@code info} is server-owned and ignored. */
    private static String certificate(ConfigNode slot) {
        if (slot.isMissing() || !slot.isObject()) {
            slot.problem("is required: {certificate: <PEM>}");
            return null;
        }
        slot.allowOnly(Set.of("certificate", "info"));
        String pem = slot.text("certificate");
        if (pem == null) {
            return null;
        }
        try {
            EnrollmentCertificates.parse(pem);
            return pem.strip();
        } catch (IllegalArgumentException e) {
            slot.field("certificate").problem(e.getMessage());
            return null;
        }
    }

    private static Attestation tpm(ConfigNode node) {
        if (node.isMissing() || !node.isObject()) {
            node.problem("is required for type 'tpm'");
            return null;
        }
        node.allowOnly(Set.of("endorsementKey", "storageRootKey"));
        String ek = node.text("endorsementKey");
        String srk = node.optText("storageRootKey", null);
        if (ek != null && !isTpmStorageKey(node.field("endorsementKey"), ek)) {
            return null;
        }
        if (srk != null && !srk.isEmpty() && !isTpmStorageKey(node.field("storageRootKey"), srk)) {
            return null;
        }
        return ek == null ? null : new TpmAttestation(ek, srk);
    }

    /** What a device will present and the challenge is built for: an RSA restricted decryption key (spec 5.1). */
    private static boolean isTpmStorageKey(ConfigNode field, String base64) {
        if (!isBase64(base64)) {
            field.problem("is not Base64");
            return false;
        }
        try {
            TpmPublicArea.parseBase64(base64);
            return true;
        } catch (TpmFormatException e) {
            field.problem("is not the TPM2B_PUBLIC of an RSA storage key: " + e.getMessage());
            return false;
        }
    }

    private static boolean isBase64(String text) {
        try {
            return Base64.getDecoder().decode(text).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code initialTwin} as an enrollment gives it, by the same rules wherever it comes from (a webhook too). */
    public static InitialTwin initialTwin(ConfigNode node) {
        if (node.isMissing()) {
            return InitialTwin.EMPTY;
        }
        node.allowOnly(Set.of("tags", "properties"));
        ConfigNode properties = node.field("properties").allowOnly(Set.of("desired"));
        return new InitialTwin(twinCollection(node, "tags"), twinCollection(properties, "desired"));
    }

    /**
     * A TwinCollection (spec 4.6). The SDKs' metadata members at its top ({@code $version}, {@code $count},
     * {@code $metadata}, ...) are accepted and dropped; any other name starting with '$' is refused, as IoT Hub
     * refuses it in a twin: dropping it would lose a setting without a word.
     */
    private static Map<String, Object> twinCollection(ConfigNode parent, String name) {
        Map<String, Object> members = new LinkedHashMap<>(parent.jsonObject(name));
        members.keySet().removeAll(TWIN_METADATA);
        refuseDollarNames(parent.field(name), parent.field(name).raw(), true);
        return members;
    }

    private static void refuseDollarNames(ConfigNode at, JsonNode value, boolean top) {
        if (value.isObject()) {
            value.fields().forEachRemaining(member -> {
                boolean metadata = top && TWIN_METADATA.contains(member.getKey());
                if (!metadata && member.getKey().startsWith("$")) {
                    at.field(member.getKey()).problem("property names may not start with '$' (only the SDKs' metadata at the"
                            + " top, " + String.join(", ", TWIN_METADATA.stream().sorted().toList()) + ", is accepted, and dropped)");
                } else if (!metadata) {
                    refuseDollarNames(at.field(member.getKey()), member.getValue(), false);
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                refuseDollarNames(at.field("[" + i + "]"), value.get(i), false);
            }
        }
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
