package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialTwinTest {

    @Test
    void nullMapsBecomeEmpty() {
        InitialTwin twin = new InitialTwin(null, null);
        assertThat(twin.tags()).isEmpty();
        assertThat(twin.desiredProperties()).isEmpty();
        assertThat(twin.isEmpty()).isTrue();
        assertThat(twin).isEqualTo(InitialTwin.EMPTY);
    }

    @Test
    void deepCopiesAndFreezesNestedValues() {
        Map<String, Object> site = new HashMap<>();
        site.put("hall", "B");
        List<Object> lines = new ArrayList<>(List.of(7, 8));
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("site", site);
        tags.put("lines", lines);

        InitialTwin twin = new InitialTwin(tags, Map.of("telemetryIntervalSec", 30));
        site.put("hall", "C");
        lines.add(9);
        tags.put("extra", true);

        assertThat(twin.tags()).containsOnlyKeys("site", "lines");
        assertThat(twin.tags().get("site")).isEqualTo(Map.of("hall", "B"));
        assertThat(twin.tags().get("lines")).isEqualTo(List.of(7, 8));
        assertThatThrownBy(() -> twin.tags().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> copiedSite = (Map<String, Object>) twin.tags().get("site");
        assertThatThrownBy(() -> copiedSite.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(twin.desiredProperties()).containsEntry("telemetryIntervalSec", 30);
    }

    @Test
    void keepsJsonNullsAndKeyOrder() {
        Map<String, Object> desired = new LinkedHashMap<>();
        desired.put("b", null);
        desired.put("a", Arrays.asList(1, null, "x"));
        InitialTwin twin = new InitialTwin(null, desired);
        assertThat(twin.desiredProperties()).containsKey("b").containsEntry("b", null);
        assertThat(twin.desiredProperties().keySet()).containsExactly("b", "a");
        assertThat(twin.desiredProperties().get("a")).isEqualTo(Arrays.asList(1, null, "x"));
    }

    @Test
    void rejectsNonJsonValues() {
        assertThatThrownBy(() -> new InitialTwin(Map.of("when", Instant.EPOCH), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialTwin.tags.when");
    }

    @Test
    void rejectsCyclicStructures() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);
        assertThatThrownBy(() -> new InitialTwin(null, loop)).isInstanceOf(IllegalArgumentException.class);
    }
}
