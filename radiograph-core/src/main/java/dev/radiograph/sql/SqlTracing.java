package dev.radiograph.sql;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.Subsegment;
import dev.radiograph.internal.RateLimitedLogger;
import java.lang.System.Logger.Level;

/**
 * What every SQL client integration does around a query, written once: a {@code remote}
 * subsegment named {@code database@host} as X-Ray names SQL subsegments, the {@code sql} block
 * from a {@link SqlDatabase} and the query (redacted as its {@link StatementKind} says), and at the
 * end the failure, if any, as a fault with its exception.
 *
 * <pre>{@code
 * SqlTracing.Call call = SqlTracing.begin(recorder, database, sql, StatementKind.PREPARED);
 * try { rows = statement.executeQuery(); call.end(null); }
 * catch (SQLException e) { call.end(e); throw e; }
 * }</pre>
 *
 * <p>An unsampled request costs one context read: no subsegment is begun. With no current
 * entity the recorder's context-missing strategy applies, as for any subsegment: under
 * {@code RUNTIME_ERROR} its {@link SegmentNotFoundException} reaches the caller, who asked for it.
 * Any other failure of tracing is logged and the query runs untraced.
 */
public final class SqlTracing {
  private static final RateLimitedLogger LOG =
      new RateLimitedLogger(System.getLogger(SqlTracing.class.getName()), 60_000);

  private SqlTracing() {}

  /**
   * Begins a subsegment for {@code query} (null when unknown) on {@code database}, current until
   * the call ends.
   *
   * @throws SegmentNotFoundException only outside any segment with context-missing
   *     {@code RUNTIME_ERROR}
   */
  public static Call begin(Recorder recorder, SqlDatabase database, String query, StatementKind kind) {
    return begin(recorder, database, query, kind, false);
  }

  /**
   * As {@link #begin}, for asynchronous clients: the caller's current entity stays current (the
   * query's subsegment is not left current on the calling thread, whose work goes on while the
   * query runs); end the call from whichever thread completes it.
   */
  public static Call beginAsync(Recorder recorder, SqlDatabase database, String query, StatementKind kind) {
    return begin(recorder, database, query, kind, true);
  }

  private static Call begin(Recorder recorder, SqlDatabase database, String query, StatementKind kind,
      boolean async) {
    try {
      Entity caller = recorder.currentEntity();
      if (caller != null && !caller.isRecording()) {
        return Call.UNTRACED;
      }
      Subsegment subsegment = async
          ? recorder.beginAsyncSubsegment(database.subsegmentName())
          : recorder.beginSubsegment(database.subsegmentName());
      if (subsegment.isRecording()) {
        subsegment.setNamespace(Subsegment.NAMESPACE_REMOTE);
        putIfKnown(subsegment, "url", database.url());
        putIfKnown(subsegment, "user", database.user());
        putIfKnown(subsegment, "database_type", database.databaseType());
        putIfKnown(subsegment, "database_version", database.databaseVersion());
        putIfKnown(subsegment, "driver_version", database.driverVersion());
        putIfKnown(subsegment, "preparation", kind.preparation());
        putIfKnown(subsegment, "sanitized_query", kind.recordedQuery(query));
      }
      return new Call(subsegment);
    } catch (SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph: could not trace a query; it runs untraced", e);
      return Call.UNTRACED;
    }
  }

  private static void putIfKnown(Subsegment subsegment, String key, String value) {
    if (value != null && !value.isEmpty()) {
      subsegment.putSql(key, value);
    }
  }

  /** A query being traced. */
  public static final class Call {
    /** The call of a query that records nothing (unsampled, or tracing failed to begin). */
    static final Call UNTRACED = new Call(null);

    private final Subsegment subsegment; // null: untraced

    private Call(Subsegment subsegment) {
      this.subsegment = subsegment;
    }

    /**
     * Ends the query's subsegment, with {@code failure} (null when the query succeeded) recorded
     * as a fault with its exception. Never throws.
     */
    public void end(Throwable failure) {
      if (subsegment == null) {
        return;
      }
      try {
        if (failure != null) {
          subsegment.addException(failure);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Radiograph: could not record a query's failure", e);
      } finally {
        subsegment.close();
      }
    }
  }
}
