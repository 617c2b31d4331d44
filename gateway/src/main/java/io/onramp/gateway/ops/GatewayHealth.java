package io.onramp.gateway.ops;

import io.onramp.gateway.store.Database;
import java.util.List;

/**
 * What {@code GET /health} checks, for a load balancer or a supervisor, beyond the answer itself (the listener
 * and an event loop work): that the store takes writes, its writer running and its last commit done, without
 * which every registration fails.
 */
public final class GatewayHealth {

    private final Database store;

    public GatewayHealth(Database store) {
        this.store = store;
    }

    /** Empty when the gateway is up; else what is wrong, one line each. */
    public List<String> problems() {
        String storeProblem = store.problem();
        return storeProblem == null ? List.of() : List.of(storeProblem);
    }
}
