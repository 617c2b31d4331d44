package io.onramp.gateway.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Starts a Vert.x client call on an event loop for a command, which then waits on its own thread.
 * Driven from the command's thread, a Vert.x HTTP client request was sometimes created on a
 * connection the event loop was still returning to the pool, never written, and the command waited
 * for its deadline (1 full test suite run in 3 had a CLI test fail that way).
 */
final class EventLoopCall {

    private EventLoopCall() {}

    static <T> Future<T> on(Context context, Supplier<Future<T>> call) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            try {
                call.get().onComplete(result);
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return result.future();
    }
}
