package io.onramp.gateway.amqp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Back onto a connection's own context after an asynchronous call of the core. Proton's engine is not thread safe,
 * and vertx-proton checks that a SASL answer comes on the context that asked.
 */
final class OnContext {

    private OnContext() {}

    static void run(Context context, Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
