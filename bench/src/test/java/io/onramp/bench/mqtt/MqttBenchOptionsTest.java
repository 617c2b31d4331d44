package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import io.onramp.bench.mqtt.Measurement.Metric;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MqttBenchOptionsTest {

    @Test
    void defaultsCompareBothBrokersWithTheIssuesLoad() {
        MqttBenchOptions options = MqttBenchOptions.parse(new String[0]);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.publishers()).isEqualTo(8);
        assertThat(options.payloadBytes()).isEqualTo(100);
        assertThat(options.idle()).isEqualTo(15_000);
        assertThat(options.clientThreads()).isEqualTo(1);
        assertThat(options.targets()).containsExactly("mosquitto", "onramp");
        assertThat(options.devices()).isEqualTo(15_000);
        assertThat(options.figures()).isEqualTo(MqttBenchOptions.RATES);
    }

    @Test
    void readsEveryOption() {
        MqttBenchOptions options = MqttBenchOptions.parse(new String[] {"--rounds", "5", "--seconds", "4",
                "--warmup-seconds", "0", "--publishers", "16", "--window", "50", "--payload", "200", "--lanes", "8",
                "--idle", "0", "--client-threads", "2", "--target", "onramp", "--figures", "connect, qos1", "--jar", "x.jar", "--onramp-jvm",
                " -Xmx1g  -XX:+UseZGC ", "--json", "out.json"});
        assertThat(options).isEqualTo(new MqttBenchOptions(5, 4, 0, 16, 50, 200, 8, 0, 2, List.of("onramp"),
                Set.of(Metric.CONNECT, Metric.QOS1), Path.of("x.jar"), List.of("-Xmx1g", "-XX:+UseZGC"), Path.of("out.json")));
        assertThat(options.includes("mosquitto")).isFalse();
        assertThat(options.measures(Metric.CONNECT)).isTrue();
        assertThat(options.measures(Metric.QOS0)).isFalse();
        assertThat(options.devices()).isEqualTo(2_000);
    }

    @Test
    void aForwardingOnrampIsATargetOfItsOwn() {
        assertThat(MqttBenchOptions.parse(new String[] {"--target", "onramp, onramp-upstream"}).targets())
                .containsExactly("onramp", "onramp-upstream");
        assertThat(MqttBenchOptions.parse(new String[] {"--target", "both"}).targets()).containsExactly("mosquitto", "onramp");
    }

    @Test
    void refusesNonsense() {
        for (String[] args : List.of(new String[] {"--rounds", "0"}, new String[] {"--idle", "-1"},
                new String[] {"--window", "70000"}, new String[] {"--target", "emqx"}, new String[] {"--target", "onramp,emqx"},
                new String[] {"--seconds"},
                new String[] {"--lanes", "many"}, new String[] {"--qos", "2"},
                new String[] {"--figures", "idlePlain"}, new String[] {"--figures", "connect,nope"})) {
            assertThatThrownBy(() -> MqttBenchOptions.parse(args)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
