package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
            s.execute("CREATE INDEX IF NOT EXISTS registrations_by_enrollment ON registrations (enrollment_kind, enrollment_id)");
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
            // Added with the registry REST API; an older data directory gains them on first start.
            for (String column : DEVICE_COLUMNS_ADDED) {
                s.execute("ALTER TABLE devices ADD COLUMN IF NOT EXISTS " + column);
            }
        }
        connection.commit();
    }
}
