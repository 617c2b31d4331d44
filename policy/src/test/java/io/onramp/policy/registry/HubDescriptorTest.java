package io.onramp.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HubDescriptorTest {

    @Test
    void acceptsWeightsFromZeroToThousand() {
        assertThat(new HubDescriptor("a", "hub-a.plant1.example", 0, true).weight()).isZero();
        assertThat(new HubDescriptor("a", "hub-a.plant1.example", 1000, true).weight()).isEqualTo(1000);
    }

    @Test
    void rejectsOutOfRangeWeights() {
        assertThatThrownBy(() -> new HubDescriptor("a", "hub-a.plant1.example", -1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("weight:");
        assertThatThrownBy(() -> new HubDescriptor("a", "hub-a.plant1.example", 1001, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("weight:");
    }

    @Test
    void requiresNameAndHostName() {
        assertThatThrownBy(() -> new HubDescriptor(" ", "hub-a.plant1.example", 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> new HubDescriptor(null, "hub-a.plant1.example", 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> new HubDescriptor("a", "", 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hostName:");
    }

    @Test
    void registryLooksUpHostNamesIgnoringCase() {
        HubDescriptor a = new HubDescriptor("a", "hub-a.plant1.example", 1, true);
        HubDescriptor b = new HubDescriptor("b", "hub-b.plant1.example", 1, false);
        HubRegistry registry = () -> List.of(a, b);

        assertThat(registry.byHostName("HUB-B.Plant1.example")).contains(b);
        assertThat(registry.byHostName("hub-a.plant1.example")).contains(a);
        assertThat(registry.byHostName("hub-c.plant1.example")).isEmpty();
        assertThat(registry.byHostName("b")).as("by host name, not by link name").isEmpty();
        assertThat(registry.byHostName(null)).isEmpty();
    }
}
