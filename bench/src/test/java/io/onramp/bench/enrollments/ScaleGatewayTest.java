package io.onramp.bench.enrollments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleGatewayTest {

    @Test
    void configIsAcceptedByTheGatewaysLoader() {
        String yaml = ScaleGateway.config(Path.of("/tmp/onramp-scale-bench-test/data"), 44302,
                "c2NhbGUtYmVuY2gtcG9saWN5LWtleS0wMDAwMDAwMDA=", "c2NhbGUtYmVuY2gtb3duZXIta2V5LTAwMDAwMDAwMDA=",
                "c2NhbGUtYmVuY2gtZ3JvdXAta2V5LTAwMDAwMDAwMDA=");
        GatewayConfig config = new ConfigLoader(Map.of(), Path.of("")).parse("scale-bench", yaml);
        assertThat(config.idScope()).isEqualTo(ScaleGateway.ID_SCOPE);
        assertThat(config.listen().https()).isEqualTo(44302);
        assertThat(config.listen().mqtts()).isEqualTo(-1);
        assertThat(config.accessPolicies()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo(ScaleGateway.POLICY));
        assertThat(config.hubs()).singleElement().satisfies(h -> assertThat(h.hostName()).isEqualTo(ScaleGateway.HUB));
        assertThat(config.enrollmentGroups()).hasSize(1);
    }

    @Test
    void optionsHaveTheIssuesDefaultsAndRefuseNonsense() {
        ScaleOptions defaults = ScaleOptions.parse(new String[] {"--jar", "onramp.jar"});
        assertThat(defaults.enrollments()).isEqualTo(1_000_000);
        assertThat(defaults.small()).isEqualTo(1_000);
        assertThat(defaults.pageSize()).isEqualTo(1_000);
        assertThat(ScaleOptions.parse(new String[] {"--jar", "j", "--enrollments", "100,000", "--gateway-jvm", "-Xmx1g -Xss1m"}))
                .satisfies(o -> {
                    assertThat(o.enrollments()).isEqualTo(100_000);
                    assertThat(o.gatewayJvm()).containsExactly("-Xmx1g", "-Xss1m");
                });
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--jar", "j", "--enrollments", "500"}))
                .hasMessageContaining("--small");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--enrollments", "5000"})).hasMessageContaining("--jar");
        assertThatThrownBy(() -> ScaleOptions.parse(new String[] {"--jar", "j", "--pages", "3"}))
                .hasMessageContaining("unknown option --pages");
        assertThat(EnrollmentImport.registrationId(42)).isEqualTo("scale-0000042");
    }
}
