package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.bench.mqtt.Measurement.Metric;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttReportTest {

    @TempDir
    Path dir;

    @Test
    void mediansRatiosAndVerdictsGoToTheSummaryAndTheJson() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        MqttReport report = new MqttReport(new PrintStream(text, true, StandardCharsets.UTF_8));
        report.context("title", List.of("cpu: test"), Map.of("onramp", "jar", "mosquitto", "2.0"),
                MqttBenchOptions.parse(new String[0]));
        report.add(new Measurement(0, "onramp", Metric.QOS0, 1, Map.of("clientCores", 0.5))); // warm-up: not kept
        for (int round = 1; round <= 3; round++) {
            report.add(new Measurement(round, "onramp", Metric.QOS0, 10_000 * round, Map.of("clientCores", 0.5,
                    "brokerCores", 1.0, "otherCores", 0.0, "lossPercent", 1.0)));
            report.add(new Measurement(round, "mosquitto", Metric.QOS0, 4_000, Map.of("clientCores", 0.4,
                    "brokerCores", 0.9, "otherCores", 0.0, "lossPercent", 0.0)));
        }
        report.memory(new Measurement(0, "onramp", Metric.IDLE_PLAIN, 5_000, Map.of("heapPerConnection", 5_000.0,
                "rssPerConnection", 7_000.0, "connections", 100.0, "connectsPerSecond", 50.0)));
        Path json = dir.resolve("out/mqtt.json");
        report.summary(json);

        JsonObject written = new JsonObject(Files.readString(json));
        assertThat(written.getJsonObject("medians").getJsonObject("onramp.qos0").getDouble("value")).isEqualTo(20_000.0);
        assertThat(written.getJsonArray("measurements")).hasSize(7);
        assertThat(written.getJsonArray("targets").getJsonObject(0).getMap())
                .containsEntry("metric", "qos0").containsEntry("value", 5.0).containsEntry("met", true);
        assertThat(written.getJsonArray("targets").getJsonObject(1).getMap())
                .containsEntry("metric", "idlePlain").containsEntry("met", false);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("5.00x").contains("NOT met").contains("heap 5,000");
    }
}
