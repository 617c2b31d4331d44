package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.transport.ConnectionLimits;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code connections} section: how many connections the gateway holds, in all and per client address. */
class ConnectionsConfigTest {

    final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of(""));

    @Test
    void leftOutMaxIsWhatTheJvmCanHoldAndPerAddressIsAThousand() {
        ConnectionLimits limits = loader.parse("t", "idScope: 0ne1\n").connections().limits();

        long byHeap = Runtime.getRuntime().maxMemory() / (32 * 1024);
        assertThat(limits.max()).isPositive().isLessThanOrEqualTo((int) Math.min(Integer.MAX_VALUE, byHeap));
        assertThat(limits.describe()).startsWith("derived: ");
        assertThat(limits.perAddress()).isEqualTo(1000);
    }

    @Test
    void bothMayBeSet() {
        ConnectionLimits limits = loader.parse("t", """
            idScope: 0ne1
            connections: { max: 50000, perAddress: 20 }
            """).connections().limits();

        assertThat(limits.max()).isEqualTo(50_000);
        assertThat(limits.describe()).isEqualTo("connections.max");
        assertThat(limits.perAddress()).isEqualTo(20);
    }

    @Test
    void nonsenseIsRefusedNamingTheField() {
        assertThatThrownBy(() -> loader.parse("t", """
            idScope: 0ne1
            connections: { max: 0, perAddress: lots, perIp: 5 }
            """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("connections.max:"))
                .anySatisfy(p -> assertThat(p).startsWith("connections.perAddress:"))
                .anySatisfy(p -> assertThat(p).isEqualTo("connections.perIp: unknown field (allowed: max, perAddress)")));
    }
}
