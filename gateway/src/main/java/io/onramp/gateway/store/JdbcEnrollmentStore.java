package io.onramp.gateway.store;

import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.gateway.enrollment.EnrollmentJson;
import io.onramp.gateway.enrollment.EnrollmentReader;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.EnrollmentStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollments in the JDBC store. Individual enrollments are looked up by their primary key on
 * every registration (a million of them would not fit a heap cheaply, and the index keeps the
 * lookup flat as the count grows); the few groups are held in memory, refreshed after each change
 * and before the change is acknowledged, so that a disabled or deleted group is seen by the next
 * registration. Config-file enrollments are written through on start-up, so the store always
 * reflects the file.
 */
public final class JdbcEnrollmentStore implements EnrollmentStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcEnrollmentStore.class);
    private static final SecretResolver NO_SECRETS = new SecretResolver(Map.of(), Path.of("."));
    static final String FIND = "SELECT source, doc FROM enrollments WHERE kind = ? AND id_key = ?";
    // Ordered by the whole primary key, so H2 reads the page in index order and stops at the limit;
    // ORDER BY id_key alone made it read and sort every row after the key (seconds per page at 1M).
    static final String PAGE = "SELECT source, doc FROM enrollments WHERE kind = ? AND id_key > ? ORDER BY kind, id_key LIMIT ?";

    private final Database database;
    private final Consumer<Enrollment> apiCheck;
    private final ParsedEnrollments parsed = new ParsedEnrollments();
    private final StoredKeyFilter individuals = new StoredKeyFilter();
    private final Future<Void> individualsLoaded;
    private volatile List<EnrollmentGroup> groups = List.of();
    private long refreshesStarted;
    private long refreshApplied;

    public JdbcEnrollmentStore(Database database) {
        this(database, enrollment -> { });
    }

    /**
     * @param apiCheck run on every enrollment written through the API, before it is stored; throws
     *                 (e.g. a 400 for a group naming an unverified CA certificate) to refuse it
     */
    public JdbcEnrollmentStore(Database database, Consumer<Enrollment> apiCheck) {
        this.database = database;
        this.apiCheck = apiCheck;
        // A device of a group is first looked up as an individual enrollment: without this, a read per registration.
        this.individualsLoaded = individuals.load(database, "SELECT COUNT(*) FROM enrollments WHERE kind = 'individual'",
                "SELECT id_key FROM enrollments WHERE kind = 'individual'");
    }

    /** Completes once lookups of absent individual enrollments no longer read the database. */
    Future<Void> individualsLoaded() {
        return individualsLoaded;
    }

    /** Replaces the config-file enrollments with the current file's, then loads the groups. */
    public Future<Void> start(List<EnrollmentGroup> configGroups, List<IndividualEnrollment> configIndividuals) {
        return syncConfig(configGroups, configIndividuals)
                .compose(changes -> count(EnrollmentRef.Kind.INDIVIDUAL))
                .map(individuals -> {
                    LOG.info("enrollments: {} individual, {} groups", individuals, groups.size());
                    return null;
                });
    }

    /**
     * Makes the config-file enrollments the given ones, in one transaction, then loads the groups: at start, and
     * when the config file changes under a running gateway. An enrollment the file did not change keeps its etag.
     */
    public Future<ConfigEnrollmentChanges> syncConfig(List<EnrollmentGroup> configGroups,
            List<IndividualEnrollment> configIndividuals) {
        return database.write(c -> syncConfig(c, configGroups, configIndividuals))
                .compose(changes -> refreshGroups().map(changes));
    }

    @Override
    public Future<Optional<IndividualEnrollment>> individual(String registrationId) {
        return find(EnrollmentRef.Kind.INDIVIDUAL, registrationId).map(found -> found.map(IndividualEnrollment.class::cast));
    }

    @Override
    public List<EnrollmentGroup> groups() {
        return groups;
    }

    public Future<Optional<Enrollment>> find(EnrollmentRef.Kind kind, String id) {
        if (kind == EnrollmentRef.Kind.INDIVIDUAL && !individuals.mightContain(RegistrationIds.key(id))) {
            return Future.succeededFuture(Optional.empty());
        }
        return database.read(c -> select(c, kind, id));
    }

    /**
     * Creates or replaces an enrollment, checking the write's conditions against the stored one in
     * the same transaction, on the store's one writer thread, so no other write can slip in between.
     * Fails with 409 for a config-file enrollment or an existing one under {@code IfExists.CONFLICT},
     * 412 on an etag mismatch or an existing one under {@code IfExists.PRECONDITION_FAILED}, 404 when
     * asked to, 400 from the draft.
     */
    public Future<Enrollment> put(EnrollmentWrite write) {
        return database.write(c -> {
                    Optional<Enrollment> existing = select(c, write.kind(), write.id());
                    check(write, existing);
                    Enrollment draft = write.draft().apply(existing);
                    apiCheck.accept(draft);
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // the API's times: at most 7 digits
                    Enrollment stamped = EnrollmentJson.withServerFields(draft, Etags.next(),
                            existing.map(Enrollment::createdDateTimeUtc).orElse(now), now);
                    upsert(c, stamped, EnrollmentSource.API);
                    return stamped;
                })
                .compose(saved -> afterChange(write.kind()).map(saved));
    }

    /**
     * Deletes an enrollment (404 if absent, 412 on an etag mismatch, 409 for a config-file one).
     * An individual enrollment's registration record goes with it; a group's records stay (spec 6).
     */
    public Future<Enrollment> delete(EnrollmentRef.Kind kind, String id, String ifMatch) {
        return database.write(c -> {
                    Enrollment existing = select(c, kind, id).orElseThrow(() -> EnrollmentErrors.notFound(kind, id));
                    if (existing.source() == EnrollmentSource.CONFIG) {
                        throw EnrollmentErrors.managedByConfig(kind, id);
                    }
                    if (!Etags.matchesStrongly(existing.etag(), ifMatch)) {
                        throw EnrollmentErrors.etagMismatch(kind, id);
                    }
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM enrollments WHERE kind = ? AND id_key = ?")) {
                        s.setString(1, kindColumn(kind));
                        s.setString(2, RegistrationIds.key(id));
                        s.executeUpdate();
                    }
                    if (kind == EnrollmentRef.Kind.INDIVIDUAL) {
                        try (PreparedStatement s = c.prepareStatement(
                                "DELETE FROM registrations WHERE reg_key = ? AND enrollment_kind = 'INDIVIDUAL'")) {
                            s.setString(1, RegistrationIds.key(id));
                            s.executeUpdate();
                        }
                    }
                    return existing;
                })
                .compose(deleted -> afterChange(kind).map(deleted));
    }

    /** Up to {@code limit} enrollments of a kind whose lower-cased id sorts after {@code afterKey} (null: from the start). */
    public Future<List<Enrollment>> page(EnrollmentRef.Kind kind, String afterKey, int limit) {
        return database.read(c -> {
            List<Enrollment> page = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(PAGE)) {
                s.setString(1, kindColumn(kind));
                s.setString(2, afterKey == null ? "" : afterKey);
                s.setInt(3, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        parse(kind, rs.getString(1), rs.getString(2)).ifPresent(page::add);
                    }
                }
            }
            return page;
        });
    }

    public Future<Long> count(EnrollmentRef.Kind kind) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM enrollments WHERE kind = ?")) {
                s.setString(1, kindColumn(kind));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static void check(EnrollmentWrite write, Optional<Enrollment> existing) {
        if (existing.isPresent()) {
            // Before the config-file check: a create-only client needs to hear "it exists", whoever owns it.
            if (write.ifExists() == EnrollmentWrite.IfExists.PRECONDITION_FAILED) {
                throw EnrollmentErrors.existsPrecondition(write.kind(), write.id());
            }
            if (existing.get().source() == EnrollmentSource.CONFIG) {
                throw EnrollmentErrors.managedByConfig(write.kind(), write.id());
            }
            if (write.ifExists() == EnrollmentWrite.IfExists.CONFLICT) {
                throw EnrollmentErrors.exists(write.kind(), write.id());
            }
            if (!Etags.matchesStrongly(existing.get().etag(), write.ifMatch())) {
                throw EnrollmentErrors.etagMismatch(write.kind(), write.id());
            }
        } else if (write.ifMatch() != null && !write.ifMatch().isBlank()) {
            // If-Match names a version of something that is not there (spec 5.2).
            throw write.absentIsNotFound() ? EnrollmentErrors.notFound(write.kind(), write.id())
                    : EnrollmentErrors.etagMismatch(write.kind(), write.id());
        }
    }

    private Future<Void> afterChange(EnrollmentRef.Kind kind) {
        return kind == EnrollmentRef.Kind.GROUP ? refreshGroups() : Future.succeededFuture();
    }

    /**
     * Reloads the groups. A refresh started later saw at least as much as one started earlier, so
     * only the latest-started result is applied, whatever order the reads finish in.
     */
    private Future<Void> refreshGroups() {
        long ticket;
        synchronized (this) {
            ticket = ++refreshesStarted;
        }
        return page(EnrollmentRef.Kind.GROUP, null, Integer.MAX_VALUE).map(loaded -> {
            synchronized (this) {
                if (ticket > refreshApplied) {
                    refreshApplied = ticket;
                    groups = loaded.stream().map(EnrollmentGroup.class::cast).toList();
                }
            }
            return null;
        });
    }

    private Optional<Enrollment> select(Connection c, EnrollmentRef.Kind kind, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, kindColumn(kind));
            s.setString(2, RegistrationIds.key(id));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String source = rs.getString(1);
                String doc = rs.getString(2);
                return parsed.get(kind, source, doc, () -> parse(kind, source, doc));
            }
        }
    }

    private static Optional<Enrollment> parse(EnrollmentRef.Kind kind, String source, String doc) {
        EnrollmentReader reader = new EnrollmentReader(NO_SECRETS, EnrollmentSource.valueOf(source));
        ConfigNode node = ConfigNode.root(EnrollmentJson.parseTree(doc));
        Optional<? extends Enrollment> e = kind == EnrollmentRef.Kind.GROUP ? reader.group(node) : reader.individual(node);
        if (e.isEmpty()) {
            LOG.error("stored enrollment is unreadable and is skipped: {}", node.problems());
        }
        return e.map(Enrollment.class::cast);
    }

    private ConfigEnrollmentChanges syncConfig(Connection c, List<EnrollmentGroup> configGroups,
            List<IndividualEnrollment> configIndividuals) throws SQLException {
        Map<String, StoredRow> stored = configRows(c);
        List<Enrollment> fromConfig = new ArrayList<>(configGroups);
        fromConfig.addAll(configIndividuals);
        int added = 0;
        int changed = 0;
        for (Enrollment e : fromConfig) {
            StoredRow row = stored.remove(rowKey(kindColumn(e), RegistrationIds.key(id(e))));
            JsonObject before = row == null ? null : new JsonObject(row.doc());
            Instant created = before == null ? e.createdDateTimeUtc() : Instant.parse(before.getString("createdDateTimeUtc"));
            if (before != null && EnrollmentJson.sameSettings(before, EnrollmentJson.write(e, EnrollmentJson.View.STORE))) {
                continue;
            }
            // A config enrollment replaces an API one of the same ID: the file is the operator's word.
            upsert(c, EnrollmentJson.withServerFields(e, Etags.next(), created, e.lastUpdatedDateTimeUtc()),
                    EnrollmentSource.CONFIG);
            if (row == null) {
                added++;
            } else {
                changed++;
            }
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM enrollments WHERE kind = ? AND id_key = ? AND source = 'CONFIG'")) {
            for (StoredRow gone : stored.values()) {
                delete.setString(1, gone.kind());
                delete.setString(2, gone.idKey());
                delete.addBatch();
            }
            delete.executeBatch();
        }
        return new ConfigEnrollmentChanges(added, changed, stored.values().stream().map(StoredRow::name).sorted().toList());
    }

    private record StoredRow(String kind, String idKey, String doc) {
        /** "group sensors", "individual press-7": the ID as written, not its lookup key. */
        String name() {
            return JdbcEnrollmentStore.name(kind, new JsonObject(doc).getString(kind.equals("group") ? "enrollmentGroupId" : "registrationId"));
        }
    }

    private static Map<String, StoredRow> configRows(Connection c) throws SQLException {
        Map<String, StoredRow> rows = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT kind, id_key, doc FROM enrollments WHERE source = 'CONFIG'");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                StoredRow row = new StoredRow(rs.getString(1), rs.getString(2), rs.getString(3));
                rows.put(rowKey(row.kind(), row.idKey()), row);
            }
        }
        return rows;
    }

    private static String rowKey(String kind, String idKey) {
        return kind + '/' + idKey;
    }

    private static String storeDoc(Enrollment e) {
        return EnrollmentJson.write(e, EnrollmentJson.View.STORE).encode();
    }

    private void upsert(Connection c, Enrollment e, EnrollmentSource source) throws SQLException {
        if (e instanceof IndividualEnrollment) {
            individuals.add(RegistrationIds.key(id(e))); // before the commit, so no lookup can miss it
        }
        try (PreparedStatement merge = c.prepareStatement(
                "MERGE INTO enrollments (kind, id_key, source, etag, doc) KEY (kind, id_key) VALUES (?,?,?,?,?)")) {
            merge.setString(1, kindColumn(e));
            merge.setString(2, RegistrationIds.key(id(e)));
            merge.setString(3, source.name());
            merge.setString(4, e.etag());
            merge.setString(5, storeDoc(e));
            merge.executeUpdate();
        }
    }

    public static String id(Enrollment e) {
        return e instanceof EnrollmentGroup g ? g.enrollmentGroupId() : ((IndividualEnrollment) e).registrationId();
    }

    /** "group sensors", "individual press-7": how the log and the config check name an enrollment. */
    public static String name(Enrollment e) {
        return name(kindColumn(e), id(e));
    }

    private static String name(String kind, String id) {
        return kind + " " + id;
    }

    private static String kindColumn(Enrollment e) {
        return kindColumn(e instanceof EnrollmentGroup ? EnrollmentRef.Kind.GROUP : EnrollmentRef.Kind.INDIVIDUAL);
    }

    private static String kindColumn(EnrollmentRef.Kind kind) {
        return kind == EnrollmentRef.Kind.GROUP ? "group" : "individual";
    }
}
