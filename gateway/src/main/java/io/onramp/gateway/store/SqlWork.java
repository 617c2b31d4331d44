package io.onramp.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of JDBC work run on a store thread, never on an event loop. A write may run twice (after
 * its group was rolled back, see {@link GroupCommitWriter}), so it acts only through the connection.
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
