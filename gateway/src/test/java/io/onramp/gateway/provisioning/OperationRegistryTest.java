package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.support.LargestAllocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationRegistryTest {

    @Test
    void idsHaveAzuresShapeAndNeedNoEscaping() {
        for (int i = 0; i < 1000; i++) {
            assertThat(OperationRegistry.newId())
                    .matches("[1-9]\\.[0-9a-f]{16}\\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }
    }

    @Test
    void finishedOperationsExpireAfterTheRetentionRunningOnesDoNot() {
        MutableClock clock = new MutableClock();
        OperationRegistry registry = new OperationRegistry(clock, Duration.ofMinutes(15), 10, 10);
        var done = registry.start("a", List.of());
        var running = registry.start("b", List.of());
        registry.finish(done, null, new IllegalStateException("x"));

        clock.now = clock.now.plus(Duration.ofMinutes(16));
        registry.expire();

        assertThat(registry.find(done.id())).isNull();
        assertThat(registry.find(running.id())).isNotNull();
    }

    @Test
    void tooManyRunningOperationsAreRefusedBeforeAnyWork() {
        OperationRegistry registry = new OperationRegistry(Clock.systemUTC(), Duration.ofMinutes(15), 2, 10);
        var first = registry.start("a", List.of());
        registry.start("b", List.of());

        assertThatThrownBy(() -> registry.start("c", List.of()))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.status()).isEqualTo(429));
        registry.finish(first, null, null);
        assertThat(registry.start("c", List.of())).isNotNull();
    }

    @Test
    void finishedOperationsNeverBlockNewOnesTheOldestMakeRoom() {
        OperationRegistry registry = new OperationRegistry(Clock.systemUTC(), Duration.ofMinutes(15), 2, 3);
        List<OperationRegistry.Operation> all = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var operation = registry.start("d" + i, List.of());
            registry.finish(operation, null, null);
            all.add(operation);
        }

        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.find(all.get(0).id())).isNull();
        assertThat(registry.find(all.get(9).id())).isNotNull();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void finishedOperationsTakeAtMostAnEighthOfTheHeap() {
        assertThat(OperationRegistry.defaultMaxFinished(6L << 30)).isEqualTo(OperationRegistry.DEFAULT_MAX_FINISHED);
        assertThat(OperationRegistry.defaultMaxFinished(1L << 30)).isEqualTo(OperationRegistry.DEFAULT_MAX_FINISHED);
        assertThat(OperationRegistry.defaultMaxFinished(512L << 20)).isEqualTo(65_536);
        assertThat(OperationRegistry.defaultMaxFinished(64L << 20)).isEqualTo(10_000);
    }

    @Test
    void noRegistrationPaysForTheRegistryGrowing() {
        // A map that grows allocates its next table inside one put (2 to 4 MB here) and copies itself there,
        // stalling that event loop; the registry's map is sized for its bound, so every start costs the same.
        OperationRegistry registry = new OperationRegistry(Clock.systemUTC(), Duration.ofMinutes(15), 10, 300_000);
        registry.finish(registry.start("first", List.of()), null, null);
        LargestAllocation largest = new LargestAllocation();
        for (int i = 0; i < 300_000; i++) {
            String registrationId = "d" + i;
            registry.finish(largest.of(() -> registry.start(registrationId, List.of())), null, null);
        }
        assertThat(registry.size()).isEqualTo(300_000);
        assertThat(largest.bytes()).isLessThan(16 * 1024);
    }

    @Test
    void aFinishedOperationHoldsNoMoreHeapThanBudgeted() throws Exception {
        // The figure the bound rests on: finished operations shaped as the gateway's, with fresh strings as requests make them.
        OperationRegistry registry = new OperationRegistry(Clock.systemUTC(), Duration.ofMinutes(15), 10, 200_000);
        String groupKey = io.onramp.certs.sas.SymmetricKeys.generate();
        long before = usedHeapAfterGc();
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            String registrationId = "line-7-press-" + i;
            var operation = registry.start(registrationId, List.of(
                    io.onramp.certs.sas.SymmetricKeys.deriveDeviceKey(groupKey, registrationId),
                    io.onramp.certs.sas.SymmetricKeys.deriveDeviceKey(groupKey, registrationId + "/2")));
            Instant now = Instant.now();
            registry.finish(operation, new RegistrationRecord(new String(registrationId), EnrollmentRef.group("presses"),
                    new String(registrationId), "hub-a.factory.local", RegistrationStatus.ASSIGNED, "initialAssignment",
                    null, null, null, java.util.UUID.randomUUID().toString(), now, now), null);
        }
        long perOperation = (usedHeapAfterGc() - before) / count;
        assertThat(registry.size()).isEqualTo(count);
        assertThat(perOperation).isBetween(200L, OperationRegistry.HEAP_PER_FINISHED);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
