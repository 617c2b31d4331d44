package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkLocationsTest {

    final NetworkLocations locations = NetworkLocations.of(new LinkedHashMap<>(Map.of(
            "hall-a", List.of("10.1.0.0/16", "fd00:a::/32"),
            "hall-a-lab", List.of("10.1.7.0/24"),
            "hall-b", List.of("10.2.3.4", "192.168.8.0/21"))));

    @Test
    void placesAnAddressInTheMostSpecificBlockHoldingIt() {
        assertThat(locations.locate("10.1.2.3")).isEqualTo("hall-a");
        assertThat(locations.locate("10.1.7.200")).isEqualTo("hall-a-lab");
        assertThat(locations.locate("10.2.3.4")).isEqualTo("hall-b");
        assertThat(locations.locate("192.168.15.255")).isEqualTo("hall-b");
        assertThat(locations.locate("FD00:A:1::9")).isEqualTo("hall-a");
        assertThat(locations.locate("::ffff:10.1.0.1")).isEqualTo("hall-a");
        assertThat(locations.locate("fd00:a::7%eth0")).isEqualTo("hall-a");
    }

    @Test
    void placesNothingOutsideItsBlocksAndNoNameOrBrokenText() {
        for (String other : new String[] {"10.2.3.5", "192.168.16.0", "fd00:b::1", "10.1.2", "999.1.2.3", "localhost",
                "plant.example", "", null}) {
            assertThat(locations.locate(other)).as(other).isNull();
        }
        assertThat(NetworkLocations.NONE.locate("10.1.2.3")).isNull();
    }

    @Test
    void aZeroPrefixHoldsEveryAddressOfItsFamily() {
        NetworkLocations everywhere = NetworkLocations.of(Map.of("site", List.of("0.0.0.0/0")));

        assertThat(everywhere.locate("203.0.113.9")).isEqualTo("site");
        assertThat(everywhere.locate("2001:db8::1")).isNull();
    }

    @Test
    void refusesANetworkGivenToTwoLocationsHoweverWritten() {
        java.util.Map<String, List<String>> twice = new LinkedHashMap<>();
        twice.put("hall-a", List.of("10.1.0.0/16"));
        twice.put("hall-b", List.of("10.1.7.9/16"));

        assertThatThrownBy(() -> NetworkLocations.of(twice))
                .hasMessage("'10.1.7.9/16' is a network of both hall-a and hall-b: give it to one");
        // nested blocks are no conflict: the more specific one wins
        twice.put("hall-b", List.of("10.1.7.0/24"));
        assertThat(NetworkLocations.of(twice).locate("10.1.7.9")).isEqualTo("hall-b");
    }

    @Test
    void refusesWhatIsNotABlock() {
        assertThatThrownBy(() -> NetworkLocations.of(Map.of("x", List.of("hall-a.example/24"))))
                .hasMessageContaining("'hall-a.example/24' is not an IP address or CIDR block");
        assertThatThrownBy(() -> NetworkLocations.of(Map.of("x", List.of("10.0.0.0/33"))))
                .hasMessageContaining("prefix length must be 0 to 32");
        assertThatThrownBy(() -> NetworkLocations.of(Map.of("x", List.of("fd00::/129"))))
                .hasMessageContaining("prefix length must be 0 to 128");
        assertThatThrownBy(() -> NetworkLocations.of(Map.of("x", List.of("10.0.0.0/x"))))
                .hasMessageContaining("prefix length");
    }
}
