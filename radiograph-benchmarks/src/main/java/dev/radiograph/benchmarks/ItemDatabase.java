package dev.radiograph.benchmarks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * An H2 in-memory database (no network between the driver and the data) with one table of 1,000
 * items, behind H2's own connection pool, and the two queries the JDBC benchmark runs, each the
 * way an application runs a query: borrow a connection, create the statement, execute, read the
 * row, close everything.
 */
final class ItemDatabase implements AutoCloseable {
  /** A prepared query: its value is a bound parameter. */
  static final String PREPARED_QUERY = "SELECT id, name, price FROM item WHERE id = ?";
  /** A plain statement's query, with literals for a sanitizer to replace. */
  static final String LITERAL_QUERY = "SELECT id, name, price FROM item WHERE id = 42 AND name <> 'retired item'";
  /** The row both queries read. */
  static final int ID = 42;
  private static final int ROWS = 1_000;

  private final JdbcConnectionPool pool;

  /** Creates and fills database {@code name} (one per peer, so that none shares a cache with another). */
  ItemDatabase(String name) throws SQLException {
    pool = JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
    try (Connection connection = pool.getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, price DECIMAL(10, 2))");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO item VALUES (?, ?, ?)")) {
        for (int id = 1; id <= ROWS; id++) {
          insert.setInt(1, id);
          insert.setString(2, "item " + id);
          insert.setBigDecimal(3, BigDecimal.valueOf(id * 25L, 2));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    } catch (SQLException | RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }

  /** H2's pool: the data source an application would wrap. */
  DataSource dataSource() {
    return pool;
  }

  /** {@link #PREPARED_QUERY} for {@link #ID} through {@code dataSource}; the item's name. */
  static String selectPrepared(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(PREPARED_QUERY)) {
      statement.setInt(1, ID);
      try (ResultSet row = statement.executeQuery()) {
        return name(row);
      }
    }
  }

  /** {@link #LITERAL_QUERY} through {@code dataSource}; the item's name. */
  static String selectLiteral(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(LITERAL_QUERY)) {
      return name(row);
    }
  }

  /** Reads the one row a query returned. */
  static String name(ResultSet row) throws SQLException {
    if (!row.next()) {
      throw new IllegalStateException("item " + ID + " not found");
    }
    return row.getString(2);
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } finally {
      pool.dispose();
    }
  }
}
