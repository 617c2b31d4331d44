package io.onramp.bench.x509;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One measured round of one target. {@code cores}: client, gateways (JVM less client), s_server, others. */
record X509Round(String round, X509Target target, int devices, int completed, double seconds, Histogram latencyMicros,
        Map<String, Long> errors, Map<String, String> examples, double[] cores, String loadAverage) {

    double perSecond() {
        return completed / seconds;
    }

    double millis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Cores of the server under test: the gateway JVM less the client, or the s_server processes. */
    double serverCores() {
        return target.registers() ? cores[1] : cores[2];
    }

    /** Devices per core-second of the server under test. */
    double perServerCoreSecond() {
        return serverCores() > 0 ? perSecond() / serverCores() : Double.NaN;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    String line() {
        return String.format(Locale.ROOT, "%-9s %-17s %8.0f %7.2f %7.2f %7.2f %8.2f %6d   %4.2f %4.2f %4.2f %4.2f %8.0f   %s",
                round, target.label(), perSecond(), millis(50), millis(90), millis(99), millis(100), errorCount(),
                cores[0], cores[1], cores[2], cores[3], perServerCoreSecond(), loadAverage);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-9s %-17s %8s %7s %7s %7s %8s %6s   %-19s %8s   %s", "round", "target",
                "/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "cores cli gw ossl oth", "/srv-core",
                "load avg");
    }

    JsonObject json() {
        JsonObject errorJson = new JsonObject();
        errors.forEach((kind, count) -> errorJson.put(kind, new JsonObject().put("count", count)
                .put("example", examples.get(kind))));
        return new JsonObject().put("round", round).put("target", target.label()).put("devices", devices)
                .put("completed", completed).put("seconds", seconds).put("perSecond", perSecond())
                .put("p50Millis", millis(50)).put("p90Millis", millis(90)).put("p99Millis", millis(99))
                .put("maxMillis", millis(100)).put("errors", errorJson)
                .put("cores", new JsonObject().put("client", cores[0]).put("gateways", cores[1])
                        .put("opensslServers", cores[2]).put("others", cores[3]))
                .put("perServerCoreSecond", perServerCoreSecond()).put("loadAverage", loadAverage);
    }
}
