package io.onramp.gateway.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hubs that registrations or enrollments in the store name but the config no longer has (a hub taken out of
 * it, or renamed): their devices cannot connect or re-register there, and nothing else says so. Found once at
 * start, in the background: both queries read their whole table (no index names the hub; one on assigned_hub
 * would cost every registration a write). At a million registrations that took 2.6 to 8 s on a loaded 2-core
 * machine, as long as the registration keys' load every start already does; the start does not wait for it.
 */
public final class UnconfiguredHubs {

    private static final Logger LOG = LoggerFactory.getLogger(UnconfiguredHubs.class);
    static final String REGISTRATIONS = "SELECT assigned_hub, COUNT(*) FROM registrations"
            + " WHERE assigned_hub IS NOT NULL GROUP BY assigned_hub";
    // Only the documents that name a hub (iotHubHostName, iotHubs) leave H2 to be parsed.
    static final String ENROLLMENTS = "SELECT doc FROM enrollments WHERE doc LIKE '%\"iotHub%'";

    /** What the store names a hub with, per hub host name (case aside). */
    record Mentions(long registrations, long enrollments) {}

    private UnconfiguredHubs() {}

    /** Logs one WARN per hub the store names and {@code configuredHostNames} lacks; does not hold the start up. */
    public static void warnAtStart(Database database, Collection<String> configuredHostNames) {
        find(database, configuredHostNames)
                .onSuccess(found -> found.forEach((hub, m) -> LOG.warn("{} registrations and {} enrollments name hub {},"
                        + " which is not in the config: those devices cannot connect or re-register there; put the hub"
                        + " back or move them", m.registrations(), m.enrollments(), hub)))
                // Best effort, and a stop right after the start closes the store under it: not worth a warning.
                .onFailure(e -> LOG.debug("could not check the store for hubs that are not in the config: {}", e.toString()));
    }

    static Future<Map<String, Mentions>> find(Database database, Collection<String> configuredHostNames) {
        Set<String> configured = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        configured.addAll(configuredHostNames);
        return database.readInBackground(c -> {
            Map<String, Long> registrations = registrationsByHub(c);
            Map<String, Long> enrollments = enrollmentsByHub(c);
            Map<String, Mentions> found = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            registrations.keySet().forEach(hub -> found.put(hub, null));
            enrollments.keySet().forEach(hub -> found.putIfAbsent(hub, null));
            found.keySet().removeAll(configured);
            found.replaceAll((hub, none) -> new Mentions(registrations.getOrDefault(hub, 0L), enrollments.getOrDefault(hub, 0L)));
            return found;
        });
    }

    private static Map<String, Long> registrationsByHub(Connection c) throws SQLException {
        Map<String, Long> counts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try (PreparedStatement s = c.prepareStatement(REGISTRATIONS); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
        return counts;
    }

    /** An enrollment naming a hub twice (iotHubHostName and iotHubs) counts once for it. */
    private static Map<String, Long> enrollmentsByHub(Connection c) throws SQLException {
        Map<String, Long> counts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try (PreparedStatement s = c.prepareStatement(ENROLLMENTS); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                JsonObject doc = new JsonObject(rs.getString(1));
                Set<String> hubs = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                if (doc.getValue("iotHubHostName") instanceof String hub) {
                    hubs.add(hub);
                }
                if (doc.getValue("iotHubs") instanceof JsonArray list) {
                    list.forEach(hub -> {
                        if (hub instanceof String name) {
                            hubs.add(name);
                        }
                    });
                }
                hubs.forEach(hub -> counts.merge(hub, 1L, Long::sum));
            }
        }
        return counts;
    }
}
