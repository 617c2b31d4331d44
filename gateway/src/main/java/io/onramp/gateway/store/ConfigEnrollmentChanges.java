package io.onramp.gateway.store;

/** What syncing the config file's enrollments into the store did: counts of enrollments added, changed and removed. */
public record ConfigEnrollmentChanges(int added, int changed, int removed) {

    public boolean any() {
        return added + changed + removed > 0;
    }

    @Override
    public String toString() {
        return added + " added, " + changed + " changed, " + removed + " removed";
    }
}
