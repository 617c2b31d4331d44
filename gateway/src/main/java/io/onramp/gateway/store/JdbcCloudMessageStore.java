package io.onramp.gateway.store;

import io.onramp.broker.hub.CloudMessage;
import io.onramp.broker.hub.CloudMessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cloud-to-device messages in the JDBC store. A device's messages go with its row (foreign key,
 * on delete cascade); the limit is checked and the message inserted in one write, so concurrent
 * sends cannot pass it.
 */
public final class JdbcCloudMessageStore implements CloudMessageStore {

    private final Database database;

    public JdbcCloudMessageStore(Database database) {
        this.database = database;
    }

    @Override
    public Future<Boolean> add(String hubHostName, String deviceId, String messageId, CloudMessage message,
            Instant expiresAt, int limit, Instant now) {
        return database.write(c -> {
            if (count(c, hubHostName, deviceId, now) >= limit) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cloud_messages"
                    + " (hub, device_id, message_id, expires_ms, properties, body) VALUES (?,?,?,?,?,?)")) {
                s.setString(1, hubHostName);
                s.setString(2, deviceId);
                s.setString(3, messageId);
                s.setLong(4, expiresAt.toEpochMilli());
                s.setString(5, new JsonObject().put("system", new JsonObject(new HashMap<>(message.systemProperties())))
                        .put("application", new JsonObject(new HashMap<>(message.applicationProperties())))
                        .put("expirySet", message.expiresAt() != null).encode());
                s.setString(6, Base64.getEncoder().encodeToString(message.body()));
                s.executeUpdate();
            }
            return true;
        });
    }

    private static int count(Connection c, String hub, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM cloud_messages WHERE hub = ? AND device_id = ? AND expires_ms >= ?")) {
            s.setString(1, hub);
            s.setString(2, deviceId);
            s.setLong(3, now.toEpochMilli());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public Future<List<Waiting>> waiting(String hubHostName, String deviceId, Instant now) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, message_id, expires_ms, properties, body"
                    + " FROM cloud_messages WHERE hub = ? AND device_id = ? AND expires_ms >= ? ORDER BY seq")) {
                s.setString(1, hubHostName);
                s.setString(2, deviceId);
                s.setLong(3, now.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    List<Waiting> waiting = new ArrayList<>();
                    while (rs.next()) {
                        waiting.add(waiting(rs));
                    }
                    return waiting;
                }
            }
        });
    }

    private static Waiting waiting(ResultSet rs) throws SQLException {
        JsonObject properties = new JsonObject(rs.getString(4));
        Instant expiresAt = Instant.ofEpochMilli(rs.getLong(3));
        CloudMessage message = new CloudMessage(Base64.getDecoder().decode(rs.getString(5)),
                strings(properties.getJsonObject("system")), strings(properties.getJsonObject("application")),
                properties.getBoolean("expirySet", false) ? expiresAt : null);
        return new Waiting(rs.getLong(1), rs.getString(2), message, expiresAt);
    }

    private static Map<String, String> strings(JsonObject json) {
        Map<String, String> values = new HashMap<>();
        json.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
        return values;
    }

    @Override
    public Future<Void> remove(String hubHostName, String deviceId, long sequence) {
        return database.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM cloud_messages WHERE seq = ? AND hub = ? AND device_id = ?")) {
                s.setLong(1, sequence);
                s.setString(2, hubHostName);
                s.setString(3, deviceId);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Future<List<Backlog>> dropExpired(Instant now) {
        return database.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM cloud_messages WHERE expires_ms < ?")) {
                s.setLong(1, now.toEpochMilli());
                s.executeUpdate();
            }
            return null;
        }).compose(v -> database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT hub, device_id, COUNT(*) FROM cloud_messages GROUP BY hub, device_id");
                    ResultSet rs = s.executeQuery()) {
                List<Backlog> counts = new ArrayList<>();
                while (rs.next()) {
                    counts.add(new Backlog(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
                return counts;
            }
        }));
    }
}
