package io.onramp.gateway.store;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.TwinMode;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A write the journal can redo: everything it needs is in the record, nothing is drawn afresh (no
 * clock, no random etag), so running it again after a crash gives the rows it gave the first time.
 * Redone in journal order from H2's last sync ({@link SyncedMark}), on a state that may already hold
 * some of them: each is idempotent (an upsert to the record's values, or a twin patch that knows the
 * version it made and is skipped where the twin has it). Journaled: a registration's two writes and
 * devices' reported properties; the rest (service API, desired properties, C2D) wait for H2's own sync.
 */
sealed interface Redo<T> permits Redo.ProvisionDevice, Redo.SaveRegistration, Redo.PatchReported {

    T apply(Connection connection) throws SQLException;

    /** The record to journal once the write ran and gave {@code result}: itself, unless it needs the result. */
    default Redo<T> completed(T result) {
        return this;
    }

    /** The hub and device ID of the device row this write makes or changes, or null for none. */
    default String[] device() {
        return null;
    }

    /** The journal's payload: the record as JSON with a {@code kind}. */
    byte[] encode();

    static Redo<?> decode(byte[] payload) {
        JsonObject json = new JsonObject(Buffer.buffer(payload));
        String kind = json.getString("kind", "");
        return switch (kind) {
            case ProvisionDevice.KIND -> ProvisionDevice.fromJson(json);
            case SaveRegistration.KIND -> SaveRegistration.fromJson(json);
            case PatchReported.KIND -> PatchReported.fromJson(json);
            default -> throw new StoreException("journal record of unknown kind '" + kind + "': "
                    + new String(payload, 0, Math.min(payload.length, 80), StandardCharsets.UTF_8));
        };
    }

    /**
     * A hub identity made or refreshed by provisioning, with the time, generation ID and etag it got. {@code knownRows}
     * (never journaled) holds the keys of the device rows that may exist, so that a new device is inserted without a
     * read; null when redone from the journal, where the row is looked for.
     */
    record ProvisionDevice(DeviceProvisioning request, Instant now, String generationId, String etag,
            StoredKeyFilter knownRows) implements Redo<DeviceIdentity> {

        static final String KIND = "provisionDevice";

        ProvisionDevice(DeviceProvisioning request, Instant now, String generationId, String etag) {
            this(request, now, generationId, etag, null);
        }

        @Override
        public DeviceIdentity apply(Connection connection) throws SQLException {
            return JdbcDeviceRegistry.provision(connection, this);
        }

        /**
         * Redone from the journal: the write was accepted when it ran, so it is not refused now (a lost write that
         * was never acknowledged, say a registry delete, may leave an owner here that the first run did not see).
         */
        boolean redone() {
            return knownRows == null;
        }

        @Override
        public String[] device() {
            return new String[] {request.hubHostName(), request.deviceId()};
        }

        @Override
        public byte[] encode() {
            DeviceProvisioning r = request;
            return JournalJson.encode(KIND, j -> j.string("hub", r.hubHostName()).string("deviceId", r.deviceId())
                    .string("authType", r.authType().name()).string("primaryKey", r.primaryKey())
                    .string("secondaryKey", r.secondaryKey()).string("primaryThumbprint", r.primaryThumbprint())
                    .string("secondaryThumbprint", r.secondaryThumbprint()).bool("iotEdge", r.iotEdge())
                    .json("tags", r.initialTags()).json("desired", r.initialDesired())
                    .string("twinMode", r.twinMode().name()).string("owner", r.owner()).string("now", now.toString())
                    .string("generationId", generationId).string("etag", etag));
        }

        static ProvisionDevice fromJson(JsonObject j) {
            return new ProvisionDevice(new DeviceProvisioning(j.getString("hub"), j.getString("deviceId"),
                    AuthType.valueOf(j.getString("authType")), j.getString("primaryKey"), j.getString("secondaryKey"),
                    j.getString("primaryThumbprint"), j.getString("secondaryThumbprint"), j.getBoolean("iotEdge"),
                    j.getJsonObject("tags").getMap(), j.getJsonObject("desired").getMap(),
                    TwinMode.valueOf(j.getString("twinMode")), j.getString("owner")),
                    Instant.parse(j.getString("now")), j.getString("generationId"), j.getString("etag"));
        }
    }

    /**
     * A registration state as stored: not the answer's X.509 certificates or TPM blob, which are never kept.
     * {@code knownRows} (never journaled) holds the keys of the records that may exist, so that a first record is
     * inserted rather than merged; null when redone from the journal, which merges.
     */
    record SaveRegistration(RegistrationRecord record, StoredKeyFilter knownRows) implements Redo<RegistrationRecord> {

        static final String KIND = "saveRegistration";

        SaveRegistration(RegistrationRecord record) {
            this(record, null);
        }

        @Override
        public RegistrationRecord apply(Connection connection) throws SQLException {
            JdbcRegistrationStore.write(connection, record, knownRows);
            return record;
        }

        @Override
        public byte[] encode() {
            RegistrationRecord r = record;
            return JournalJson.encode(KIND, j -> j.string("registrationId", r.registrationId())
                    .string("enrollmentKind", r.enrollment().kind().name()).string("enrollmentId", r.enrollment().id())
                    .string("deviceId", r.deviceId()).string("assignedHub", r.assignedHub())
                    .string("status", r.status().wireName()).string("substatus", r.substatus())
                    .number("errorCode", r.errorCode()).string("errorMessage", r.errorMessage())
                    .string("payload", r.payload()).string("etag", r.etag())
                    .number("created", r.createdDateTimeUtc().toEpochMilli())
                    .number("updated", r.lastUpdatedDateTimeUtc().toEpochMilli())
                    .string("tpmKey", r.tpm() == null ? null : r.tpm().identityKey())
                    .string("tpmEk", r.tpm() == null ? null : r.tpm().endorsementKeyName())
                    .string("operationId", r.operationId()));
        }

        static SaveRegistration fromJson(JsonObject j) {
            String tpmKey = j.getString("tpmKey");
            return new SaveRegistration(new RegistrationRecord(j.getString("registrationId"),
                    new EnrollmentRef(EnrollmentRef.Kind.valueOf(j.getString("enrollmentKind")), j.getString("enrollmentId")),
                    j.getString("deviceId"), j.getString("assignedHub"), RegistrationStatus.fromWire(j.getString("status")),
                    j.getString("substatus"), j.getInteger("errorCode"), j.getString("errorMessage"), j.getString("payload"),
                    j.getString("etag"), Instant.ofEpochMilli(j.getLong("created")), Instant.ofEpochMilli(j.getLong("updated")),
                    null, tpmKey == null ? null : new RegistrationRecord.Tpm(tpmKey, j.getString("tpmEk"), null),
                    j.getString("operationId")));
        }
    }

    /**
     * A device's reported-properties patch, merged at {@code now} into the twin it finds. Journaled with the
     * reported version it made, so that a redo on a twin already at that version changes nothing.
     */
    record PatchReported(String hub, String deviceId, JsonObject patch, Instant now, Long version)
            implements Redo<Long> {

        static final String KIND = "patchReported";

        PatchReported(String hub, String deviceId, JsonObject patch, Instant now) {
            this(hub, deviceId, patch, now, null);
        }

        @Override
        public Long apply(Connection connection) throws SQLException {
            return JdbcDeviceRegistry.patchReported(connection, this);
        }

        @Override
        public Redo<Long> completed(Long result) {
            return new PatchReported(hub, deviceId, patch, now, result);
        }

        @Override
        public String[] device() {
            return new String[] {hub, deviceId};
        }

        @Override
        public byte[] encode() {
            return JournalJson.encode(KIND, j -> j.string("hub", hub).string("deviceId", deviceId).json("patch", patch)
                    .string("now", now.toString()).number("version", version));
        }

        static PatchReported fromJson(JsonObject j) {
            return new PatchReported(j.getString("hub"), j.getString("deviceId"), j.getJsonObject("patch"),
                    Instant.parse(j.getString("now")), j.getLong("version"));
        }
    }
}
