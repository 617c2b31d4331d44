package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.gateway.support.LargestAllocation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {

    private final IdentityCache cache = new IdentityCache(2);
    private final AtomicInteger reads = new AtomicInteger();

    private static DeviceIdentity identity(String id, String etag) {
        return new DeviceIdentity("hub.example", id, "g", etag, DeviceStatus.ENABLED, AuthType.SAS, "k", "k", false,
                Instant.EPOCH, Instant.EPOCH, null, null, null, null);
    }

    private Future<Optional<DeviceIdentity>> read(DeviceIdentity stored) {
        return cache.find("HUB.example", stored.deviceId(), () -> {
            reads.incrementAndGet();
            return Future.succeededFuture(Optional.of(stored));
        });
    }

    @Test
    void aSecondFindIsServedWithoutARead() {
        read(identity("d1", "e1"));
        assertThat(read(identity("d1", "e1")).result()).contains(identity("d1", "e1"));
        assertThat(reads).hasValue(1);
    }

    @Test
    void aWriteDropsTheEntryBeforeItsCallerHearsOfIt() {
        read(identity("d1", "e1"));
        Future<String> write = cache.afterWrite("hub.example", "d1", Future.succeededFuture("written"));

        assertThat(write.result()).isEqualTo("written");
        assertThat(read(identity("d1", "e2")).result()).contains(identity("d1", "e2"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aReadThatRacedWithAWriteIsNotCached() {
        Promise<Optional<DeviceIdentity>> slowRead = Promise.promise();
        cache.find("hub.example", "d1", () -> slowRead.future());
        cache.afterWrite("hub.example", "d1", Future.succeededFuture());
        slowRead.complete(Optional.of(identity("d1", "old")));

        assertThat(read(identity("d1", "new")).result()).contains(identity("d1", "new"));
    }

    @Test
    void itStaysWithinItsCapacity() {
        read(identity("d1", "e"));
        read(identity("d2", "e"));
        read(identity("d3", "e"));
        read(identity("d1", "e"));
        assertThat(reads).as("d1 was dropped when the cache started over").hasValue(4);
    }

    @Test
    void noFindPaysForTheCacheGrowing() {
        // A growing map allocates its next table inside one put (up to 1 MB at 50,000 entries) and copies itself
        // there, stalling the event loop of that connect; this one is sized for its capacity when made (its table
        // comes with the first entry).
        int capacity = 50_000;
        IdentityCache large = new IdentityCache(capacity);
        large.find("hub.example", "first", () -> Future.succeededFuture(Optional.of(identity("first", "e"))));
        LargestAllocation largest = new LargestAllocation();
        for (int i = 1; i < capacity; i++) {
            DeviceIdentity stored = identity("d" + i, "e");
            largest.of(() -> large.find("hub.example", stored.deviceId(), () -> Future.succeededFuture(Optional.of(stored))));
        }
        assertThat(largest.bytes()).isLessThan(16 * 1024);
    }
}
