package io.onramp.bench.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's key file: a rerun gets the same devices, and asks only for the keys it lacks. */
class KeyFileTest {

    @TempDir
    Path dir;

    @Test
    void aRerunReadsTheSameKeysAndAddsOnlyTheMissingOnes() throws Exception {
        Path file = dir.resolve("keys");
        TpmDevices first = TpmDevices.cached(file, 2);
        TpmDevices again = TpmDevices.cached(file, 1);
        TpmDevices more = TpmDevices.cached(file, 3);

        assertThat(again.tpm(0).endorsementKey()).isEqualTo(first.tpm(0).endorsementKey());
        assertThat(more.tpm(1).endorsementKey()).isEqualTo(first.tpm(1).endorsementKey());
        assertThat(more.tpm(2).endorsementKey()).isNotEqualTo(first.tpm(1).endorsementKey());
        assertThat(more.tpm(2).storageRootKey()).isEqualTo(first.tpm(0).storageRootKey());
        assertThat(KeyFile.read(file, 10)).hasSize(4);
    }

    @Test
    void anUnreadableFileIsIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "not keys");

        assertThat(KeyFile.read(file, 5)).isEmpty();
        assertThat(KeyFile.read(dir.resolve("missing"), 5)).isEmpty();
    }
}
