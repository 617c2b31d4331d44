package io.onramp.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreChurnBenchTest {

    @TempDir
    Path dir;

    @Test
    void storesEveryDeviceOnEachPassAndReportsTheFile() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<StoreChurnBench.Pass> passes = StoreChurnBench.run(dir, 50, 300, 2, 16,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(passes).extracting(StoreChurnBench.Pass::number).containsExactly(1, 2);
        assertThat(passes).allSatisfy(pass -> assertThat(pass.fileBytes()).isPositive());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("pass 2:").contains("CPU per registration: ").contains("onramp-store-writer").contains("closed: file");
    }
}
