package dev.radiograph.jdbc;

import dev.radiograph.net.HostAndPort;
import dev.radiograph.sql.SqlDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * Reads what every query's {@code sql} block repeats about the database from a connection's
 * metadata, once per data source (not per query). A field whose lookup fails is left out; the
 * others are kept.
 */
final class DatabaseInfo {
  private DatabaseInfo() {}

  /** Reads the metadata of {@code connection}; never throws. */
  static SqlDatabase lookUp(Connection connection) {
    DatabaseMetaData meta;
    try {
      meta = connection.getMetaData();
    } catch (SQLException | RuntimeException e) {
      meta = null;
    }
    String rawUrl = meta == null ? null : read(meta::getURL);
    String catalog = read(connection::getCatalog);
    HostAndPort peer = JdbcUrl.hostAndPort(rawUrl);
    SqlDatabase.Builder database = SqlDatabase.builder()
        .name(catalog != null && !catalog.isEmpty() ? catalog : JdbcUrl.database(rawUrl))
        .host(peer != null ? peer.host() : null)
        .url(JdbcUrl.withoutCredentials(rawUrl));
    if (meta != null) {
      database.user(read(meta::getUserName))
          .databaseType(read(meta::getDatabaseProductName))
          .databaseVersion(read(meta::getDatabaseProductVersion))
          .driverVersion(read(meta::getDriverVersion));
    }
    return database.build();
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
