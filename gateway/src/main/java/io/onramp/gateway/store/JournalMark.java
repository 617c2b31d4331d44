package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The number of the last journal record whose write H2 holds, kept in H2 in the same transaction
 * as the writes: whatever H2 has on disk, this row says exactly which records it covers.
 */
final class JournalMark {

    private static final String NAME = "journal";

    private JournalMark() {}

    static long read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT number FROM store_marks WHERE name = ?")) {
            s.setString(1, NAME);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static void write(Connection c, long number) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("MERGE INTO store_marks (name, number) KEY (name) VALUES (?, ?)")) {
            s.setString(1, NAME);
            s.setLong(2, number);
            s.executeUpdate();
        }
    }
}
