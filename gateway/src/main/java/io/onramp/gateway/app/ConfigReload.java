package io.onramp.gateway.app;

import io.onramp.gateway.store.ConfigEnrollmentChanges;
import java.util.ArrayList;
import java.util.List;

/**
 * What applying a changed config file did.
 *
 * @param changed     the settings now in effect that changed (by their names in the file)
 * @param enrollments what changed among the config file's enrollments
 * @param needRestart the settings that changed but take effect only at the next start
 */
public record ConfigReload(List<String> changed, ConfigEnrollmentChanges enrollments, List<String> needRestart) {

    public boolean changedAnything() {
        return !changed.isEmpty() || enrollments.any();
    }

    /** For the log: "accessPolicies; enrollments (1 added, 0 changed, 0 removed)", or "nothing". */
    public String describe() {
        List<String> parts = new ArrayList<>(changed);
        if (enrollments.any()) {
            parts.add("enrollments (" + enrollments + ")");
        }
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }
}
