package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One gateway per dataDir in this process too; the lock goes with the stop. (Another process's: StoreLockIT.) */
class DataDirLockTest {

    @TempDir
    Path dataDir;

    @Test
    void aSecondTakeIsRefusedUntilTheFirstIsClosed() throws Exception {
        DataDirLock first = DataDirLock.take(dataDir);

        assertThatThrownBy(() -> DataDirLock.take(dataDir)).isInstanceOf(DataDirLock.InUseException.class)
                .hasMessage("the data directory " + dataDir + " is in use by another Onramp (or was not released yet);"
                        + " stop it first, or give this one another dataDir");
        // the refusal left the first one's lock alone: still refused
        assertThatThrownBy(() -> DataDirLock.take(dataDir.resolve("."))).isInstanceOf(DataDirLock.InUseException.class);

        first.close();
        DataDirLock.take(dataDir).close();
    }

    @Test
    void anotherDataDirIsAnotherLock(@TempDir Path other) throws Exception {
        try (DataDirLock one = DataDirLock.take(dataDir); DataDirLock two = DataDirLock.take(other)) {
            assertThat(dataDir.resolve(DataDirLock.FILE_NAME)).exists();
            assertThat(other.resolve(DataDirLock.FILE_NAME)).exists();
        }
    }
}
