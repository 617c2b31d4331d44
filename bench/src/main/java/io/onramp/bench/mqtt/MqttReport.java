package io.onramp.bench.mqtt;

import io.onramp.bench.mqtt.Measurement.Metric;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Prints figures as they come and, at the end, the medians beside each other with the targets;
 * the same as JSON in a file. This is a CLI: stdout is its output.
 */
final class MqttReport {

    /** A goal from the issue: a ratio of Onramp to Mosquitto, or a ceiling on Onramp's heap per connection. */
    record Goal(Metric metric, String text, double bound, boolean ratio) {
        boolean met(double value) {
            return ratio ? value >= bound : value <= bound;
        }
    }

    static final List<Goal> GOALS = List.of(
            new Goal(Metric.QOS0, ">= 1.5x mosquitto", 1.5, true),
            new Goal(Metric.QOS1, ">= 1.5x mosquitto", 1.5, true),
            new Goal(Metric.CONNECT, ">= 1.3x mosquitto", 1.3, true),
            new Goal(Metric.CONNECT_TLS, ">= 1.3x mosquitto", 1.3, true),
            new Goal(Metric.IDLE_PLAIN, "<= 4 KiB heap", 4096, false),
            new Goal(Metric.IDLE_TLS, "<= 10 KiB heap", 10240, false));

    private final PrintStream out;
    private final List<Measurement> measurements = new ArrayList<>();
    private final JsonObject json = new JsonObject().put("bench", "mqtt").put("startedAt", Instant.now().toString());

    MqttReport(PrintStream out) {
        this.out = out;
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    void context(String title, List<String> machine, Map<String, String> brokers, MqttBenchOptions options) {
        line(title);
        machine.forEach(this::line);
        json.put("machine", new JsonArray(machine)).put("brokers", new JsonObject(Map.copyOf(brokers)))
                .put("options", new JsonObject().put("rounds", options.rounds()).put("seconds", options.seconds())
                        .put("warmupSeconds", options.warmupSeconds()).put("publishers", options.publishers())
                        .put("window", options.window()).put("payloadBytes", options.payloadBytes())
                        .put("lanes", options.lanes()).put("idle", options.idle())
                        .put("clientThreads", options.clientThreads())
                        .put("figures", new JsonArray(options.figures().stream().sorted().map(Metric::key).toList()))
                        .put("onrampJvm", String.join(" ", options.onrampJvm())));
    }

    void header() {
        line("cores: CPU used in the measuring window by the load client, the broker, and the rest of the machine");
        line(String.format(Locale.ROOT, "%-8s %-10s %-20s %10s %-7s %11s %6s %7s %7s %7s",
                "round", "broker", "figure", "value", "unit", "offered/s", "loss", "client", "broker", "others"));
    }

    /** A figure of a round (round 0: warm-up, printed but not kept). */
    void add(Measurement m) {
        Map<String, Double> d = m.details();
        line(String.format(Locale.ROOT, "%-8s %-10s %-20s %,10.0f %-7s %11s %6s %7s %7s %7s",
                m.round() == 0 ? "warm-up" : "round " + m.round(), m.target(), m.metric().label(), m.value(),
                m.metric().unit(), d.containsKey("publishedPerSecond") ? String.format(Locale.ROOT, "%,.0f",
                        d.get("publishedPerSecond")) : "",
                d.containsKey("lossPercent") ? String.format(Locale.ROOT, "%.1f%%", d.get("lossPercent")) : "",
                cores(d.get("clientCores")), cores(d.get("brokerCores")), cores(d.get("otherCores"))));
        if (d.getOrDefault("connectionsLost", 0.0) > 0 || d.getOrDefault("failed", 0.0) > 0
                || d.getOrDefault("malformed", 0.0) > 0) {
            line(String.format(Locale.ROOT, "         !! %s: %.0f connections lost, %.0f connects failed, %.0f messages"
                    + " with a payload of the wrong size", m.target(), d.getOrDefault("connectionsLost", 0.0),
                    d.getOrDefault("failed", 0.0), d.getOrDefault("malformed", 0.0)));
        }
        if (m.round() > 0) {
            measurements.add(m);
        }
    }

    void memory(Measurement m) {
        Map<String, Double> d = m.details();
        String heap = d.containsKey("heapPerConnection")
                ? String.format(Locale.ROOT, "heap %,8.0f B/conn, ", d.get("heapPerConnection")) : "";
        line(String.format(Locale.ROOT, "memory   %-10s %-20s %sRSS %,8.0f B/conn  (%,.0f connections opened at %,.0f/s)",
                m.target(), m.metric().label(), heap, d.get("rssPerConnection"), d.get("connections"),
                d.get("connectsPerSecond")));
        measurements.add(m);
    }

    /** Prints the medians beside each other with the goals, and writes the JSON report. */
    void summary(Path jsonFile) throws IOException {
        line("");
        line("summary: medians over the rounds; cores = CPU used by the load client / the broker / others");
        line(String.format(Locale.ROOT, "%-30s %14s %14s %8s  %-18s %s",
                "figure", "onramp", "mosquitto", "ratio", "target", "verdict"));
        JsonObject medians = new JsonObject();
        JsonArray verdicts = new JsonArray();
        for (Metric metric : Metric.values()) {
            Optional<Double> ours = median("onramp", metric, Measurement::value);
            Optional<Double> theirs = median("mosquitto", metric, Measurement::value);
            if (ours.isEmpty() && theirs.isEmpty()) {
                continue;
            }
            boolean memory = metric == Metric.IDLE_PLAIN || metric == Metric.IDLE_TLS;
            String ratio = ours.isPresent() && theirs.isPresent() && !memory
                    ? String.format(Locale.ROOT, "%.2fx", ours.get() / theirs.get()) : "";
            Goal goal = GOALS.stream().filter(g -> g.metric() == metric).findFirst()
                    .orElse(new Goal(metric, "(no target)", 0, true));
            String verdict = "";
            if (GOALS.contains(goal) && ours.isPresent() && (!goal.ratio() || theirs.isPresent())) {
                double value = goal.ratio() ? ours.get() / theirs.get() : ours.get();
                verdict = goal.met(value) ? "met" : "NOT met";
                verdicts.add(new JsonObject().put("metric", metric.key()).put("target", goal.text())
                        .put("value", value).put("met", goal.met(value)));
            }
            line(String.format(Locale.ROOT, "%-30s %14s %14s %8s  %-18s %s", metric.label() + " (" + metric.unit() + ")",
                    figure(ours, memory ? "heap " : ""), figure(theirs, memory ? "RSS " : ""), ratio, goal.text(), verdict));
            for (String target : List.of("onramp", "mosquitto")) {
                median(target, metric, Measurement::value).ifPresent(value -> medians.put(target + "." + metric.key(),
                        medianDetails(target, metric).put("value", value).put("unit", metric.unit())));
            }
            coresLine(metric);
        }
        json.put("measurements", measurementsJson()).put("medians", medians).put("targets", verdicts);
        if (jsonFile.getParent() != null) {
            Files.createDirectories(jsonFile.getParent());
        }
        Files.writeString(jsonFile, json.encodePrettily() + "\n");
        line("JSON: " + jsonFile);
    }

    private void coresLine(Metric metric) {
        StringBuilder text = new StringBuilder();
        for (String target : List.of("onramp", "mosquitto")) {
            Optional<Double> client = median(target, metric, m -> m.details().getOrDefault("clientCores", Double.NaN));
            Optional<Double> broker = median(target, metric, m -> m.details().getOrDefault("brokerCores", Double.NaN));
            Optional<Double> others = median(target, metric, m -> m.details().getOrDefault("otherCores", Double.NaN));
            if (client.isPresent() && !client.get().isNaN()) {
                text.append(String.format(Locale.ROOT, "  %s cores %.2f/%.2f/%.2f", target, client.get(), broker.get(),
                        others.get()));
            }
            median(target, metric, m -> m.details().getOrDefault("rssPerConnection", Double.NaN))
                    .filter(rss -> !rss.isNaN() && "onramp".equals(target))
                    .ifPresent(rss -> text.append(String.format(Locale.ROOT, "  onramp RSS %,.0f B/conn", rss)));
            median(target, metric, m -> m.details().getOrDefault("lossPercent", Double.NaN)).filter(l -> !l.isNaN())
                    .ifPresent(loss -> text.append(String.format(Locale.ROOT, ", loss %.1f%%", loss)));
        }
        if (!text.isEmpty()) {
            line("    " + text.toString().trim());
        }
    }

    private JsonObject medianDetails(String target, Metric metric) {
        JsonObject details = new JsonObject();
        measurements.stream().filter(m -> m.target().equals(target) && m.metric() == metric)
                .flatMap(m -> m.details().keySet().stream()).distinct()
                .forEach(key -> median(target, metric, m -> m.details().getOrDefault(key, Double.NaN))
                        .filter(v -> !v.isNaN()).ifPresent(v -> details.put(key, v)));
        return details;
    }

    private JsonArray measurementsJson() {
        JsonArray array = new JsonArray();
        for (Measurement m : measurements) {
            JsonObject details = new JsonObject();
            m.details().forEach(details::put);
            array.add(new JsonObject().put("round", m.round()).put("target", m.target()).put("metric", m.metric().key())
                    .put("value", m.value()).put("unit", m.metric().unit()).put("details", details));
        }
        return array;
    }

    private Optional<Double> median(String target, Metric metric, ToDoubleFunction<Measurement> value) {
        double[] values = measurements.stream().filter(m -> m.target().equals(target) && m.metric() == metric)
                .mapToDouble(value).sorted().toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(median(values));
    }

    static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String figure(Optional<Double> value, String prefix) {
        return value.map(v -> prefix + String.format(Locale.ROOT, "%,.0f", v)).orElse("-");
    }

    private static String cores(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.2f", value);
    }
}
