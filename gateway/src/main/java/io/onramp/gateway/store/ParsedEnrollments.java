package io.onramp.gateway.store;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.policy.enrollment.Enrollment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The enrollments looked up lately, parsed, by their stored text. A TPM device reads its enrollment for its
 * challenge and again for its signed register a moment later, and parsing the stored JSON (instants, keys, the
 * EK's public area) cost about as much as the query itself. Keyed by the whole text, so a changed enrollment is
 * parsed afresh whoever changed it, and nothing here can be stale. Bounded: the least recently used go first.
 */
final class ParsedEnrollments {

    /** About two seconds of lookups at the fastest rate measured; a few KB each. */
    static final int CAPACITY = 4096;

    private record Text(EnrollmentRef.Kind kind, String source, String doc) {}

    private final Map<Text, Optional<Enrollment>> parsed = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Text, Optional<Enrollment>> eldest) {
            return size() > CAPACITY;
        }
    };

    Optional<Enrollment> get(EnrollmentRef.Kind kind, String source, String doc, Supplier<Optional<Enrollment>> parse) {
        Text text = new Text(kind, source, doc);
        synchronized (parsed) {
            Optional<Enrollment> known = parsed.get(text);
            if (known != null) {
                return known;
            }
        }
        Optional<Enrollment> fresh = parse.get();
        synchronized (parsed) {
            parsed.put(text, fresh);
        }
        return fresh;
    }
}
