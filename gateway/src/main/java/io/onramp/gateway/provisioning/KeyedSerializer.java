package io.onramp.gateway.provisioning;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs tasks of the same key one after another, tasks of different keys concurrently: two register
 * calls of one device must not allocate and write at the same time. (A cluster needs a cluster-wide
 * lock here; a single node needs only this.)
 */
final class KeyedSerializer {

    private final ConcurrentHashMap<String, Future<?>> tails = new ConcurrentHashMap<>();

    <T> Future<T> run(String key, Supplier<Future<T>> task) {
        @SuppressWarnings("unchecked")
        Future<T>[] mine = new Future[1];
        tails.compute(key, (k, tail) -> {
            mine[0] = tail == null ? task.get() : tail.transform(ignored -> task.get());
            return mine[0];
        });
        return mine[0].andThen(done -> tails.remove(key, mine[0]));
    }
}
