package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.policy.enrollment.Enrollment;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedEnrollmentsTest {

    private final ParsedEnrollments parsed = new ParsedEnrollments();
    private final AtomicInteger parses = new AtomicInteger();

    @Test
    void theSameTextIsParsedOnceAndAChangedTextAgain() {
        get("{\"a\":1}");
        get(new String("{\"a\":1}")); // equal text, another instance: as each query returns it
        get("{\"a\":2}");

        assertThat(parses).hasValue(2);
    }

    @Test
    void theLeastRecentlyUsedTextsGoFirst() {
        get("first");
        for (int i = 0; i < ParsedEnrollments.CAPACITY; i++) {
            get("text " + i);
        }
        get("text 0");
        assertThat(parses).hasValue(ParsedEnrollments.CAPACITY + 1);

        get("first");
        assertThat(parses).hasValue(ParsedEnrollments.CAPACITY + 2);
    }

    private Optional<Enrollment> get(String doc) {
        return parsed.get(EnrollmentRef.Kind.INDIVIDUAL, "API", doc, () -> {
            parses.incrementAndGet();
            return Optional.empty();
        });
    }
}
