package io.onramp.gateway.store;

import java.util.List;

/**
 * What syncing the config file's enrollments into the store did: counts of enrollments added and changed, and the
 * ones removed, as "group sensors" or "individual press-7" (their devices can no longer register: the log names them).
 */
public record ConfigEnrollmentChanges(int added, int changed, List<String> removed) {

    public ConfigEnrollmentChanges {
        removed = List.copyOf(removed);
    }

    public boolean any() {
        return added + changed + removed.size() > 0;
    }

    @Override
    public String toString() {
        return added + " added, " + changed + " changed, " + removed.size() + " removed";
    }
}
