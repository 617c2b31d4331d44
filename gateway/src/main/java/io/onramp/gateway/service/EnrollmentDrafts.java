package io.onramp.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.gateway.enrollment.EnrollmentReader;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.store.EnrollmentWrite;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Turns a service API body into the enrollment to store (spec §5.1 steps 2-4). */
final class EnrollmentDrafts {

    // Server-owned members the SDKs echo back on get-modify-put: ignored on input (spec 1.5).
    private static final List<String> READ_ONLY = List.of("etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc",
            "registrationState");
    // An API client never gets to name a file or variable to read a key from: no secret resolver.
    private static final SecretResolver NO_SECRETS = new SecretResolver(Map.of(), Path.of("."));
    private static final int MAX_MESSAGE = 600;
    private static final String DEVICE_INFORMATION = "optionalDeviceInformation";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EnrollmentDrafts() {}

    static EnrollmentWrite write(EnrollmentRef.Kind kind, String pathId, ObjectNode body, String ifMatch,
            EnrollmentWrite.IfExists ifExists, boolean absentIsNotFound) {
        return new EnrollmentWrite(kind, pathId, ifMatch, ifExists, absentIsNotFound, draft(kind, pathId, body));
    }

    /** Builds the enrollment from a copy of the body, with stripped secrets carried over from the stored one. */
    static Function<Optional<Enrollment>, Enrollment> draft(EnrollmentRef.Kind kind, String pathId, ObjectNode body) {
        return existing -> {
            ObjectNode copy = body.deepCopy();
            copy.remove(READ_ONLY);
            existing.ifPresent(stored -> {
                SecretCarryOver.apply(copy, stored.attestation());
                keepDeviceInformation(copy, stored);
            });
            ConfigNode node = ConfigNode.root(copy);
            EnrollmentReader reader = new EnrollmentReader(NO_SECRETS, EnrollmentSource.API);
            Optional<? extends Enrollment> read = kind == EnrollmentRef.Kind.GROUP ? reader.group(node) : reader.individual(node);
            if (read.isEmpty()) {
                throw ProvisioningException.badRequest(truncate("Invalid " + (kind == EnrollmentRef.Kind.GROUP
                        ? "enrollment group" : "enrollment") + ": " + String.join("; ", node.problems())));
            }
            String bodyId = JdbcEnrollmentStore.id(read.get());
            if (!bodyId.equalsIgnoreCase(pathId)) {
                throw ProvisioningException.badRequest("The id in the body (" + bodyId + ") is not the id in the path.");
            }
            return read.get();
        };
    }

    /**
     * The Java service SDK 2.0.2 has no {@code optionalDeviceInformation}, so its get-modify-put sends the
     * record back without it: absent means "unchanged" (like a stripped key); JSON null or {} clears it.
     */
    private static void keepDeviceInformation(ObjectNode body, Enrollment stored) {
        if (!body.has(DEVICE_INFORMATION) && stored instanceof IndividualEnrollment individual
                && !individual.optionalDeviceInformation().isEmpty()) {
            body.set(DEVICE_INFORMATION, MAPPER.valueToTree(individual.optionalDeviceInformation()));
        }
    }

    /** The body's id member (registrationId or enrollmentGroupId), or null. */
    static String idOf(EnrollmentRef.Kind kind, JsonNode body) {
        JsonNode id = body.get(kind == EnrollmentRef.Kind.GROUP ? "enrollmentGroupId" : "registrationId");
        return id != null && id.isTextual() ? id.textValue() : null;
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    }
}
