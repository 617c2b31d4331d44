package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.allocation.AllocationPolicyKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The annotated examples under conf/examples load as they are, given the environment variables they name. */
class ExampleConfigsTest {

    static final Path EXAMPLES = Path.of("../conf/examples");
    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final Pattern ENV = Pattern.compile("\\{ env: (\\w+) }");

    @Test
    void everyExampleLoads() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            assertThat(load(example)).as(example.toString()).isNotNull();
        }
    }

    @Test
    void theTwoHallsPlantPlacesByHallAndByWebhook() throws IOException {
        GatewayConfig config = load(EXAMPLES.resolve("two-halls.yaml"));

        assertThat(config.allocationPolicy()).isEqualTo(AllocationPolicyKind.GEO_LATENCY);
        assertThat(config.hubs()).extracting(GatewayConfig.HubConfig::location).containsExactly("hall-a", "hall-b", "hall-b");
        assertThat(config.allocationLocations()).containsOnlyKeys("hall-a", "hall-b");
        assertThat(config.enrollmentGroups()).filteredOn(g -> g.allocationPolicy() == AllocationPolicyKind.CUSTOM)
                .singleElement().satisfies(g -> assertThat(g.iotHubs()).hasSize(2));
    }

    @Test
    void thePlantForwardsLineAToItsHistorian() throws IOException {
        GatewayConfig config = load(EXAMPLES.resolve("plant-forwarding.yaml"));

        assertThat(config.hubs().get(0).upstream().address()).isEqualTo("mqtts://historian.plant1.local:8883");
        assertThat(config.hubs().get(0).upstream().password()).isEqualTo(KEY);
        assertThat(config.hubs().get(0).upstream().outboxBytes()).isEqualTo(4096L << 20);
    }

    private static GatewayConfig load(Path example) throws IOException {
        Map<String, String> environment = new HashMap<>();
        Matcher names = ENV.matcher(Files.readString(example));
        while (names.find()) {
            environment.put(names.group(1), KEY);
        }
        return new ConfigLoader(environment, Path.of("")).load(example);
    }
}
