package dev.radiograph.jdbc;

import dev.radiograph.Recorder;
import dev.radiograph.sql.SqlDatabase;
import dev.radiograph.sql.SqlTracing;
import dev.radiograph.sql.StatementKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Records one statement execution around the driver's call, with core's {@link SqlTracing} (the
 * {@code database@host} subsegment and its {@code sql} block). Shared by the statements of one
 * connection.
 */
final class QueryTracing {
  private final Recorder recorder;
  private final SqlDatabase database;
  private final StatementKind plain;

  /**
   * @param user the user the connection was asked for, which overrides the pool's; null for the
   *     pool's
   */
  QueryTracing(Recorder recorder, SqlDatabase database, String user, boolean rawQueries) {
    this.recorder = recorder;
    this.database = user == null ? database : database.newBuilder().user(user).build();
    this.plain = rawQueries ? StatementKind.PLAIN_AS_WRITTEN : StatementKind.PLAIN;
  }

  /** How this connection's plain statements are recorded: sanitized, unless raw queries were asked for. */
  StatementKind plain() {
    return plain;
  }

  /** Calls {@code method} on {@code target} in a subsegment for {@code query}. */
  Object execute(Object target, Method method, Object[] args, String query, StatementKind kind) throws Throwable {
    SqlTracing.Call call = SqlTracing.begin(recorder, database, query, kind);
    Throwable failure = null;
    try {
      return invoke(target, method, args);
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      call.end(failure);
    }
  }

  /** Calls the driver, rethrowing what it threw (not the reflection wrapper). */
  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
