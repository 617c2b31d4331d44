package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The tables, in SQL that H2 and PostgreSQL both accept. */
final class Schema {

    private static final String[] DEVICE_COLUMNS_ADDED = {
        "status_reason VARCHAR(128)",
        "status_updated_ms BIGINT",
        "primary_thumbprint VARCHAR(128)",
        "secondary_thumbprint VARCHAR(128)",
        "desired_meta VARCHAR(1000000)",
        "reported_meta VARCHAR(1000000)",
        "twin_version BIGINT DEFAULT 1 NOT NULL",
    };

    /**
     * The registration (its case-free key) a provisioned identity was made for; null for one made through the
     * registry API. Provisioning never re-keys an identity for another registration (JdbcDeviceRegistry#provision).
     */
    static final String DEVICE_OWNER_COLUMN = "provisioned_for VARCHAR(128)";

    /**
     * A TPM device's identity key (base64, like the devices' keys) and the TPM Name (hex) of its EK; the operation
     * that wrote the record, so that its polls outlive the operation's memory (Azure's IDs are 55 characters).
     */
    private static final String[] REGISTRATION_COLUMNS_ADDED = {
        "tpm_key VARCHAR(200)",
        "tpm_ek VARCHAR(100)",
        "operation_id VARCHAR(128)",
    };

    private static final int OWNER_BATCH = 1_000;

    private Schema() {}

    static void migrate(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS enrollments (
                        kind VARCHAR(12) NOT NULL,
                        id_key VARCHAR(128) NOT NULL,
                        source VARCHAR(8) NOT NULL,
                        etag VARCHAR(64) NOT NULL,
                        doc VARCHAR(1000000) NOT NULL,
                        PRIMARY KEY (kind, id_key))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS registrations (
                        reg_key VARCHAR(128) PRIMARY KEY,
                        registration_id VARCHAR(128) NOT NULL,
                        enrollment_kind VARCHAR(12) NOT NULL,
                        enrollment_id VARCHAR(128) NOT NULL,
                        device_id VARCHAR(128),
                        assigned_hub VARCHAR(255),
                        status VARCHAR(16) NOT NULL,
                        substatus VARCHAR(40),
                        error_code INT,
                        error_message VARCHAR(1024),
                        payload VARCHAR(65536),
                        etag VARCHAR(64) NOT NULL,
                        created_ms BIGINT NOT NULL,
                        updated_ms BIGINT NOT NULL)""");
            // A group's records page by page (JdbcRegistrationStore.GROUP_PAGE): with reg_key in the index a
            // page is read in order and stops at its limit; the older two-column index sorted every later record.
            s.execute("CREATE INDEX IF NOT EXISTS registrations_by_group_key"
                    + " ON registrations (enrollment_kind, enrollment_id, reg_key)");
            s.execute("DROP INDEX IF EXISTS registrations_by_enrollment");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS devices (
                        hub VARCHAR(255) NOT NULL,
                        device_id VARCHAR(128) NOT NULL,
                        generation_id VARCHAR(40) NOT NULL,
                        etag VARCHAR(64) NOT NULL,
                        status VARCHAR(16) NOT NULL,
                        auth_type VARCHAR(32) NOT NULL,
                        primary_key VARCHAR(100),
                        secondary_key VARCHAR(100),
                        iot_edge BOOLEAN NOT NULL,
                        twin_tags VARCHAR(65536) NOT NULL,
                        twin_desired VARCHAR(65536) NOT NULL,
                        twin_reported VARCHAR(65536) NOT NULL,
                        desired_version BIGINT NOT NULL,
                        reported_version BIGINT NOT NULL,
                        created_ms BIGINT NOT NULL,
                        updated_ms BIGINT NOT NULL,
                        PRIMARY KEY (hub, device_id))""");
            // CA certificates of the admin API (dps-service-api 11); the certificate as Base64 DER.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS ca_certificates (
                        name_key VARCHAR(64) PRIMARY KEY,
                        name VARCHAR(64) NOT NULL,
                        source VARCHAR(8) NOT NULL,
                        etag VARCHAR(64) NOT NULL,
                        certificate VARCHAR(65536) NOT NULL,
                        verified BOOLEAN NOT NULL,
                        verification_code VARCHAR(64),
                        code_expires_ms BIGINT,
                        created_ms BIGINT NOT NULL,
                        updated_ms BIGINT NOT NULL)""");
            // Cloud-to-device messages until their device acknowledges them; they go with the device.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS cloud_messages (
                        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        hub VARCHAR(255) NOT NULL,
                        device_id VARCHAR(128) NOT NULL,
                        message_id VARCHAR(128) NOT NULL,
                        expires_ms BIGINT NOT NULL,
                        properties VARCHAR(65536) NOT NULL,
                        body VARCHAR(90000) NOT NULL,
                        FOREIGN KEY (hub, device_id) REFERENCES devices (hub, device_id) ON DELETE CASCADE)""");
            s.execute("CREATE INDEX IF NOT EXISTS cloud_messages_by_device ON cloud_messages (hub, device_id, seq)");
            // Named numbers the store keeps for itself: the last journal record H2 holds (JournalMark).
            s.execute("CREATE TABLE IF NOT EXISTS store_marks (name VARCHAR(64) PRIMARY KEY, number BIGINT NOT NULL)");
            // Added with the registry REST API; an older data directory gains them on first start.
            for (String column : DEVICE_COLUMNS_ADDED) {
                addIfMissing(connection, s, "devices", column);
            }
            for (String column : REGISTRATION_COLUMNS_ADDED) {
                addIfMissing(connection, s, "registrations", column);
            }
            if (addIfMissing(connection, s, "devices", DEVICE_OWNER_COLUMN)) {
                connection.commit();
                ownersFromRecords(connection);
            }
        }
        connection.commit();
    }

    /**
     * Identities provisioned before their owner was kept get it from the registration records that name them, once.
     * Where several records name one identity (one taken over by another registration), the oldest keeps it: the
     * device it was made for. One update per record, by primary key: a join would scan the records for each device.
     */
    private static void ownersFromRecords(Connection connection) throws SQLException {
        try (PreparedStatement records = connection.prepareStatement("SELECT reg_key, assigned_hub, device_id"
                + " FROM registrations WHERE assigned_hub IS NOT NULL AND device_id IS NOT NULL ORDER BY created_ms");
                PreparedStatement own = connection.prepareStatement("UPDATE devices SET provisioned_for = ?"
                        + " WHERE hub = ? AND device_id = ? AND provisioned_for IS NULL")) {
            int batched = 0;
            try (ResultSet rs = records.executeQuery()) {
                while (rs.next()) {
                    own.setString(1, rs.getString(1));
                    own.setString(2, rs.getString(2));
                    own.setString(3, rs.getString(3));
                    own.addBatch();
                    if (++batched % OWNER_BATCH == 0) {
                        own.executeBatch();
                    }
                }
            }
            own.executeBatch();
        }
    }

    /**
     * Only when missing: ALTER TABLE locks the whole table, even when the column is there already. True when it was
     * added now.
     */
    private static boolean addIfMissing(Connection connection, Statement s, String table, String column)
            throws SQLException {
        String name = column.substring(0, column.indexOf(' '));
        try (ResultSet columns = connection.getMetaData().getColumns(null, null, table.toUpperCase(Locale.ROOT),
                name.toUpperCase(Locale.ROOT))) {
            if (columns.next()) {
                return false;
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column);
        return true;
    }
}
