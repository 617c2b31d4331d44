package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The named numbers the store keeps for itself in {@code store_marks}: the last journal record H2 holds
 * ({@link JournalMark}), a backup's mark and time ({@link StoreCopy}).
 */
final class StoreMarks {

    private StoreMarks() {}

    static OptionalLong read(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT number FROM store_marks WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** In the caller's transaction. */
    static void write(Connection c, String name, long number) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("MERGE INTO store_marks (name, number) KEY (name) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setLong(2, number);
            s.executeUpdate();
        }
    }
}
