package io.onramp.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.onramp.gateway.json.StrictJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows of an enrollment import or export file: CSV (symmetric-key individual enrollments with no
 * more than its columns say, one per line under the header {@link #CSV_HEADER}) or JSON lines
 * (each an IndividualEnrollment or EnrollmentGroup in the service API's shape). Lines starting with '#' are comments,
 * which is how a file of failed rows says why each failed and still imports once fixed.
 */
final class EnrollmentRows {

    static final String CSV_HEADER = "registrationId,primaryKey,secondaryKey,deviceId,iotHubHostName,provisioningStatus";
    private static final String[] COLUMNS = CSV_HEADER.split(",");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private EnrollmentRows() {}

    static boolean isCsv(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    static boolean skip(String line) {
        return line.isBlank() || line.startsWith("#") || line.equals(CSV_HEADER);
    }

    /** The enrollment a line describes; IllegalArgumentException says what is wrong with it. */
    static JsonObject parse(String line, boolean csv) {
        if (!csv) {
            JsonObject json;
            try {
                json = new JsonObject(StrictJson.MAPPER.readValue(line, MAP));
            } catch (JsonProcessingException e) {
                // As the gateway reads the service API's bodies: a key twice would otherwise keep its last value here.
                throw new IllegalArgumentException(StrictJson.duplicateKey(e).map(key -> "the field '" + key + "' is twice")
                        .orElse("not a JSON object"));
            }
            if (!(json.getValue("registrationId") instanceof String) && !(json.getValue("enrollmentGroupId") instanceof String)) {
                throw new IllegalArgumentException("registrationId (or enrollmentGroupId, for a group) is missing");
            }
            return json;
        }
        String[] cells = line.split(",", -1);
        if (cells.length > COLUMNS.length) {
            throw new IllegalArgumentException("more than " + COLUMNS.length + " columns (" + CSV_HEADER + ")");
        }
        String id = cell(cells, 0);
        if (id == null) {
            throw new IllegalArgumentException("registrationId is empty");
        }
        JsonObject keys = new JsonObject();
        putIfSet(keys, "primaryKey", cell(cells, 1));
        putIfSet(keys, "secondaryKey", cell(cells, 2));
        JsonObject enrollment = new JsonObject().put("registrationId", id)
                .put("attestation", new JsonObject().put("type", "symmetricKey").put("symmetricKey", keys));
        putIfSet(enrollment, "deviceId", cell(cells, 3));
        putIfSet(enrollment, "iotHubHostName", cell(cells, 4));
        putIfSet(enrollment, "provisioningStatus", cell(cells, 5));
        return enrollment;
    }

    /**
     * Why a CSV row cannot hold this enrollment (what its columns would lose), or null when it can. Such
     * enrollments are left out of a CSV export and counted, never written with a part of them missing.
     */
    static String csvCannotHold(JsonObject enrollment) {
        if (isGroup(enrollment)) {
            return "enrollment group";
        }
        if (!"symmetricKey".equals(enrollment.getJsonObject("attestation", new JsonObject()).getString("type"))) {
            return "X.509 or TPM attestation";
        }
        List<String> lost = new ArrayList<>();
        JsonObject twin = enrollment.getJsonObject("initialTwin", new JsonObject());
        JsonObject desired = twin.getJsonObject("properties", new JsonObject()).getJsonObject("desired", new JsonObject());
        if (!twin.getJsonObject("tags", new JsonObject()).isEmpty() || !desired.isEmpty()) {
            lost.add("initialTwin");
        }
        JsonArray hubs = enrollment.getJsonArray("iotHubs", new JsonArray());
        if (hubs.size() > 1 || (hubs.size() == 1 && !hubs.getValue(0).equals(enrollment.getString("iotHubHostName")))) {
            lost.add("iotHubs");
        }
        if (enrollment.getJsonObject("capabilities", new JsonObject()).getBoolean("iotEdge", false)) {
            lost.add("capabilities");
        }
        JsonObject reprovision = enrollment.getJsonObject("reprovisionPolicy", new JsonObject());
        if (!reprovision.getBoolean("updateHubAssignment", true) || !reprovision.getBoolean("migrateDeviceData", true)) {
            lost.add("reprovisionPolicy");
        }
        for (String member : List.of("allocationPolicy", "customAllocationDefinition", "optionalDeviceInformation")) {
            if (enrollment.containsKey(member)) {
                lost.add(member);
            }
        }
        return lost.isEmpty() ? null : String.join(", ", lost);
    }

    /** A JSON line of an enrollment group: it has an enrollmentGroupId and no registrationId. */
    static boolean isGroup(JsonObject enrollment) {
        return enrollment.getValue("enrollmentGroupId") instanceof String && !enrollment.containsKey("registrationId");
    }

    /** X.509 client or signing certificates: reads give only their info, so an export cannot hold them. */
    static boolean hasCertificates(JsonObject enrollment) {
        JsonObject x509 = enrollment.getJsonObject("attestation", new JsonObject()).getJsonObject("x509");
        return x509 != null && (x509.containsKey("clientCertificates") || x509.containsKey("signingCertificates"));
    }

    /** An enrollment as a line; null for CSV when {@link #csvCannotHold} has a reason. */
    static String format(JsonObject enrollment, boolean csv) {
        JsonObject copy = enrollment.copy();
        for (String serverOwned : List.of("etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc", "registrationState")) {
            copy.remove(serverOwned);
        }
        if (!csv) {
            return copy.encode();
        }
        if (csvCannotHold(copy) != null) {
            return null;
        }
        JsonObject attestation = copy.getJsonObject("attestation");
        JsonObject keys = attestation.getJsonObject("symmetricKey", new JsonObject());
        List<String> cells = new ArrayList<>(List.of(copy.getString("registrationId", ""), keys.getString("primaryKey", ""),
                keys.getString("secondaryKey", ""), copy.getString("deviceId", ""), copy.getString("iotHubHostName", ""),
                copy.getString("provisioningStatus", "")));
        return String.join(",", cells);
    }

    private static String cell(String[] cells, int index) {
        return index < cells.length && !cells[index].isBlank() ? cells[index].strip() : null;
    }

    private static void putIfSet(JsonObject json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
