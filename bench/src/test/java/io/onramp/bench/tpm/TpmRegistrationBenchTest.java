package io.onramp.bench.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TpmRegistrationBenchTest {

    @Test
    void oneIndividualTpmEnrollmentPerDeviceIsAcceptedByTheGatewaysLoader() {
        TpmDevices devices = new TpmDevices(2);
        GatewayConfig config = TpmRegistrationBench.config(Path.of("/tmp/onramp-tpm-bench-test"), 44300, devices);

        assertThat(config.listen().address()).isEqualTo("127.0.0.130");
        assertThat(config.individualEnrollments()).hasSize(2);
        assertThat(devices.id(1)).isEqualTo("tpm-bench-000001");
        assertThat(devices.registerBody(0)).contains(devices.tpm(0).endorsementKey())
                .contains(devices.tpm(0).storageRootKey());
    }

    @Test
    void optionsAndMedian() {
        TpmRegistrationBench.Options options = TpmRegistrationBench.Options.parse("--devices", "10", "--rounds", "5");
        assertThat(options.devices()).isEqualTo(10);
        assertThat(options.rounds()).isEqualTo(5);
        assertThat(options.warmupPasses()).isEqualTo(10);
        assertThat(options.endToEndRounds()).isEqualTo(1);
        assertThat(TpmRegistrationBench.Options.parse("--end-to-end-rounds", "0").endToEndRounds()).isZero();
        assertThatThrownBy(() -> TpmRegistrationBench.Options.parse("--bogus", "1"))
                .hasMessageContaining("bogus");
        assertThat(TpmRegistrationBench.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(TpmRegistrationBench.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
