package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every statement a registration, a lookup or a query page runs is answered through an index, and
 * every paged one reads its rows in index order (no sort of all matching rows): with a million
 * enrollments or registrations a table scan or a sort would make them grow with the table.
 * The SQL is the stores' own, parameters as {@code ?}; H2's EXPLAIN names the index it uses.
 */
class StoreQueryPlansTest {

    @TempDir
    Path dir;
    Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("plans"), "onramp", "");
        Schema.migrate(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        JdbcEnrollmentStore.FIND,
        // JdbcEnrollmentStore.delete
        "DELETE FROM enrollments WHERE kind = ? AND id_key = ?",
        JdbcRegistrationStore.FIND,
        // JdbcEnrollmentStore.delete of an individual enrollment's record
        "DELETE FROM registrations WHERE reg_key = ? AND enrollment_kind = 'INDIVIDUAL'",
        DeviceRows.FIND,
        DeviceRows.FIND_OWNED,
        // DeviceRows: updates of one device
        "UPDATE devices SET status = ? WHERE hub = ? AND device_id = ?",
    })
    void lookupsUseAnIndex(String sql) throws SQLException {
        assertThat(plan(sql)).doesNotContainIgnoringCase("tableScan");
    }

    @ParameterizedTest
    @ValueSource(strings = {JdbcEnrollmentStore.PAGE, JdbcRegistrationStore.GROUP_PAGE, JdbcRegistrationStore.PAGE,
        DeviceRows.PAGE})
    void pagesReadInIndexOrder(String sql) throws SQLException {
        // "index sorted: 2 of 3 columns" would still sort every row after the first columns' match
        assertThat(plan(sql)).doesNotContainIgnoringCase("tableScan").contains("/* index sorted */");
    }

    private String plan(String sql) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("EXPLAIN " + sql)) {
            int parameters = s.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= parameters; i++) {
                s.setString(i, "1");
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
