package io.onramp.bench;

import java.util.Map;
import java.util.TreeMap;

/** Failed registrations by kind, with the first example of each. Not thread-safe: one per lane. */
final class ErrorTally {

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, String> examples = new TreeMap<>();

    void add(String kind, String example) {
        counts.merge(kind, 1L, Long::sum);
        examples.putIfAbsent(kind, example);
    }

    void addAll(ErrorTally other) {
        other.counts.forEach((kind, count) -> counts.merge(kind, count, Long::sum));
        other.examples.forEach(examples::putIfAbsent);
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<String, Long> counts() {
        return counts;
    }

    String example(String kind) {
        return examples.get(kind);
    }
}
