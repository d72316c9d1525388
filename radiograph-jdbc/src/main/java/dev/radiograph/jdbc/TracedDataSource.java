package dev.radiograph.jdbc;

import dev.radiograph.CallSites;
import dev.radiograph.Recorder;
import dev.radiograph.sql.SqlDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that records every statement its connections execute as a {@code remote}
 * subsegment named {@code database@host}, with X-Ray's {@code sql} block: the URL without
 * credentials, the user, the database type and version, the driver version, the preparation
 * ({@code statement} for a {@code PreparedStatement}, {@code call} for a
 * {@code CallableStatement}) and the query as {@code sanitized_query}.
 *
 * <pre>{@code
 * DataSource traced = TracedDataSource.wrap(pool, recorder);
 * }</pre>
 *
 * <p>A prepared or callable statement's query is recorded as written (its values are bound
 * parameters, never part of the text). A plain statement's query has its literals replaced by
 * {@code ?}; its raw text is recorded only when asked for with {@link Builder#rawQueries}.
 *
 * <p>The database's metadata is read once, from the first connection, not per query. A batch is
 * one subsegment when it is executed; iterating a result set records nothing more. Wrap the pool,
 * not the driver: the pool's own housekeeping then stays untraced.
 */
public final class TracedDataSource implements DataSource {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(TracedDataSource.class, ConnectionHandler.class, StatementHandler.class, QueryTracing.class);
  }

  private final DataSource delegate;
  private final Recorder recorder;
  private final boolean rawQueries;
  private final Object lookUpLock = new Object();
  private volatile SqlDatabase database;

  private TracedDataSource(Builder builder) {
    this.delegate = builder.dataSource;
    this.recorder = builder.recorder;
    this.rawQueries = builder.rawQueries;
  }

  /**
   * Wraps {@code dataSource} so that its statements are traced with {@code recorder}. A data
   * source that is already traced is returned as it is.
   */
  public static DataSource wrap(DataSource dataSource, Recorder recorder) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof TracedDataSource) {
      return dataSource;
    }
    return builder(dataSource, recorder).build();
  }

  /** A builder, for the options of {@link #wrap}. */
  public static Builder builder(DataSource dataSource, Recorder recorder) {
    return new Builder(dataSource, recorder);
  }

  /** The data source this one traces. */
  public DataSource delegate() {
    return delegate;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return traced(delegate.getConnection(), null);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return traced(delegate.getConnection(username, password), username);
  }

  @Override
  public ConnectionBuilder createConnectionBuilder() throws SQLException {
    ConnectionBuilder builder = delegate.createConnectionBuilder();
    return new ConnectionBuilder() {
      private String user;

      @Override
      public ConnectionBuilder user(String username) {
        user = username;
        builder.user(username);
        return this;
      }

      @Override
      public ConnectionBuilder password(String password) {
        builder.password(password);
        return this;
      }

      @Override
      public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        builder.shardingKey(shardingKey);
        return this;
      }

      @Override
      public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        builder.superShardingKey(superShardingKey);
        return this;
      }

      @Override
      public Connection build() throws SQLException {
        return traced(builder.build(), user);
      }
    };
  }

  private Connection traced(Connection connection, String user) {
    if (connection == null) {
      return null;
    }
    return ConnectionHandler.wrap(connection, new QueryTracing(recorder, database(connection), user, rawQueries));
  }

  /** The metadata, read from the first connection; later connections reuse it. */
  private SqlDatabase database(Connection connection) {
    SqlDatabase known = database;
    if (known == null) {
      synchronized (lookUpLock) {
        known = database;
        if (known == null) {
          known = DatabaseInfo.lookUp(connection);
          database = known;
        }
      }
    }
    return known;
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "TracedDataSource[" + delegate + "]";
  }

  /** Builds a {@link TracedDataSource}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Recorder recorder;
    private boolean rawQueries;

    private Builder(DataSource dataSource, Recorder recorder) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * Records a plain statement's query as written, literals included, instead of sanitized.
     * Off by default: query text can hold personal data and secrets.
     */
    public Builder rawQueries(boolean rawQueries) {
      this.rawQueries = rawQueries;
      return this;
    }

    public DataSource build() {
      return new TracedDataSource(this);
    }
  }
}
