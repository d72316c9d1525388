package dev.radiograph.jdbc;

import dev.radiograph.sql.StatementKind;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A traced {@link Statement}, {@link java.sql.PreparedStatement} or
 * {@link java.sql.CallableStatement}: each {@code execute*} call is one subsegment. A batch is one
 * subsegment when it is executed ({@code addBatch} records nothing), and reading a result set is
 * part of nothing: the query was already counted when it ran.
 */
final class StatementHandler implements InvocationHandler {
  /** Distinct statements of a plain batch kept for its query text. */
  private static final int MAX_BATCH_QUERIES = 10;

  private final Statement delegate;
  private final Connection connection;
  private final QueryTracing tracing;
  private final String preparedSql; // null for a plain Statement
  private final StatementKind kind;
  private Set<String> batch; // a plain Statement's addBatch(sql); statements are not thread-safe

  private StatementHandler(Statement delegate, Connection connection, QueryTracing tracing,
      String preparedSql, StatementKind kind) {
    this.delegate = delegate;
    this.connection = connection;
    this.tracing = tracing;
    this.preparedSql = preparedSql;
    this.kind = kind;
  }

  static <T extends Statement> T wrap(Class<T> type, T delegate, Connection connection, QueryTracing tracing,
      String preparedSql, StatementKind kind) {
    if (delegate == null) {
      return null;
    }
    return type.cast(Proxy.newProxyInstance(StatementHandler.class.getClassLoader(), new Class<?>[] {type},
        new StatementHandler(delegate, connection, tracing, preparedSql, kind)));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "execute":
      case "executeQuery":
      case "executeUpdate":
      case "executeLargeUpdate":
        return tracing.execute(delegate, method, args, queryOf(args), kind);
      case "executeBatch":
      case "executeLargeBatch":
        String query = preparedSql != null ? preparedSql : batchQuery();
        batch = null; // executing a batch empties it
        return tracing.execute(delegate, method, args, query, kind);
      case "addBatch":
        if (args != null && args.length == 1 && args[0] instanceof String) {
          rememberBatched((String) args[0]);
        }
        return QueryTracing.invoke(delegate, method, args);
      case "clearBatch":
        batch = null;
        return QueryTracing.invoke(delegate, method, args);
      case "getConnection":
        return connection;
      case "unwrap":
        return ((Class<?>) args[0]).isInstance(proxy) ? proxy : delegate.unwrap((Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy) || delegate.isWrapperFor((Class<?>) args[0]);
      case "equals":
        return args.length == 1 && proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "Traced" + delegate;
      default:
        return QueryTracing.invoke(delegate, method, args);
    }
  }

  /** The SQL an {@code execute*} call runs: its argument, else the prepared text. */
  private String queryOf(Object[] args) {
    if (args != null && args.length > 0 && args[0] instanceof String) {
      return (String) args[0];
    }
    return preparedSql;
  }

  private void rememberBatched(String sql) {
    if (batch == null) {
      batch = new LinkedHashSet<>();
    }
    if (batch.size() < MAX_BATCH_QUERIES) {
      batch.add(sql);
    }
  }

  private String batchQuery() {
    return batch == null || batch.isEmpty() ? null : String.join(";\n", batch);
  }
}
