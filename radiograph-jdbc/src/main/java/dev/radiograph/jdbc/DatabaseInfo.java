package dev.radiograph.jdbc;

import dev.radiograph.Subsegment;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * What every query's {@code sql} block repeats about the database: read once per data source from
 * the first connection's metadata (not per query), and written to each subsegment. A field whose
 * lookup fails is left out; the others are kept.
 */
final class DatabaseInfo {
  private final String name;
  private final String url;
  private final String user;
  private final String databaseType;
  private final String databaseVersion;
  private final String driverVersion;

  private DatabaseInfo(String name, String url, String user, String databaseType,
      String databaseVersion, String driverVersion) {
    this.name = name;
    this.url = url;
    this.user = user;
    this.databaseType = databaseType;
    this.databaseVersion = databaseVersion;
    this.driverVersion = driverVersion;
  }

  /** Reads the metadata of {@code connection}; never throws. */
  static DatabaseInfo lookUp(Connection connection) {
    DatabaseMetaData meta;
    try {
      meta = connection.getMetaData();
    } catch (SQLException | RuntimeException e) {
      meta = null;
    }
    String rawUrl = meta == null ? null : read(meta::getURL);
    String url = JdbcUrl.withoutCredentials(rawUrl);
    String catalog = read(connection::getCatalog);
    String database = catalog != null && !catalog.isEmpty() ? catalog : JdbcUrl.database(rawUrl);
    String host = JdbcUrl.host(rawUrl);
    String type = meta == null ? null : read(meta::getDatabaseProductName);
    String name = (database != null ? database : type != null ? type : "database")
        + "@" + (host != null ? host : "localhost");
    return new DatabaseInfo(name, url,
        meta == null ? null : read(meta::getUserName),
        type,
        meta == null ? null : read(meta::getDatabaseProductVersion),
        meta == null ? null : read(meta::getDriverVersion));
  }

  /** The subsegment name, X-Ray's {@code database@host}. */
  String name() {
    return name;
  }

  /** Writes the fields known for every query of this database; {@code user} overrides the pool's. */
  void putOn(Subsegment subsegment, String connectionUser) {
    putIfPresent(subsegment, "url", url);
    putIfPresent(subsegment, "user", connectionUser != null ? connectionUser : user);
    putIfPresent(subsegment, "database_type", databaseType);
    putIfPresent(subsegment, "database_version", databaseVersion);
    putIfPresent(subsegment, "driver_version", driverVersion);
  }

  private static void putIfPresent(Subsegment subsegment, String key, String value) {
    if (value != null && !value.isEmpty()) {
      subsegment.putSql(key, value);
    }
  }

  private static String read(MetadataRead read) {
    try {
      return read.get();
    } catch (SQLException | RuntimeException | LinkageError e) {
      return null; // a driver that does not support one field still gives the others
    }
  }

  @FunctionalInterface
  private interface MetadataRead {
    String get() throws SQLException;
  }
}
