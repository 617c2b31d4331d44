package io.onramp.gateway.app;

import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.enrollment.EnrollmentJson;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.RegistrationIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a config file would do to a gateway running on another, told before it is put in place
 * ({@code onramp config check NEW}): the hot reload's own reading ({@link ConfigDiff}), and the file's enrollments
 * by ID, compared as the store compares them when it syncs them. Enrollments made through the service API are not
 * in either file and are not looked at; a config enrollment of the same ID would replace one.
 *
 * @param changed     the settings that would apply at once
 * @param needRestart the settings that would wait for the next start
 * @param added       the config enrollments the file adds, as "group sensors" or "individual press-7"
 * @param altered     the config enrollments whose settings it changes
 * @param removed     the config enrollments it removes: their devices can no longer register
 */
public record ConfigPreview(List<String> changed, List<String> needRestart, List<String> added, List<String> altered,
        List<String> removed) {

    /** Enrollment names listed in a line before "and N more". */
    private static final int LISTED = 10;

    /** @throws io.onramp.gateway.config.ConfigException when a running gateway would refuse the whole file */
    public static ConfigPreview of(String source, GatewayConfig current, GatewayConfig next) {
        ConfigDiff diff = ConfigDiff.of(source, current, next);
        Map<String, Enrollment> before = byKey(current);
        List<String> added = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        byKey(next).forEach((key, enrollment) -> {
            Enrollment old = before.remove(key);
            if (old == null) {
                added.add(JdbcEnrollmentStore.name(enrollment));
            } else if (!EnrollmentJson.sameSettings(EnrollmentJson.write(old, EnrollmentJson.View.STORE),
                    EnrollmentJson.write(enrollment, EnrollmentJson.View.STORE))) {
                altered.add(JdbcEnrollmentStore.name(enrollment));
            }
        });
        List<String> removed = before.values().stream().map(JdbcEnrollmentStore::name).toList();
        return new ConfigPreview(diff.changed(), diff.needRestart(), List.copyOf(added), List.copyOf(altered), removed);
    }

    /** "group g0, group g1, ... group g9 and 3 more": the first ten names, then a count, for a line of its own. */
    public static String briefly(List<String> names) {
        int shown = Math.min(LISTED, names.size());
        return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }

    public boolean changesAnything() {
        return !changed.isEmpty() || !needRestart.isEmpty() || !added.isEmpty() || !altered.isEmpty()
                || !removed.isEmpty();
    }

    /** The config's enrollments in file order, by kind and registration-ID key (IDs compare as the store's do). */
    private static Map<String, Enrollment> byKey(GatewayConfig config) {
        Map<String, Enrollment> enrollments = new LinkedHashMap<>();
        Stream.concat(config.enrollmentGroups().stream(), config.individualEnrollments().stream())
                .forEach(e -> enrollments.put((e instanceof EnrollmentGroup ? "group/" : "individual/")
                        + RegistrationIds.key(JdbcEnrollmentStore.id(e)), e));
        return enrollments;
    }
}
