package dev.radiograph.vertx;

import dev.radiograph.Recorder;
import dev.radiograph.net.HostAndPort;
import dev.radiograph.sql.SqlDatabase;
import dev.radiograph.sql.SqlSanitizer;
import dev.radiograph.sql.SqlTracing;
import dev.radiograph.sql.StatementKind;
import io.vertx.core.spi.tracing.TagExtractor;
import java.util.Locale;

/**
 * A query that a Vert.x SQL client (PostgreSQL, MySQL, MSSQL, ...) reports through the tracing
 * SPI, read from the tags it reports with it ({@code db.system}, {@code db.namespace},
 * {@code db.user}, {@code db.query.text}, {@code network.peer.address}) rather than from the
 * client's internal classes, so that this module needs no SQL client on its class path.
 *
 * <p>Recorded by core's {@link SqlTracing}, as X-Ray does for databases: a {@code remote}
 * subsegment named {@code database@host} with an {@code sql} block. The {@code url} is made from
 * the system, the address and the database; the client never reports a password, so none can
 * appear.
 * {@code sanitized_query} is the query text the client sends with its literals replaced by
 * {@code ?} ({@link SqlSanitizer}): placeholders ({@code $1}) are kept, and a simple query's
 * values ({@code WHERE id = 42}) never leave the process. Unlike radiograph-jdbc, which records a
 * prepared statement as written, every query is redacted here, because the SPI does not say
 * whether a query was prepared.
 */
final class SqlQuery {
  private final SqlDatabase database;
  private final String query;

  private SqlQuery(SqlDatabase database, String query) {
    this.database = database;
    this.query = query;
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
    HostAndPort peer = peer(peerAddress);
    SqlDatabase described = SqlDatabase.builder()
        // Without a database the system names it (mssql@host), as X-Ray's SDKs do.
        .name(database != null && !database.isEmpty() ? database : system)
        .host(peer != null ? peer.host() : null)
        .url(url(system, peer, database))
        .user(user)
        .databaseType(databaseType(system))
        .build();
    return new SqlQuery(described, query);
  }

  /**
   * Begins the query's subsegment under the current entity. Like any asynchronous call, it is not
   * left current: the caller's work goes on while the query runs.
   */
  SqlTracing.Call begin(Recorder recorder) {
    return SqlTracing.beginAsync(recorder, database, query, StatementKind.PLAIN);
  }

  /** {@code database@host}, as X-Ray names SQL subsegments (and as radiograph-jdbc does). */
  String name() {
    return database.subsegmentName();
  }

  /** {@code postgresql://127.0.0.1:5432/orders}: where the query went, without credentials. */
  String url() {
    return database.url();
  }

  private static String url(String system, HostAndPort peer, String database) {
    if (peer == null) {
      return null;
    }
    StringBuilder url = new StringBuilder();
    url.append(system != null ? system : "sql").append("://").append(peer);
    if (database != null && !database.isEmpty()) {
      url.append('/').append(database);
    }
    return url.toString();
  }

  /**
   * The peer in the client's {@code network.peer.address}, read with core's parser. Vert.x writes
   * it as {@code hostAddress + ":" + port} with no brackets, so an IPv6 peer arrives as
   * {@code 0:0:0:0:0:0:0:1:5432}: Java writes an IPv6 address in full (eight groups, no
   * {@code ::}), so a ninth group is the port. Anything else with several colons is an address
   * without a port ({@code ::1}, {@code fe80::1%eth0}).
   */
  static HostAndPort peer(String address) {
    HostAndPort peer = HostAndPort.parseAuthority(address);
    if (peer == null || peer.hasPort() || !peer.isIpv6()) {
      return peer;
    }
    String host = peer.host();
    int lastColon = host.lastIndexOf(':');
    if (!host.contains("::") && colons(host) == 8) {
      HostAndPort withPort = HostAndPort.parseAuthority("[" + host.substring(0, lastColon) + "]"
          + host.substring(lastColon));
      return withPort != null ? withPort : peer;
    }
    return peer;
  }

  private static int colons(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ':') {
        count++;
      }
    }
    return count;
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
}
