package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2PageWritesTest {

    @TempDir
    Path dir;

    @Test
    void committedRowsReachTheFileWithoutACheckpoint() throws Exception {
        // H2's background thread would write only after 100 s: what reaches the file is what the hook wrote.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("live").toAbsolutePath()
                + ";WRITE_DELAY=100000", "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                H2PageWrites.writeChangedPages().run(c);
                s.execute("INSERT INTO t VALUES (7)");
            }
            assertThat(rowsInACopyOfTheFile()).as("committed, not yet written by H2").isZero();

            H2PageWrites.writeChangedPages().run(c);
            long deadline = System.nanoTime() + 10_000_000_000L; // H2 writes the pages on its own thread
            int rows;
            while ((rows = rowsInACopyOfTheFile()) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(rows).isEqualTo(1);
        }
    }

    /**
     * The writer's page write (H2 writes the chunk on its threads) and a sync right after it, then a kill: the file
     * must open with every row. Without draining H2's pipeline first, 7 in 40 such files did not open here.
     */
    @Test
    void aSyncRightAfterAPageWriteLeavesAFileThatOpens() throws Exception {
        try (Connection c = liveTable()) {
            int rows = 0;
            for (int round = 0; round < 25; round++) {
                rows = insertRows(c, rows, 4_000);
                H2PageWrites.writeChangedPages().run(c);
                rows = insertRows(c, rows, 1);
                H2PageWrites.sync().run(c);

                assertThat(rowsInACopyOfTheFile()).as("round %d", round).isEqualTo(rows);
            }
        }
    }

    /**
     * A checkpoint on its own thread, while the writer's connection goes on writing: the file then holds exactly the
     * rows of the versions cut before it, whether H2's threads had written them yet or not, and it opens.
     */
    @Test
    void aSyncOnAnotherThreadWaitsForTheVersionsCutBeforeIt() throws Exception {
        ExecutorService checkpoint = Executors.newSingleThreadExecutor();
        try (Connection c = liveTable()) {
            MVStore store = H2PageWrites.store(c);
            int rows = 0;
            for (int round = 0; round < 25; round++) {
                rows = insertRows(c, rows, 4_000);
                H2PageWrites.writeChangedPages().run(c);
                int cut = rows;
                Future<Integer> synced = checkpoint.submit(() -> {
                    H2PageWrites.syncWritten(store);
                    return rowsInACopyOfTheFile();
                });
                rows = insertRows(c, rows, 1); // committed, in no version cut

                assertThat(synced.get(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(cut);
            }
        } finally {
            checkpoint.shutdownNow();
        }
    }

    /** Table t in the live file, on a connection without auto-commit; H2 writes no page of its own for 100 s. */
    private Connection liveTable() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("live").toAbsolutePath()
                + ";WRITE_DELAY=100000", "sa", "");
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
        }
        c.commit();
        return c;
    }

    private static int insertRows(Connection c, int from, int count) throws SQLException {
        try (var insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int i = from; i < from + count; i++) {
                insert.setInt(1, i);
                insert.setString(2, "a row large enough to make the chunk take a while to write " + i);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        c.commit();
        return from + count;
    }

    /** What a process killed now would find: the file as it is, opened by another H2. */
    private int rowsInACopyOfTheFile() throws Exception {
        Path copy = Files.createTempDirectory(dir, "copy");
        Files.copy(dir.resolve("live.mv.db"), copy.resolve("c.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("c").toAbsolutePath(), "sa", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException noTableYet) {
            return 0;
        }
    }
}
