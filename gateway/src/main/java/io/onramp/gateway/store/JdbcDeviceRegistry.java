package io.onramp.gateway.store;

import io.onramp.broker.hub.DeviceTwins;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.broker.registry.HubTwin;
import io.onramp.broker.registry.IdentityUpdate;
import io.onramp.broker.registry.TwinMode;
import io.onramp.broker.registry.TwinWrite;
import io.onramp.broker.twin.TwinChange;
import io.onramp.broker.twin.TwinDocument;
import io.onramp.broker.twin.TwinUpdate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hubs' device registry and twins in the JDBC store. Every write is one read-modify-write on
 * the store's single writer, so two writers of one twin never lose each other's changes, and
 * completes once on disk.
 */
public final class JdbcDeviceRegistry implements DeviceRegistry, DeviceTwins {

    /** Enough for every device of a busy line to reconnect without a read; about 0.5 KB each. */
    private static final int CACHED_IDENTITIES = 50_000;

    private final Database database;
    private final Clock clock;
    private final IdentityCache identities = new IdentityCache(CACHED_IDENTITIES);
    /**
     * The keys of the device rows that may exist ({@link #rowKey}), so that provisioning a new device, the usual case,
     * costs no read of the row it is about to insert (the read was a tenth of the store writer's work). Keys are
     * added by the writer's thread as it inserts, and only the writer asks, so "absent" is exact whatever event loops
     * queue meanwhile; until the stored keys are loaded, every key is a "maybe" and the row is read as before.
     */
    private final StoredKeyFilter storedRows = new StoredKeyFilter();
    private final Future<Void> storedRowsLoaded;

    public JdbcDeviceRegistry(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.storedRowsLoaded = storedRows.load(database, "SELECT COUNT(*) FROM devices",
                "SELECT hub || '/' || device_id FROM devices");
    }

    /** Completes once provisioning a device this store never held no longer reads its row first. */
    Future<Void> storedRowsLoaded() {
        return storedRowsLoaded;
    }

    /** Journaled: the time, generation ID and etag are drawn here, so a replay after a crash gives the same rows. */
    @Override
    public Future<DeviceIdentity> provision(DeviceProvisioning request) {
        Instant now = clock.instant();
        Redo.ProvisionDevice write = new Redo.ProvisionDevice(request, now, newGenerationId(now), Etags.identity(),
                storedRows);
        return identities.afterWrite(request.hubHostName(), request.deviceId(), database.write(write));
    }

    static DeviceIdentity provision(Connection c, Redo.ProvisionDevice write) throws SQLException {
        DeviceProvisioning r = write.request();
        Instant now = write.now();
        String rowKey = rowKey(r.hubHostName(), r.deviceId());
        boolean mayExist = write.knownRows() == null || write.knownRows().mightContain(rowKey);
        // The identity alone: a device registering again (every boot, for many fleets) keeps its twin,
        // which is read and decoded only when the enrollment resets it.
        Optional<DeviceRows.Owned> existing = mayExist ? DeviceRows.findOwned(c, r.hubHostName(), r.deviceId())
                : Optional.empty();
        if (existing.isEmpty()) {
            DeviceIdentity created = new DeviceIdentity(r.hubHostName(), r.deviceId(), write.generationId(),
                    write.etag(), DeviceStatus.ENABLED, r.authType(), r.primaryKey(), r.secondaryKey(), r.iotEdge(), now, now,
                    null, null, r.primaryThumbprint(), r.secondaryThumbprint());
            insert(c, created, TwinDocument.initial(new JsonObject(r.initialTags()), new JsonObject(r.initialDesired()), now),
                    r.owner(), write.knownRows());
            return created;
        }
        DeviceIdentity old = existing.get().identity();
        String owner = existing.get().owner();
        if (!write.redone()) {
            refuseAnotherOwner(r, owner);
        } else if (r.owner() != null && !r.owner().equals(owner)) {
            // Accepted when it was journaled: a redo gives the row it gave then, whatever a lost write left here.
            DeviceRows.updateOwner(c, r.hubHostName(), r.deviceId(), r.owner());
        }
        DeviceIdentity refreshed = new DeviceIdentity(old.hubHostName(), old.deviceId(), old.generationId(),
                write.etag(), old.status(), r.authType(), r.primaryKey(), r.secondaryKey(), r.iotEdge(),
                old.createdTime(), now, old.statusReason(), old.statusUpdatedTime(), r.primaryThumbprint(),
                r.secondaryThumbprint());
        DeviceRows.updateIdentity(c, refreshed);
        if (r.twinMode() == TwinMode.RESET) {
            TwinDocument twin = DeviceRows.findWithTwin(c, r.hubHostName(), r.deviceId()).orElseThrow().twin();
            TwinChange reset = twin.reset(new JsonObject(r.initialTags()),
                    new JsonObject(r.initialDesired()), now);
            DeviceRows.updateTwin(c, r.hubHostName(), r.deviceId(), reset.twin());
        }
        return refreshed;
    }

    /**
     * New keys for an identity made for someone else would hand its device to whoever holds them: an enrollment
     * writer naming a device ID in use could otherwise take over any device of the hub (or lock it out).
     */
    private static void refuseAnotherOwner(DeviceProvisioning r, String owner) {
        if (Objects.equals(owner, r.owner())) {
            return;
        }
        String whose = owner == null ? "was made through the hub registry API, not by registration " + r.owner()
                : "belongs to registration " + owner + ", not to registration " + r.owner();
        throw new HubException(409, "DeviceAlreadyExists", "Device " + r.deviceId() + " at hub " + r.hubHostName()
                + " " + whose + "; left as it is. Give the enrollment of "
                + r.owner() + " another deviceId, or delete the device at the hub first if it may be taken over.");
    }

    @Override
    public Future<Optional<DeviceIdentity>> find(String hubHostName, String deviceId) {
        return identities.find(hubHostName, deviceId, () -> database.read(c -> DeviceRows.find(c, hubHostName, deviceId)));
    }

    @Override
    public Future<Optional<DeviceTwin>> twin(String hubHostName, String deviceId) {
        return database.read(c -> DeviceRows.findWithTwin(c, hubHostName, deviceId).map(found -> {
            TwinDocument twin = found.twin();
            return new DeviceTwin(hubHostName, deviceId, twin.tags().getMap(), twin.desired().values().getMap(),
                    twin.desired().version(), twin.reported().values().getMap(), twin.reported().version());
        }));
    }

    @Override
    public Future<List<DeviceIdentity>> list(String hubHostName, String afterDeviceId, int limit) {
        if (hubHostName == null && afterDeviceId != null) {
            return Future.failedFuture(new IllegalArgumentException("a page after a device ID needs its hub"));
        }
        return database.read(c -> {
            String where = hubHostName == null ? "" : afterDeviceId == null ? " WHERE hub = ?" : " WHERE hub = ? AND device_id > ?";
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + DeviceRows.IDENTITY + " FROM devices" + where + " ORDER BY hub, device_id LIMIT ?")) {
                int i = 1;
                if (hubHostName != null) {
                    s.setString(i++, hubHostName);
                }
                if (afterDeviceId != null) {
                    s.setString(i++, afterDeviceId);
                }
                s.setInt(i, limit);
                List<DeviceIdentity> devices = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        devices.add(DeviceRows.identity(rs));
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

    @Override
    public Future<Map<DeviceStatus, Long>> countByStatus(String hubHostName) {
        return database.read(c -> {
            Map<DeviceStatus, Long> counts = new EnumMap<>(DeviceStatus.class);
            try (PreparedStatement s = c.prepareStatement("SELECT status, COUNT(*) FROM devices WHERE hub = ? GROUP BY status")) {
                s.setString(1, hubHostName);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.put(DeviceStatus.fromWire(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    @Override
    public Future<DeviceIdentity> create(DeviceDraft draft) {
        return identities.afterWrite(draft.hubHostName(), draft.deviceId(), database.write(c -> {
            if (DeviceRows.find(c, draft.hubHostName(), draft.deviceId()).isPresent()) {
                throw new HubException(409, "DeviceAlreadyExists", "A device with ID '" + draft.deviceId() + "' is already registered.");
            }
            Instant now = clock.instant();
            DeviceIdentity created = fromDraft(draft, null, now);
            insert(c, created, TwinDocument.initial(new JsonObject(), new JsonObject(), now), null, storedRows);
            return created;
        }));
    }

    @Override
    public Future<IdentityUpdate> update(DeviceDraft draft, String ifMatch) {
        return identities.afterWrite(draft.hubHostName(), draft.deviceId(), database.write(c -> {
            DeviceIdentity before = existing(c, draft.hubHostName(), draft.deviceId());
            checkEtag(before.etag(), ifMatch, draft.deviceId());
            DeviceIdentity after = fromDraft(draft, before, clock.instant());
            DeviceRows.updateIdentity(c, after);
            return new IdentityUpdate(before, after);
        }));
    }

    @Override
    public Future<DeviceIdentity> delete(String hubHostName, String deviceId, String ifMatch) {
        return identities.afterWrite(hubHostName, deviceId, database.write(c -> {
            DeviceIdentity identity = existing(c, hubHostName, deviceId);
            checkEtag(identity.etag(), ifMatch, deviceId);
            DeviceRows.delete(c, hubHostName, deviceId);
            return identity;
        }));
    }

    @Override
    public Future<HubTwin> readTwin(String hubHostName, String deviceId) {
        return database.read(c -> existingTwin(c, hubHostName, deviceId));
    }

    @Override
    public Future<List<HubTwin>> twins(String hubHostName, String afterDeviceId, int limit) {
        return database.read(c -> DeviceRows.page(c, hubHostName, afterDeviceId, limit));
    }

    @Override
    public Future<TwinWrite> patchTwin(String hubHostName, String deviceId, TwinUpdate update, String ifMatch) {
        return writeTwin(hubHostName, deviceId, ifMatch, twin -> twin.patch(update, clock.instant()));
    }

    @Override
    public Future<TwinWrite> replaceTwin(String hubHostName, String deviceId, TwinUpdate update, String ifMatch) {
        return writeTwin(hubHostName, deviceId, ifMatch, twin -> twin.replace(update, clock.instant()));
    }

    private Future<TwinWrite> writeTwin(String hub, String deviceId, String ifMatch,
            java.util.function.Function<TwinDocument, TwinChange> write) {
        return database.write(c -> {
            HubTwin current = existingTwin(c, hub, deviceId);
            checkEtag(current.twin().etag(), ifMatch, deviceId);
            TwinChange change = write.apply(current.twin());
            DeviceRows.updateTwin(c, hub, deviceId, change.twin());
            return new TwinWrite(current.identity(), change);
        });
    }

    @Override
    public Future<JsonObject> deviceView(String hubHostName, String deviceId) {
        return database.read(c -> existingTwin(c, hubHostName, deviceId).twin().deviceView());
    }

    /** Journaled: devices report often, and each report would otherwise wait for H2's page writes. */
    @Override
    public Future<Long> patchReported(String hubHostName, String deviceId, JsonObject patch) {
        return database.write(new Redo.PatchReported(hubHostName, deviceId, patch, clock.instant()));
    }

    static long patchReported(Connection c, Redo.PatchReported write) throws SQLException {
        TwinDocument current = existingTwin(c, write.hub(), write.deviceId()).twin();
        if (write.version() != null && current.reported().version() >= write.version()) {
            return current.reported().version(); // a redo of a patch the twin already has
        }
        TwinDocument twin = current.patchReported(write.patch(), write.now());
        DeviceRows.updateTwin(c, write.hub(), write.deviceId(), twin);
        return twin.reported().version();
    }

    /** Every insert of a device row goes through here, on the writer's thread, so that {@code knownRows} misses none. */
    private static void insert(Connection c, DeviceIdentity device, TwinDocument twin, String owner,
            StoredKeyFilter knownRows) throws SQLException {
        if (knownRows != null) {
            knownRows.add(rowKey(device.hubHostName(), device.deviceId()));
        }
        DeviceRows.insert(c, device, twin, owner);
    }

    /** The key of a device row in {@code storedRows}; what the filter loads, {@code hub || '/' || device_id}. */
    private static String rowKey(String hubHostName, String deviceId) {
        return hubHostName + '/' + deviceId;
    }

    private static DeviceIdentity existing(Connection c, String hub, String deviceId) throws SQLException {
        return DeviceRows.find(c, hub, deviceId).orElseThrow(() -> HubException.deviceNotFound(deviceId));
    }

    private static HubTwin existingTwin(Connection c, String hub, String deviceId) throws SQLException {
        return DeviceRows.findWithTwin(c, hub, deviceId).orElseThrow(() -> HubException.deviceNotFound(deviceId));
    }

    private static void checkEtag(String current, String ifMatch, String deviceId) {
        if (!Etags.matches(current, ifMatch)) {
            throw new HubException(412, "PreconditionFailed", "The etag does not match the current one of device " + deviceId + ".");
        }
    }

    /**
     * The identity a draft asks for. Missing keys of a sas device are generated on create; on update
     * the current keys are kept, so an update that leaves out the keys does not lock the device out.
     */
    private static DeviceIdentity fromDraft(DeviceDraft d, DeviceIdentity before, Instant now) {
        boolean sas = d.authType() == AuthType.SAS;
        boolean keepKeys = before != null && before.authType() == AuthType.SAS;
        String primary = sas ? key(d.primaryKey(), keepKeys ? before.primaryKey() : null) : null;
        String secondary = sas ? key(d.secondaryKey(), keepKeys ? before.secondaryKey() : null) : null;
        boolean selfSigned = d.authType() == AuthType.SELF_SIGNED;
        DeviceStatus status = d.status() == null ? DeviceStatus.ENABLED : d.status();
        Instant statusUpdated = before == null ? null : status != before.status() ? now : before.statusUpdatedTime();
        return new DeviceIdentity(d.hubHostName(), d.deviceId(),
                before == null ? newGenerationId(now) : before.generationId(), Etags.identity(), status, d.authType(),
                primary, secondary, d.iotEdge(), before == null ? now : before.createdTime(), now, d.statusReason(),
                statusUpdated, selfSigned ? d.primaryThumbprint() : null, selfSigned ? d.secondaryThumbprint() : null);
    }

    private static String key(String asked, String current) {
        if (!DeviceKeys.absent(asked)) {
            return asked;
        }
        return DeviceKeys.absent(current) ? DeviceKeys.generate() : current;
    }

    /** Like IoT Hub's: a number from the creation time, with random low digits; new after delete and re-create. */
    private static String newGenerationId(Instant now) {
        return Long.toString(now.toEpochMilli() * 10_000 + ThreadLocalRandom.current().nextInt(10_000));
    }
}
