package dev.radiograph.vertx;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import dev.radiograph.sql.SqlSanitizer;
import io.vertx.core.spi.tracing.TagExtractor;
import java.util.Locale;

/**
 * A query that a Vert.x SQL client (PostgreSQL, MySQL, MSSQL, ...) reports through the tracing
 * SPI, read from the tags it reports with it ({@code db.system}, {@code db.namespace},
 * {@code db.user}, {@code db.query.text}, {@code network.peer.address}) rather than from the
 * client's internal classes, so that this module needs no SQL client on its class path.
 *
 * <p>Recorded as X-Ray does for databases: a {@code remote} subsegment named
 * {@code database@host} with an {@code sql} block. The {@code url} is made from the system, the
 * address and the database; the client never reports a password, so none can appear.
 * {@code sanitized_query} is the query text the client sends with its literals replaced by
 * {@code ?} ({@link SqlSanitizer}): placeholders ({@code $1}) are kept, and a simple query's
 * values ({@code WHERE id = 42}) never leave the process. Unlike radiograph-jdbc, which records a
 * prepared statement as written, every query is redacted here, because the SPI does not say
 * whether a query was prepared.
 */
final class SqlQuery {
  private final String system;
  private final String database;
  private final String user;
  private final String query;
  private final String peerAddress;

  private SqlQuery(String system, String database, String user, String query, String peerAddress) {
    this.system = system;
    this.database = database;
    this.user = user;
    this.query = query;
    this.peerAddress = peerAddress;
  }

  /** The query {@code request} describes, or {@code null} when it is not a database request. */
  static <R> SqlQuery of(R request, TagExtractor<R> tags) {
    String system = null;
    String database = null;
    String user = null;
    String query = null;
    String peerAddress = null;
    int count = tags.len(request);
    for (int i = 0; i < count; i++) {
      switch (tags.name(request, i)) {
        case "db.system":
          system = tags.value(request, i);
          break;
        case "db.namespace":
          database = tags.value(request, i);
          break;
        case "db.user":
          user = tags.value(request, i);
          break;
        case "db.query.text":
          query = tags.value(request, i);
          break;
        case "network.peer.address":
          peerAddress = tags.value(request, i);
          break;
        default:
          break;
      }
    }
    if (system == null && query == null) {
      return null;
    }
    return new SqlQuery(system, database, user, query, peerAddress);
  }

  /**
   * Begins the query's subsegment under the current entity. Like any asynchronous call, it is not
   * left current: the caller's work goes on while the query runs.
   */
  Call begin(Recorder recorder) {
    Entity caller = recorder.currentEntity();
    Subsegment subsegment = recorder.beginSubsegment(name());
    recorder.setCurrentEntity(caller);
    if (subsegment.isRecording()) {
      subsegment.setNamespace(Subsegment.NAMESPACE_REMOTE);
      putIfPresent(subsegment, "url", url());
      putIfPresent(subsegment, "user", user);
      putIfPresent(subsegment, "database_type", databaseType(system));
      putIfPresent(subsegment, "sanitized_query", SqlSanitizer.sanitize(query));
    }
    return new Call(subsegment);
  }

  /** {@code database@host}, as X-Ray names SQL subsegments (and as radiograph-jdbc does). */
  String name() {
    String host = host(peerAddress);
    String db = database != null && !database.isEmpty() ? database : system != null ? system : "database";
    return db + "@" + (host != null ? host : "localhost");
  }

  /** {@code postgresql://127.0.0.1:5432/orders}: where the query went, without credentials. */
  String url() {
    if (peerAddress == null) {
      return null;
    }
    StringBuilder url = new StringBuilder();
    url.append(system != null ? system : "sql").append("://").append(peerAddress);
    if (database != null && !database.isEmpty()) {
      url.append('/').append(database);
    }
    return url.toString();
  }

  /** {@code host:port} without the port ({@code [v6]:port} keeps its brackets). */
  private static String host(String address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || address.indexOf(']') > colon) {
      return address;
    }
    return address.substring(0, colon);
  }

  /** X-Ray's spelling of the database product for the client's {@code db.system}. */
  static String databaseType(String system) {
    if (system == null) {
      return null;
    }
    switch (system.toLowerCase(Locale.ROOT)) {
      case "postgresql":
        return "PostgreSQL";
      case "mysql":
        return "MySQL";
      case "mariadb":
        return "MariaDB";
      case "mssql":
      case "sqlserver":
        return "Microsoft SQL Server";
      case "oracle":
        return "Oracle";
      case "db2":
        return "DB2";
      default:
        return system;
    }
  }

  private static void putIfPresent(Subsegment subsegment, String key, String value) {
    if (value != null && !value.isEmpty()) {
      subsegment.putSql(key, value);
    }
  }

  /** A query being traced. */
  static final class Call {
    private final Subsegment subsegment;

    Call(Subsegment subsegment) {
      this.subsegment = subsegment;
    }

    /** Ends the query's subsegment, recording the failure as a fault when there was one. */
    void end(Throwable failure) {
      try {
        if (failure != null) {
          subsegment.addException(failure);
        }
      } finally {
        subsegment.close();
      }
    }
  }
}
