package io.onramp.bench.enrollments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench runs end to end on a few devices (it checks every device was admitted or refused as meant). */
class GroupMatchCostTest {

    @Test
    void printsALinePerGroupCountAndOrderOfDevices() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        GroupMatchCost.run(List.of(1, 20), 20, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("us per")).toList();
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).contains("1 groups, batches of one group");
        assertThat(lines.get(6)).contains("20 groups, no group's key (refused)");
        assertThat(lines.get(7)).contains("20 groups, re-registering, mixed");
    }
}
