package io.onramp.gateway.store;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.onramp.gateway.provisioning.RegistrationStore;
import io.onramp.policy.enrollment.RegistrationIds;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Registration states in the JDBC store. */
public final class JdbcRegistrationStore implements RegistrationStore {

    private static final String COLUMNS = "registration_id, enrollment_kind, enrollment_id, device_id, assigned_hub,"
            + " status, substatus, error_code, error_message, payload, etag, created_ms, updated_ms, tpm_key, tpm_ek,"
            + " operation_id";

    static final String FIND = "SELECT " + COLUMNS + " FROM registrations WHERE reg_key = ?";
    private static final String VALUES = " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static final String MERGE = "MERGE INTO registrations (reg_key, " + COLUMNS + ") KEY (reg_key)" + VALUES;
    static final String INSERT = "INSERT INTO registrations (reg_key, " + COLUMNS + ")" + VALUES;
    // Ordered by the whole index (Schema: registrations_by_group_key), so a page is read in index
    // order and the read stops at the limit instead of sorting all of a group's later records.
    static final String GROUP_PAGE = "SELECT " + COLUMNS + " FROM registrations WHERE enrollment_kind = 'GROUP'"
            + " AND enrollment_id = ? AND reg_key > ? ORDER BY enrollment_kind, enrollment_id, reg_key LIMIT ?";

    // Every record, in primary-key order: read page by page along the key, never sorted.
    static final String PAGE = "SELECT " + COLUMNS + " FROM registrations WHERE reg_key > ? ORDER BY reg_key LIMIT ?";

    private final Database database;
    private final StoredKeyFilter stored = new StoredKeyFilter();
    private final Future<Void> filterLoaded;

    /** Starts loading the keys already stored in the background; finds read the database meanwhile. */
    public JdbcRegistrationStore(Database database) {
        this.database = database;
        this.filterLoaded = stored.load(database, "SELECT COUNT(*) FROM registrations", "SELECT reg_key FROM registrations");
    }

    /** Completes once finds of unknown registration IDs no longer read the database. */
    Future<Void> filterLoaded() {
        return filterLoaded;
    }

    @Override
    public Future<Optional<RegistrationRecord>> find(String registrationId) {
        String key = RegistrationIds.key(registrationId);
        if (!stored.mightContain(key)) {
            return Future.succeededFuture(Optional.empty());
        }
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(FIND)) {
                s.setString(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Journaled (see {@link Redo}): durable once the journal has it. */
    @Override
    public Future<RegistrationRecord> save(RegistrationRecord r) {
        return database.write(new Redo.SaveRegistration(r, stored));
    }

    /**
     * Writes a record on the store's writer thread. {@code knownRows} (the finds' filter, null when redoing the journal)
     * gets the key before the write commits, so that no find can miss it; only this thread adds to it once it is
     * loaded, so a key it does not hold yet has no row, and that record is inserted: the merge's update of a row
     * that is not there was a third of its work.
     */
    static void write(Connection c, RegistrationRecord r, StoredKeyFilter knownRows) throws SQLException {
        String key = RegistrationIds.key(r.registrationId());
        boolean mayExist = knownRows == null || knownRows.mightContain(key);
        if (knownRows != null) {
            knownRows.add(key);
        }
        try (PreparedStatement s = c.prepareStatement(mayExist ? MERGE : INSERT)) {
            s.setString(1, key);
            s.setString(2, r.registrationId());
            s.setString(3, r.enrollment().kind().name());
            s.setString(4, r.enrollment().id());
            s.setString(5, r.deviceId());
            s.setString(6, r.assignedHub());
            s.setString(7, r.status().wireName());
            s.setString(8, r.substatus());
            if (r.errorCode() == null) {
                s.setNull(9, Types.INTEGER);
            } else {
                s.setInt(9, r.errorCode());
            }
            s.setString(10, r.errorMessage());
            s.setString(11, r.payload());
            s.setString(12, r.etag());
            s.setLong(13, r.createdDateTimeUtc().toEpochMilli());
            s.setLong(14, r.lastUpdatedDateTimeUtc().toEpochMilli());
            s.setString(15, r.tpm() == null ? null : r.tpm().identityKey());
            s.setString(16, r.tpm() == null ? null : r.tpm().endorsementKeyName());
            s.setString(17, r.operationId());
            s.executeUpdate();
        }
    }

    /**
     * Removes a registration record (service API DELETE): 404202 when absent, 412 on an etag
     * mismatch. The device may then register afresh; its hub identity is untouched.
     */
    public Future<RegistrationRecord> delete(String registrationId, String ifMatch) {
        return database.write(c -> {
            RegistrationRecord existing;
            try (PreparedStatement s = c.prepareStatement(FIND)) {
                s.setString(1, RegistrationIds.key(registrationId));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new ProvisioningException(ErrorCode.REGISTRATION_NOT_FOUND,
                                "Registration " + registrationId + " was not found.");
                    }
                    existing = record(rs);
                }
            }
            if (!Etags.matchesStrongly(existing.etag(), ifMatch)) {
                throw new ProvisioningException(ErrorCode.PRECONDITION_FAILED,
                        "The etag does not match the current registration state of " + registrationId + ".");
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM registrations WHERE reg_key = ?")) {
                s.setString(1, RegistrationIds.key(registrationId));
                s.executeUpdate();
            }
            return existing;
        });
    }

    /**
     * A page of the records of devices that registered through a group (its id exactly as the group
     * spells it, which is how records name it), ordered by lower-cased registration id.
     */
    public Future<List<RegistrationRecord>> pageByGroup(String enrollmentGroupId, String afterKey, int limit) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(GROUP_PAGE)) {
                s.setString(1, enrollmentGroupId);
                s.setString(2, afterKey == null ? "" : afterKey);
                s.setInt(3, limit);
                return records(s);
            }
        });
    }

    /** A page of every record, whatever enrollment it came through, ordered by lower-cased registration id. */
    public Future<List<RegistrationRecord>> page(String afterKey, int limit) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(PAGE)) {
                s.setString(1, afterKey == null ? "" : afterKey);
                s.setInt(2, limit);
                return records(s);
            }
        });
    }

    private static List<RegistrationRecord> records(PreparedStatement s) throws SQLException {
        List<RegistrationRecord> page = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                page.add(record(rs));
            }
        }
        return page;
    }

    private static RegistrationRecord record(ResultSet rs) throws SQLException {
        int errorCode = rs.getInt(8);
        Integer error = rs.wasNull() ? null : errorCode;
        String tpmKey = rs.getString(14);
        RegistrationRecord.Tpm tpm = tpmKey == null ? null : new RegistrationRecord.Tpm(tpmKey, rs.getString(15), null);
        return new RegistrationRecord(rs.getString(1),
                new EnrollmentRef(EnrollmentRef.Kind.valueOf(rs.getString(2)), rs.getString(3)), rs.getString(4),
                rs.getString(5), RegistrationStatus.fromWire(rs.getString(6)), rs.getString(7), error, rs.getString(9),
                rs.getString(10), rs.getString(11), Instant.ofEpochMilli(rs.getLong(12)), Instant.ofEpochMilli(rs.getLong(13)),
                null, tpm, rs.getString(16));
    }
}
