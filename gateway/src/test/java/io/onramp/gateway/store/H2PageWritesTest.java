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
