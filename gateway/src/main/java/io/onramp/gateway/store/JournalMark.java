package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The number of the last journal record whose write H2 holds, kept in H2 in the same transaction
 * as the writes: whatever H2 has on disk, this row says exactly which records it covers.
 */
final class JournalMark {

    private static final String NAME = "journal";

    private JournalMark() {}

    static long read(Connection c) throws SQLException {
        return StoreMarks.read(c, NAME).orElse(0);
    }

    static void write(Connection c, long number) throws SQLException {
        StoreMarks.write(c, NAME, number);
    }
}
