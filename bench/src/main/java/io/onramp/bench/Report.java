package io.onramp.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Prints rounds as they finish and the medians at the end. This is a CLI: stdout is its output. */
final class Report {

    static final double TARGET_REGISTRATIONS_PER_SECOND = 5_000;
    static final double TARGET_RATIO = 0.65;
    static final double TARGET_P99_MILLIS = 10;

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    void header() {
        line(String.format(Locale.ROOT, "%-14s %-8s %9s %10s %10s %7s %7s %7s %8s %7s",
                "round", "target", "rate", "reg/s", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"));
    }

    void round(RoundResult r) {
        line(String.format(Locale.ROOT, "%-14s %-8s %9s %10.0f %10.0f %7.2f %7.2f %7.2f %8.2f %7d",
                r.label(), r.target().label(),
                r.offeredRate() > 0 ? String.format(Locale.ROOT, "%.0f/s", r.offeredRate()) : "max",
                r.registrationsPerSecond(), r.requestsPerSecond(), r.latencyMillis(50), r.latencyMillis(90),
                r.latencyMillis(99), r.maxLatencyMillis(), r.errors().total()));
        if (r.succeeded() > 0) {
            line(String.format(Locale.ROOT, "    of which to the register answer (202): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms",
                    r.registerLatencyMillis(50), r.registerLatencyMillis(90), r.registerLatencyMillis(99)));
        }
        for (Map.Entry<String, Long> error : r.errors().counts().entrySet()) {
            line("    error " + error.getKey() + " x" + error.getValue() + ", e.g. " + r.errors().example(error.getKey()));
        }
    }

    /** Medians of the given rounds of one target, printed and returned as [reg/s, req/s, p50, p99]. */
    double[] medians(String title, List<RoundResult> rounds) {
        double[] m = {
                median(rounds, RoundResult::registrationsPerSecond), median(rounds, RoundResult::requestsPerSecond),
                median(rounds, r -> r.latencyMillis(50)), median(rounds, r -> r.latencyMillis(99))};
        long errors = rounds.stream().mapToLong(r -> r.errors().total()).sum();
        line(String.format(Locale.ROOT,
                "%-24s median of %d: %8.0f reg/s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d",
                title, rounds.size(), m[0], m[1], m[2], m[3], errors));
        return m;
    }

    void verdict(String what, boolean met) {
        line(String.format(Locale.ROOT, "  %-62s %s", what, met ? "met" : "NOT met"));
    }

    static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
