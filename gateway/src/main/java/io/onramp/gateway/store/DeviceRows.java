package io.onramp.gateway.store;

import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.HubTwin;
import io.onramp.broker.twin.TwinDocument;
import io.onramp.broker.twin.TwinSection;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code devices} table: one row per device, its identity and its twin. */
final class DeviceRows {

    static final String IDENTITY = "hub, device_id, generation_id, etag, status, auth_type, primary_key, secondary_key,"
            + " iot_edge, created_ms, updated_ms, status_reason, status_updated_ms, primary_thumbprint, secondary_thumbprint";
    private static final String TWIN = "twin_tags, twin_desired, desired_meta, desired_version, twin_reported,"
            + " reported_meta, reported_version, twin_version";
    private static final String KEY = " WHERE hub = ? AND device_id = ?";
    static final String FIND = "SELECT " + IDENTITY + " FROM devices" + KEY;
    /** Provisioning's one read of a device it may have made: the identity and who it was made for. */
    static final String FIND_OWNED = "SELECT " + IDENTITY + ", provisioned_for FROM devices" + KEY;
    // Ordered by the whole primary key, so the page is read in index order and stops at the limit.
    static final String PAGE = "SELECT " + IDENTITY + ", " + TWIN + " FROM devices WHERE hub = ? AND device_id > ?"
            + " ORDER BY hub, device_id LIMIT ?";

    private DeviceRows() {}

    /** An identity with the owner it was provisioned for ({@code provisioned_for}), null if made through the API. */
    record Owned(DeviceIdentity identity, String owner) {}

    static Optional<Owned> findOwned(Connection c, String hub, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(FIND_OWNED)) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Owned(identity(rs), rs.getString(16))) : Optional.empty();
            }
        }
    }

    static Optional<DeviceIdentity> find(Connection c, String hub, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(identity(rs)) : Optional.empty();
            }
        }
    }

    static Optional<HubTwin> findWithTwin(Connection c, String hub, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + IDENTITY + ", " + TWIN + " FROM devices" + KEY)) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(withTwin(rs)) : Optional.empty();
            }
        }
    }

    static List<HubTwin> page(Connection c, String hub, String afterDeviceId, int limit) throws SQLException {
        // Device IDs are never empty: "" is before the first.
        try (PreparedStatement s = c.prepareStatement(PAGE)) {
            s.setString(1, hub);
            s.setString(2, afterDeviceId == null ? "" : afterDeviceId);
            s.setInt(3, limit);
            List<HubTwin> page = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(withTwin(rs));
                }
            }
            return page;
        }
    }

    /** {@code owner}: who the device is provisioned for, null for one made through the registry API. */
    static void insert(Connection c, DeviceIdentity d, TwinDocument twin, String owner) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (" + IDENTITY + ", " + TWIN
                + ", provisioned_for) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, d.hubHostName());
            s.setString(2, d.deviceId());
            int i = setIdentity(s, 3, d);
            i = setTwin(s, i, twin);
            s.setString(i, owner);
            s.executeUpdate();
        }
    }

    static void updateOwner(Connection c, String hub, String deviceId, String owner) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE devices SET provisioned_for = ?" + KEY)) {
            s.setString(1, owner);
            s.setString(2, hub);
            s.setString(3, deviceId);
            s.executeUpdate();
        }
    }

    static void updateIdentity(Connection c, DeviceIdentity d) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE devices SET generation_id = ?, etag = ?, status = ?,"
                + " auth_type = ?, primary_key = ?, secondary_key = ?, iot_edge = ?, created_ms = ?, updated_ms = ?,"
                + " status_reason = ?, status_updated_ms = ?, primary_thumbprint = ?, secondary_thumbprint = ?" + KEY)) {
            int i = setIdentity(s, 1, d);
            s.setString(i++, d.hubHostName());
            s.setString(i, d.deviceId());
            s.executeUpdate();
        }
    }

    static void updateTwin(Connection c, String hub, String deviceId, TwinDocument twin) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE devices SET twin_tags = ?, twin_desired = ?,"
                + " desired_meta = ?, desired_version = ?, twin_reported = ?, reported_meta = ?, reported_version = ?,"
                + " twin_version = ?" + KEY)) {
            int i = setTwin(s, 1, twin);
            s.setString(i++, hub);
            s.setString(i, deviceId);
            s.executeUpdate();
        }
    }

    static void delete(Connection c, String hub, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM devices" + KEY)) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            s.executeUpdate();
        }
    }

    private static int setIdentity(PreparedStatement s, int first, DeviceIdentity d) throws SQLException {
        int i = first;
        s.setString(i++, d.generationId());
        s.setString(i++, d.etag());
        s.setString(i++, d.status().wireName());
        s.setString(i++, d.authType().wireName());
        s.setString(i++, d.primaryKey());
        s.setString(i++, d.secondaryKey());
        s.setBoolean(i++, d.iotEdge());
        s.setLong(i++, d.createdTime().toEpochMilli());
        s.setLong(i++, d.updatedTime().toEpochMilli());
        s.setString(i++, d.statusReason());
        if (d.statusUpdatedTime().equals(DevicePresence.Presence.NEVER_TIME)) {
            s.setNull(i++, Types.BIGINT);
        } else {
            s.setLong(i++, d.statusUpdatedTime().toEpochMilli());
        }
        s.setString(i++, d.primaryThumbprint());
        s.setString(i++, d.secondaryThumbprint());
        return i;
    }

    private static int setTwin(PreparedStatement s, int first, TwinDocument twin) throws SQLException {
        int i = first;
        s.setString(i++, twin.tagsJson());
        s.setString(i++, twin.desired().valuesJson());
        s.setString(i++, twin.desired().metadataJson());
        s.setLong(i++, twin.desired().version());
        s.setString(i++, twin.reported().valuesJson());
        s.setString(i++, twin.reported().metadataJson());
        s.setLong(i++, twin.reported().version());
        s.setLong(i++, twin.version());
        return i;
    }

    static DeviceIdentity identity(ResultSet rs) throws SQLException {
        long statusUpdated = rs.getLong(13);
        Instant statusUpdatedTime = rs.wasNull() ? null : Instant.ofEpochMilli(statusUpdated);
        return new DeviceIdentity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                DeviceStatus.fromWire(rs.getString(5)), AuthType.fromWire(rs.getString(6)), rs.getString(7),
                rs.getString(8), rs.getBoolean(9), Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)),
                rs.getString(12), statusUpdatedTime, rs.getString(14), rs.getString(15));
    }

    /** Rows written before metadata was kept get their last update time as the time of every property. */
    private static HubTwin withTwin(ResultSet rs) throws SQLException {
        DeviceIdentity identity = identity(rs);
        Instant fallback = identity.updatedTime();
        TwinSection desired = TwinSection.restore(TwinSection.Kind.DESIRED, new JsonObject(rs.getString(17)),
                json(rs.getString(18)), rs.getLong(19), fallback);
        TwinSection reported = TwinSection.restore(TwinSection.Kind.REPORTED, new JsonObject(rs.getString(20)),
                json(rs.getString(21)), rs.getLong(22), fallback);
        return new HubTwin(identity, TwinDocument.restore(new JsonObject(rs.getString(16)), desired, reported, rs.getLong(23)));
    }

    private static JsonObject json(String text) {
        return text == null ? null : new JsonObject(text);
    }
}
