package io.onramp.gateway.store;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.broker.registry.TwinMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The hubs' device registry and twins in the JDBC store. */
public final class JdbcDeviceRegistry implements DeviceRegistry {

    private static final String COLUMNS = "hub, device_id, generation_id, etag, status, auth_type, primary_key,"
            + " secondary_key, iot_edge, created_ms, updated_ms";

    private final Database database;
    private final Clock clock;

    public JdbcDeviceRegistry(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Future<DeviceIdentity> provision(DeviceProvisioning request) {
        return database.write(c -> provision(c, request));
    }

    private DeviceIdentity provision(Connection c, DeviceProvisioning r) throws SQLException {
        Optional<DeviceIdentity> existing = find(c, r.hubHostName(), r.deviceId());
        long now = clock.millis();
        String etag = Etags.next();
        if (existing.isEmpty()) {
            String generationId = Long.toString(now * 10_000 + ThreadLocalRandom.current().nextInt(10_000));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (" + COLUMNS
                    + ", twin_tags, twin_desired, twin_reported, desired_version, reported_version)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'{}',1,1)")) {
                s.setString(1, r.hubHostName());
                s.setString(2, r.deviceId());
                s.setString(3, generationId);
                s.setString(4, etag);
                s.setString(5, DeviceStatus.ENABLED.wireName());
                s.setString(6, r.authType().wireName());
                s.setString(7, r.primaryKey());
                s.setString(8, r.secondaryKey());
                s.setBoolean(9, r.iotEdge());
                s.setLong(10, now);
                s.setLong(11, now);
                s.setString(12, new JsonObject(r.initialTags()).encode());
                s.setString(13, new JsonObject(r.initialDesired()).encode());
                s.executeUpdate();
            }
            Instant at = Instant.ofEpochMilli(now);
            return new DeviceIdentity(r.hubHostName(), r.deviceId(), generationId, etag, DeviceStatus.ENABLED,
                    r.authType(), r.primaryKey(), r.secondaryKey(), r.iotEdge(), at, at);
        }
        String reset = r.twinMode() == TwinMode.RESET
                ? ", twin_tags = ?, twin_desired = ?, twin_reported = '{}', desired_version = desired_version + 1,"
                        + " reported_version = reported_version + 1"
                : "";
        try (PreparedStatement s = c.prepareStatement("UPDATE devices SET etag = ?, auth_type = ?, primary_key = ?,"
                + " secondary_key = ?, iot_edge = ?, updated_ms = ?" + reset + " WHERE hub = ? AND device_id = ?")) {
            int i = 1;
            s.setString(i++, etag);
            s.setString(i++, r.authType().wireName());
            s.setString(i++, r.primaryKey());
            s.setString(i++, r.secondaryKey());
            s.setBoolean(i++, r.iotEdge());
            s.setLong(i++, now);
            if (r.twinMode() == TwinMode.RESET) {
                s.setString(i++, new JsonObject(r.initialTags()).encode());
                s.setString(i++, new JsonObject(r.initialDesired()).encode());
            }
            s.setString(i++, r.hubHostName());
            s.setString(i, r.deviceId());
            s.executeUpdate();
        }
        DeviceIdentity old = existing.get();
        return new DeviceIdentity(old.hubHostName(), old.deviceId(), old.generationId(), etag, old.status(),
                r.authType(), r.primaryKey(), r.secondaryKey(), r.iotEdge(), old.createdTime(), Instant.ofEpochMilli(now));
    }

    @Override
    public Future<Optional<DeviceIdentity>> find(String hubHostName, String deviceId) {
        return database.read(c -> find(c, hubHostName, deviceId));
    }

    private static Optional<DeviceIdentity> find(Connection c, String hub, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM devices WHERE hub = ? AND device_id = ?")) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(identity(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Future<Optional<DeviceTwin>> twin(String hubHostName, String deviceId) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT twin_tags, twin_desired, desired_version,"
                    + " twin_reported, reported_version FROM devices WHERE hub = ? AND device_id = ?")) {
                s.setString(1, hubHostName);
                s.setString(2, deviceId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new DeviceTwin(hubHostName, deviceId, new JsonObject(rs.getString(1)).getMap(),
                            new JsonObject(rs.getString(2)).getMap(), rs.getLong(3),
                            new JsonObject(rs.getString(4)).getMap(), rs.getLong(5)));
                }
            }
        });
    }

    @Override
    public Future<List<DeviceIdentity>> list(String hubHostName, int limit) {
        return database.read(c -> {
            String where = hubHostName == null ? "" : " WHERE hub = ?";
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM devices" + where + " ORDER BY hub, device_id LIMIT ?")) {
                int i = 1;
                if (hubHostName != null) {
                    s.setString(i++, hubHostName);
                }
                s.setInt(i, limit);
                List<DeviceIdentity> devices = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        devices.add(identity(rs));
                    }
                }
                return devices;
            }
        });
    }

    @Override
    public Future<Map<String, Long>> countByHub() {
        return database.read(c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT hub, COUNT(*) FROM devices GROUP BY hub");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    private static DeviceIdentity identity(ResultSet rs) throws SQLException {
        return new DeviceIdentity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                DeviceStatus.fromWire(rs.getString(5)), AuthType.fromWire(rs.getString(6)), rs.getString(7),
                rs.getString(8), rs.getBoolean(9), Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)));
    }
}
