package io.onramp.gateway.store;

import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.SecretResolver;
import io.onramp.gateway.enrollment.EnrollmentJson;
import io.onramp.gateway.enrollment.EnrollmentReader;
import io.onramp.gateway.provisioning.EnrollmentStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollments in the JDBC store, with every enrollment also held in memory for the hot lookup path.
 * Config-file enrollments are written through on start-up, so the store always reflects the file.
 */
public final class JdbcEnrollmentStore implements EnrollmentStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcEnrollmentStore.class);
    private static final String INDIVIDUAL = "individual";
    private static final String GROUP = "group";

    private final Database database;
    private final Map<String, IndividualEnrollment> individuals = new ConcurrentHashMap<>();
    private final List<EnrollmentGroup> groups = new CopyOnWriteArrayList<>();

    public JdbcEnrollmentStore(Database database) {
        this.database = database;
    }

    /** Loads what the store holds, then replaces the config-file enrollments with the current file's. */
    public Future<Void> start(List<EnrollmentGroup> configGroups, List<IndividualEnrollment> configIndividuals) {
        return database.read(JdbcEnrollmentStore::loadAll)
                .compose(stored -> database.write(c -> syncConfig(c, stored, configGroups, configIndividuals)))
                .map(all -> {
                    individuals.clear();
                    groups.clear();
                    for (Enrollment e : all) {
                        if (e instanceof IndividualEnrollment i) {
                            individuals.put(RegistrationIds.key(i.registrationId()), i);
                        } else if (e instanceof EnrollmentGroup g) {
                            groups.add(g);
                        }
                    }
                    LOG.info("enrollments: {} individual, {} groups", individuals.size(), groups.size());
                    return null;
                });
    }

    @Override
    public Future<Optional<IndividualEnrollment>> individual(String registrationId) {
        return Future.succeededFuture(Optional.ofNullable(individuals.get(RegistrationIds.key(registrationId))));
    }

    @Override
    public List<EnrollmentGroup> groups() {
        return groups;
    }

    private static List<Enrollment> loadAll(Connection c) throws SQLException {
        List<Enrollment> all = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT kind, source, doc FROM enrollments ORDER BY kind, id_key");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                EnrollmentSource source = EnrollmentSource.valueOf(rs.getString(2));
                EnrollmentReader reader = new EnrollmentReader(new SecretResolver(Map.of(), Path.of(".")), source);
                ConfigNode node = ConfigNode.root(EnrollmentJson.parseTree(rs.getString(3)));
                Optional<? extends Enrollment> e = GROUP.equals(rs.getString(1)) ? reader.group(node) : reader.individual(node);
                if (e.isPresent()) {
                    all.add(e.get());
                } else {
                    LOG.error("stored enrollment is unreadable and is skipped: {}", node.problems());
                }
            }
        }
        return all;
    }

    private static List<Enrollment> syncConfig(Connection c, List<Enrollment> stored, List<EnrollmentGroup> configGroups,
            List<IndividualEnrollment> configIndividuals) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM enrollments WHERE source = 'CONFIG'")) {
            delete.executeUpdate();
        }
        List<Enrollment> all = new ArrayList<>();
        for (Enrollment e : stored) {
            if (e.source() == EnrollmentSource.API) {
                all.add(e);
            }
        }
        try (PreparedStatement merge = c.prepareStatement(
                "MERGE INTO enrollments (kind, id_key, source, etag, doc) KEY (kind, id_key) VALUES (?,?,?,?,?)")) {
            List<Enrollment> fromConfig = new ArrayList<>(configGroups);
            fromConfig.addAll(configIndividuals);
            for (Enrollment e : fromConfig) {
                Enrollment withEtag = EnrollmentJson.withEtag(e, Etags.next());
                merge.setString(1, withEtag instanceof EnrollmentGroup ? GROUP : INDIVIDUAL);
                merge.setString(2, key(withEtag));
                merge.setString(3, EnrollmentSource.CONFIG.name());
                merge.setString(4, withEtag.etag());
                merge.setString(5, EnrollmentJson.write(withEtag, true).encode());
                merge.addBatch();
                // A config enrollment replaces an API one of the same ID: the file is the operator's word.
                all.removeIf(x -> x.getClass() == withEtag.getClass() && sameId(x, withEtag));
                all.add(withEtag);
            }
            merge.executeBatch();
        }
        return all;
    }

    private static boolean sameId(Enrollment a, Enrollment b) {
        return key(a).equals(key(b));
    }

    private static String key(Enrollment e) {
        return RegistrationIds.key(e instanceof EnrollmentGroup g ? g.enrollmentGroupId()
                : ((IndividualEnrollment) e).registrationId());
    }
}
