package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TpmChallengesTest {

    final OperationRegistryTest.MutableClock clock = new OperationRegistryTest.MutableClock();
    final AtomicInteger keysMade = new AtomicInteger();
    final Supplier<byte[]> newKey = () -> new byte[] {(byte) keysMade.incrementAndGet()};

    @Test
    void aChallengeIsAnswerableUntilItsTimeoutThenGone() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 10);
        byte[] key = challenges.issue("a", newKey);

        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(challenges.find("a")).hasValueSatisfying(found -> assertThat(found).isEqualTo(key));

        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(challenges.find("a")).isEmpty();
        assertThat(challenges.use("a")).as("an expired challenge lets nothing through").isFalse();
    }

    @Test
    void aChallengeIsUsedOnce() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 10);
        challenges.issue("a", newKey);

        assertThat(challenges.use("a")).isTrue();
        assertThat(challenges.use("a")).isFalse();
        assertThat(challenges.find("a")).isEmpty();
        assertThat(challenges.size()).isZero();
    }

    @Test
    void askingAgainWhilePendingKeepsTheKeyAndRestartsTheTime() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 10);
        byte[] first = challenges.issue("a", newKey);
        clock.now = clock.now.plus(Duration.ofMinutes(8));

        byte[] second = challenges.issue("a", newKey);
        clock.now = clock.now.plus(Duration.ofMinutes(8));

        assertThat(second).isEqualTo(first);
        assertThat(keysMade).hasValue(1);
        assertThat(challenges.find("a")).isPresent();
        assertThat(challenges.size()).isEqualTo(1);
    }

    @Test
    void theChallengesBlobIsKeptForTheSameKeyAndSrkOnly() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 10);
        byte[] key = challenges.issue("a", newKey);
        assertThat(challenges.blob("a", key, "srk-1")).as("no blob built yet").isEmpty();

        challenges.rememberBlob("a", key, "srk-1", "blob-1");
        challenges.rememberBlob("a", new byte[] {99}, "srk-1", "blob-of-another-key");

        assertThat(challenges.blob("a", key, "srk-1")).hasValue("blob-1");
        assertThat(challenges.blob("a", key, "srk-2")).as("wrapped to another SRK").isEmpty();
        assertThat(challenges.blob("a", new byte[] {99}, "srk-1")).isEmpty();
        challenges.issue("a", newKey);
        assertThat(challenges.blob("a", key, "srk-1")).as("asked again: same key, blob kept").hasValue("blob-1");
        challenges.use("a");
        assertThat(challenges.blob("a", key, "srk-1")).isEmpty();
    }

    @Test
    void askingAgainAfterExpiryGetsANewKey() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 10);
        byte[] first = challenges.issue("a", newKey);
        clock.now = clock.now.plus(Duration.ofMinutes(11));

        assertThat(challenges.issue("a", newKey)).isNotEqualTo(first);
        assertThat(challenges.size()).isEqualTo(1);
    }

    @Test
    void beyondTheBoundNewChallengesAreThrottledUntilSomeEnd() {
        TpmChallenges challenges = new TpmChallenges(clock, Duration.ofMinutes(10), 2);
        challenges.issue("a", newKey);
        challenges.issue("b", newKey);

        assertThatThrownBy(() -> challenges.issue("c", newKey)).isInstanceOfSatisfying(ProvisioningException.class,
                e -> assertThat(e.errorCode()).isEqualTo(429001));
        assertThat(keysMade).as("no key made for a refused challenge").hasValue(2);
        // A pending device asking again is not a new challenge.
        challenges.issue("a", newKey);

        challenges.use("a");
        challenges.issue("c", newKey);
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThat(challenges.expire()).isEqualTo(2);
        assertThat(challenges.size()).isZero();
        challenges.issue("d", newKey);
        challenges.issue("e", newKey);
    }
}
