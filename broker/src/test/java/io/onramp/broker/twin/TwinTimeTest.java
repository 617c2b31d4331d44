package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwinTimeTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void writesMillisecondsInUtcAsIotHubDoes() {
        assertThat(TwinTime.format(Instant.parse("2026-11-28T01:02:03.456789Z"))).isEqualTo("2026-11-28T01:02:03.456Z");
        assertThat(TwinTime.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(TwinTime.format(Instant.parse("2028-02-29T23:59:59.999Z"))).isEqualTo("2028-02-29T23:59:59.999Z");
        assertThat(TwinTime.format(Instant.parse("1969-12-31T23:59:59.001Z"))).isEqualTo("1969-12-31T23:59:59.001Z");
    }

    @Test
    void agreesWithTheGenericFormatterAcrossTheRange() {
        SplittableRandom random = new SplittableRandom(42);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            assertThat(TwinTime.format(instant)).isEqualTo(REFERENCE.format(instant));
        }
    }

    @Test
    void yearsOutsideOneTo9999FallBackToTheGenericFormatter() {
        for (String text : new String[] {"+10000-01-01T00:00:00Z", "0000-12-31T23:59:59.999Z", "-0042-06-01T12:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(TwinTime.format(instant)).isEqualTo(REFERENCE.format(instant));
        }
    }
}
