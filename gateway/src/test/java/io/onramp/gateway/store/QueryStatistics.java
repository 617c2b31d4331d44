package io.onramp.gateway.store;

import static io.onramp.gateway.store.StoreFutures.await;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/** H2's count of how often each statement ran, to check that a write skips a statement it does not need. */
final class QueryStatistics {

    private QueryStatistics() {}

    /** Counts from now on (H2 keeps them for the whole database). */
    static void start(Database database) throws Exception {
        await(database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            return null;
        }));
    }

    /** How often {@code sql}, exactly as the store sends it, ran since {@link #start}. */
    static long executions(Database database, String sql) throws Exception {
        return await(database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(EXECUTION_COUNT), 0)"
                    + " FROM INFORMATION_SCHEMA.QUERY_STATISTICS WHERE SQL_STATEMENT = ?")) {
                s.setString(1, sql);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }
}
