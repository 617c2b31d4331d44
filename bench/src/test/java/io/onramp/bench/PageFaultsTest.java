package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PageFaultsTest {

    @Test
    void theMinorFaultsFieldEvenWithSpacesAndParenthesesInTheCommand() {
        String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 1875935 0 12 0 5000 300 0 0 20 0 60 0";
        assertThat(PageFaults.minorOf(stat)).isEqualTo(1_875_935);
    }

    @Test
    void touchingNewMemoryCountsFaultsHere() {
        if (!Files.exists(Path.of("/proc/self/stat"))) {
            assertThat(PageFaults.minor()).isEqualTo(-1);
            return;
        }
        long before = PageFaults.minor();
        java.nio.ByteBuffer fresh = java.nio.ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < fresh.capacity(); i += 4096) {
            fresh.put(i, (byte) 1); // each page's first touch is a fault (64 MB: above any malloc threshold, so fresh pages)
        }
        assertThat(PageFaults.minor() - before).isGreaterThanOrEqualTo(8000);
    }
}
