package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.store.DataDirLock;
import io.onramp.gateway.store.Database;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSwapTest {

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private Path dataDirWithStore() {
        Path dataDir = dir.resolve("data");
        Database.openH2(vertx, dataDir).close();
        return dataDir;
    }

    @Test
    void aRunningGatewaysStoreIsNotTaken() {
        Path dataDir = dir.resolve("data");
        Database running = Database.openH2(vertx, dataDir);
        try {
            assertThatThrownBy(() -> StoreSwap.hold(dataDir)).isInstanceOf(CommandException.class)
                    .hasMessageContaining("stop the gateway first").hasMessageContaining("nothing was changed");
        } finally {
            running.close();
        }
    }

    @Test
    void aGatewayStartingDuringTheRestoreCannotOpenTheStore() throws Exception {
        Path dataDir = dataDirWithStore();
        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            // ./onramp start's first step, then the gateway's own open: both refused while the restore holds them.
            assertThatThrownBy(() -> DataDirLock.take(dataDir)).isInstanceOf(DataDirLock.InUseException.class);
            assertThatThrownBy(() -> Database.openH2(vertx, dataDir).close()).hasStackTraceContaining("locked");
        }
        DataDirLock.take(dataDir).close();
        Database.openH2(vertx, dataDir).close();
    }

    @Test
    void aSecondRestoreOnTheSameDirectoryIsRefused() throws Exception {
        Path dataDir = dataDirWithStore();
        try (StoreSwap first = StoreSwap.hold(dataDir)) {
            assertThatThrownBy(() -> StoreSwap.hold(dataDir)).isInstanceOf(CommandException.class)
                    .hasMessageContaining("another onramp restore");
        }
        StoreSwap.hold(dataDir).close();
    }

    @Test
    void theOldStoreAndJournalGoAsideTheRestoredOneTakesTheLivePath() throws Exception {
        Path dataDir = dataDirWithStore();
        Path live = dataDir.resolve(StoreSwap.STORE_FILE);
        byte[] old = Files.readAllBytes(live);
        Path restored = Files.write(dataDir.resolve("restored.mv.db"), new byte[] {1, 2, 3});
        Path replaced = dataDir.resolve("replaced-1");

        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            assertThat(swap.replaceWith(restored, replaced))
                    .containsExactly(replaced.resolve(StoreSwap.STORE_FILE), replaced.resolve(StoreSwap.JOURNAL));
        }

        assertThat(Files.readAllBytes(live)).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(replaced.resolve(StoreSwap.STORE_FILE))).isEqualTo(old);
        assertThat(replaced.resolve(StoreSwap.JOURNAL)).isDirectory();
        assertThat(dataDir.resolve(StoreSwap.JOURNAL)).doesNotExist();
        assertThat(restored).doesNotExist();
    }

    @Test
    void withNoStoreYetAStoreAGatewayMadeMeanwhileIsNeverReplaced() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("empty"));
        Path restored = Files.write(dataDir.resolve("restored.mv.db"), new byte[] {1});
        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            Files.write(dataDir.resolve(StoreSwap.STORE_FILE), new byte[] {9}); // a gateway started after the check
            assertThatThrownBy(() -> swap.replaceWith(restored, dataDir.resolve("replaced-1")))
                    .isInstanceOf(CommandException.class).hasMessageContaining("during the restore");
        }
        assertThat(Files.readAllBytes(dataDir.resolve(StoreSwap.STORE_FILE))).containsExactly(9);

        Files.delete(dataDir.resolve(StoreSwap.STORE_FILE));
        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            assertThat(swap.replaceWith(restored, dataDir.resolve("replaced-2"))).isEmpty();
        }
        assertThat(Files.readAllBytes(dataDir.resolve(StoreSwap.STORE_FILE))).containsExactly(1);
        assertThat(dataDir.resolve("replaced-2")).doesNotExist();
    }

    @Test
    void stagingLeftByAKilledRestoreIsRemovedNothingElse() throws Exception {
        Path dataDir = dataDirWithStore();
        Path left = Files.createDirectories(dataDir.resolve(StoreSwap.STAGING_PREFIX + "20261128T101010Z"));
        Files.write(left.resolve(StoreSwap.STORE_FILE), new byte[] {1});
        Path kept = Files.createDirectories(dataDir.resolve("replaced-20261128T101010Z"));

        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            assertThat(swap.newStaging("20261129T000000Z")).isEqualTo(dataDir.resolve("restoring-20261129T000000Z"));
        }
        assertThat(left).doesNotExist();
        assertThat(kept).isDirectory();
        assertThat(dataDir.resolve(StoreSwap.STORE_FILE)).exists();
    }
}
