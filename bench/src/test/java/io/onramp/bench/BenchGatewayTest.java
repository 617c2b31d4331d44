package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.GatewayConfig;
import io.onramp.policy.allocation.AllocationPolicyKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchGatewayTest {

    @Test
    void configIsAcceptedByTheGatewaysLoader() {
        GatewayConfig config = BenchGateway.config(Path.of("/tmp/onramp-bench-test"), 44300, null);
        assertThat(config.idScope()).isEqualTo(BenchGateway.ID_SCOPE);
        assertThat(config.listen().address()).isEqualTo(BenchGateway.ADDRESS);
        assertThat(config.listen().https()).isEqualTo(44300);
        assertThat(config.listen().mqtts()).isEqualTo(-1);
        assertThat(config.hubs()).hasSize(2);
        assertThat(config.enrollmentGroups()).hasSize(1);
    }

    @Test
    void withAWebhookTheGroupIsAllocatedByIt() {
        GatewayConfig config = BenchGateway.config(Path.of("/tmp/onramp-bench-test"), 44300,
                "http://127.0.0.51:8080/api/assign?code=bench");
        assertThat(config.enrollmentGroups()).singleElement().satisfies(group -> {
            assertThat(group.allocationPolicy()).isEqualTo(AllocationPolicyKind.CUSTOM);
            assertThat(group.customAllocationDefinition().webhookUrl()).isEqualTo("http://127.0.0.51:8080/api/assign?code=bench");
        });
    }
}
