package io.onramp.gateway.store;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** The store tests' one way to wait for a store operation. */
final class StoreFutures {

    private StoreFutures() {}

    /** The future's result, or its failure thrown; 10 s at most. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
