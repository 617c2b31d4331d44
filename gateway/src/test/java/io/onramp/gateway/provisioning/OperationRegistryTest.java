package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
        OperationRegistry registry = new OperationRegistry(clock, Duration.ofMinutes(15), 10);
        var done = registry.start("a", List.of(), Future.succeededFuture());
        var running = registry.start("b", List.of(), Promise.<RegistrationRecord>promise().future());

        clock.now = clock.now.plus(Duration.ofMinutes(16));
        registry.expire();

        assertThat(registry.find(done.id())).isNull();
        assertThat(registry.find(running.id())).isNotNull();
    }

    @Test
    void theRegistryIsBounded() {
        OperationRegistry registry = new OperationRegistry(Clock.systemUTC(), Duration.ofMinutes(15), 2);
        registry.start("a", List.of(), Future.succeededFuture());
        registry.start("b", List.of(), Future.succeededFuture());

        assertThatThrownBy(() -> registry.start("c", List.of(), Future.succeededFuture()))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.status()).isEqualTo(429));
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
}
