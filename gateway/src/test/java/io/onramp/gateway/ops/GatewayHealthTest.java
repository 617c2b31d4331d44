package io.onramp.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.store.Database;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health check follows the real store: up while its writer runs, down once it stopped. */
class GatewayHealthTest {

    @TempDir
    Path dataDir;
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    @Test
    void aStoreThatTakesWritesIsUpAndAClosedOneIsNamed() throws Exception {
        Database store = Database.openH2(vertx, dataDir);
        GatewayHealth health = new GatewayHealth(store);
        store.write(c -> null).toCompletionStage().toCompletableFuture().get();
        assertThat(health.problems()).isEmpty();

        store.close();

        assertThat(health.problems()).containsExactly("the store is closed");
    }
}
