package io.onramp.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The HTTPS listener's routes: the DPS device API and the hub registry API, one body limit, one error mapper. */
public final class Routes {

    /** Registration bodies are small; anything larger is refused with 413 before it is parsed. */
    public static final long MAX_BODY_BYTES = 32 * 1024;

    private Routes() {}

    public static Router create(Vertx vertx, DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistry) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        hubRegistry.mount(router);
        dps.mount(router);
        router.route().failureHandler(DpsHttpEndpoint::failureHandler);
        // Unmatched paths and methods get the Azure error body too.
        router.errorHandler(404, DpsHttpEndpoint::failureHandler);
        router.errorHandler(405, DpsHttpEndpoint::failureHandler);
        return router;
    }
}
