package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's API client is called from the command's own thread, one exchange after the
 * other, as the CLI does. Driven from that thread, the Vert.x client once in a while left a request
 * unwritten (run against that client, this test hung within seconds); see {@link EventLoopCall}.
 */
class ServiceApiClientIT {

    @TempDir
    Path dir;

    @Test
    void manySequentialCallsFromTheCommandsThreadAllComeBack() throws Exception {
        TestGateway gateway = TestGateway.start("127.0.0.142", dir.resolve("data"),
                AdminApi.ownerPolicy("Q2FDbGlPd25lcktleUZvclRlc3RzT25seTAwMDAwMDA="));
        Vertx vertx = Vertx.vertx();
        try (ServiceApiClient api = ServiceApiClient.open(vertx, gateway.config(), List.of(Right.ServiceConfig))) {
            for (int i = 0; i < 3000; i++) {
                ServiceApiClient.Response listed = api.send(HttpMethod.GET, "/admin/certificates", null, Map.of())
                        .toCompletionStage().toCompletableFuture().get(70, TimeUnit.SECONDS);
                assertThat(listed.status()).isEqualTo(200);
            }
        } finally {
            vertx.close();
            gateway.close();
        }
    }
}
