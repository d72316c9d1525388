package dev.radiograph.jdbc;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.Subsegment;
import dev.radiograph.sql.SqlSanitizer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Records one statement execution as a {@code remote} subsegment named {@code database@host}
 * with the {@code sql} block, around the driver's call. Shared by the statements of one
 * connection.
 *
 * <p>An unsampled request costs one context read: no subsegment is begun. Outside any segment,
 * the recorder's context-missing strategy applies, as for any other subsegment.
 */
final class QueryTracing {
  /** X-Ray's {@code preparation} for a {@code PreparedStatement}. */
  static final String PREPARED = "statement";
  /** X-Ray's {@code preparation} for a {@code CallableStatement}. */
  static final String CALL = "call";

  private static final System.Logger LOG = System.getLogger(QueryTracing.class.getName());

  private final Recorder recorder;
  private final DatabaseInfo database;
  private final String user;
  private final boolean rawQueries;

  QueryTracing(Recorder recorder, DatabaseInfo database, String user, boolean rawQueries) {
    this.recorder = recorder;
    this.database = database;
    this.user = user;
    this.rawQueries = rawQueries;
  }

  /**
   * Calls {@code method} on {@code target} in a subsegment for {@code query}.
   *
   * @param preparation {@link #PREPARED}, {@link #CALL}, or null for a plain statement, whose
   *     query is sanitized unless raw queries were asked for
   */
  Object execute(Object target, Method method, Object[] args, String query, String preparation) throws Throwable {
    Entity current = recorder.currentEntity();
    if (current != null && !current.isRecording()) {
      return invoke(target, method, args);
    }
    Subsegment subsegment = begin(query, preparation);
    try {
      return invoke(target, method, args);
    } catch (Throwable e) {
      if (subsegment != null) {
        subsegment.addException(e);
      }
      throw e;
    } finally {
      if (subsegment != null) {
        subsegment.close();
      }
    }
  }

  private Subsegment begin(String query, String preparation) {
    try {
      Subsegment subsegment = recorder.beginSubsegment(database.name());
      if (subsegment.isRecording()) {
        subsegment.setNamespace(Subsegment.NAMESPACE_REMOTE);
        database.putOn(subsegment, user);
        if (preparation != null) {
          subsegment.putSql("preparation", preparation);
        }
        String recorded = preparation != null || rawQueries
            ? SqlSanitizer.cut(query)
            : SqlSanitizer.sanitize(query);
        if (recorded != null) {
          subsegment.putSql("sanitized_query", recorded);
        }
      }
      return subsegment;
    } catch (SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not trace a query; it runs untraced", e);
      return null;
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
