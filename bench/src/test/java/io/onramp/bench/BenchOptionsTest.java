package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsLoadBothTargetsAsFastAsPossible() {
        BenchOptions options = BenchOptions.parse(new String[0]);
        assertThat(options.devices()).isEqualTo(20_000);
        assertThat(options.concurrency()).isEqualTo(64);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.rate()).isZero();
        assertThat(options.targets()).containsExactly(Target.GATEWAY, Target.BARE);
    }

    @Test
    void readsEveryOption() {
        BenchOptions options = BenchOptions.parse(new String[] {"--devices", "100", "--concurrency", "8", "--connections",
                "4", "--client-threads", "2", "--rounds", "5", "--warmup-seconds", "0", "--target", "bare", "--half-rate",
                "--allocation", "custom"});
        assertThat(options).isEqualTo(new BenchOptions(100, 0, 8, 4, 2, 5, 0, true, List.of(Target.BARE), true));
    }

    @Test
    void refusesContradictionsAndNonsense() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate", "100", "--half-rate"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--devices", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--allocation", "geo"}))
                .hasMessageContaining("--allocation must be hashed or custom");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--target", "hub"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--devices"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
