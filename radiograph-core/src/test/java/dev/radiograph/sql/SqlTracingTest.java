package dev.radiograph.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.RecordingTest;
import dev.radiograph.Segment;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shared SQL subsegment, checked on the documents a real UDP socket receives. */
class SqlTracingTest extends RecordingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SqlDatabase ORDERS = SqlDatabase.builder()
      .name("orders")
      .host("db.internal")
      .url("jdbc:postgresql://db.internal:5432/orders")
      .user("app")
      .databaseType("PostgreSQL")
      .databaseVersion("16.4")
      .driverVersion("42.7.14")
      .build();

  @Test
  void aQueryIsARemoteSubsegmentNamedDatabaseAtHostWithTheSqlBlock() throws IOException {
    recorder.beginSegment("api");
    SqlTracing.Call call = SqlTracing.begin(recorder, ORDERS, "SELECT * FROM orders WHERE id = ?", StatementKind.PREPARED);
    assertThat(recorder.currentSubsegment()).isNotNull();
    call.end(null);
    assertThat(recorder.currentEntity()).isSameAs(recorder.currentSegment());
    recorder.endSegment();

    JsonNode query = daemon.receiveOne(WAIT).at("/subsegments/0");
    assertThat(query.get("name").asText()).isEqualTo("orders@db.internal");
    assertThat(query.get("namespace").asText()).isEqualTo("remote");
    assertThat(query.at("/sql/url").asText()).isEqualTo("jdbc:postgresql://db.internal:5432/orders");
    assertThat(query.at("/sql/user").asText()).isEqualTo("app");
    assertThat(query.at("/sql/database_type").asText()).isEqualTo("PostgreSQL");
    assertThat(query.at("/sql/database_version").asText()).isEqualTo("16.4");
    assertThat(query.at("/sql/driver_version").asText()).isEqualTo("42.7.14");
    assertThat(query.at("/sql/preparation").asText()).isEqualTo("statement");
    assertThat(query.at("/sql/sanitized_query").asText()).isEqualTo("SELECT * FROM orders WHERE id = ?");
    assertThat(query.has("fault")).isFalse();
  }

  @Test
  void eachKindOfStatementRecordsItsTextAsItSays() throws IOException {
    recorder.beginSegment("api");
    SqlTracing.begin(recorder, ORDERS, "SELECT 'card-4111' AS card, 1234 AS pin", StatementKind.PLAIN).end(null);
    SqlTracing.begin(recorder, ORDERS, "SELECT 'raw' WHERE 1 = 1", StatementKind.PLAIN_AS_WRITTEN).end(null);
    SqlTracing.begin(recorder, ORDERS, "{? = call hex('ff')}", StatementKind.CALL).end(null);
    SqlTracing.begin(recorder, ORDERS, "x".repeat(SqlSanitizer.MAX_QUERY_LENGTH + 50), StatementKind.PREPARED).end(null);
    SqlTracing.begin(recorder, ORDERS, null, StatementKind.PLAIN).end(null);
    recorder.endSegment();

    List<JsonNode> queries = UdpDaemon.subsegments(daemon.receiveOne(WAIT));
    assertThat(queries.get(0).at("/sql/sanitized_query").asText()).isEqualTo("SELECT ? AS card, ? AS pin");
    assertThat(queries.get(0).at("/sql/preparation").isMissingNode()).isTrue();
    assertThat(queries.get(1).at("/sql/sanitized_query").asText()).isEqualTo("SELECT 'raw' WHERE 1 = 1");
    assertThat(queries.get(1).at("/sql/preparation").isMissingNode()).isTrue();
    assertThat(queries.get(2).at("/sql/sanitized_query").asText()).isEqualTo("{? = call hex('ff')}");
    assertThat(queries.get(2).at("/sql/preparation").asText()).isEqualTo("call");
    assertThat(queries.get(3).at("/sql/sanitized_query").asText()).hasSize(SqlSanitizer.MAX_QUERY_LENGTH).endsWith("...");
    assertThat(queries.get(4).at("/sql/sanitized_query").isMissingNode()).isTrue();
    assertThat(queries.get(4).at("/sql/url").asText()).isEqualTo(ORDERS.url());
  }

  @Test
  void aFailedQueryIsAFaultWithItsException() throws IOException {
    recorder.beginSegment("api");
    SqlTracing.begin(recorder, ORDERS, "SELECT * FROM missing", StatementKind.PLAIN)
        .end(new SQLException("relation \"missing\" does not exist"));
    recorder.endSegment();

    JsonNode query = daemon.receiveOne(WAIT).at("/subsegments/0");
    assertThat(query.get("fault").asBoolean()).isTrue();
    assertThat(query.at("/cause/exceptions/0/type").asText()).isEqualTo("java.sql.SQLException");
    assertThat(query.at("/cause/exceptions/0/message").asText()).contains("missing");
  }

  @Test
  void anAsynchronousQueryLeavesTheCallerCurrentAndEndsOnAnotherThread() throws Exception {
    Segment segment = recorder.beginSegment("api");
    SqlTracing.Call call = SqlTracing.beginAsync(recorder, ORDERS, "SELECT 1", StatementKind.PLAIN);
    assertThat(recorder.currentEntity()).isSameAs(segment);
    CompletableFuture.runAsync(() -> call.end(null)).get();
    recorder.endSegment();

    JsonNode query = daemon.receiveOne(WAIT).at("/subsegments/0");
    assertThat(query.get("name").asText()).isEqualTo("orders@db.internal");
    assertThat(query.has("in_progress")).isFalse();
  }

  @Test
  void anUnsampledRequestBeginsNothingAndOutsideASegmentTheStrategyApplies() throws IOException {
    Segment unsampled = recorder.beginSegment("api",
        TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
    SqlTracing.Call call = SqlTracing.begin(recorder, ORDERS, "SELECT 1", StatementKind.PLAIN);
    assertThat(recorder.currentEntity()).isSameAs(unsampled);
    call.end(new SQLException("ignored"));
    recorder.endSegment();

    SqlTracing.begin(recorder, ORDERS, "SELECT 1", StatementKind.PLAIN).end(null); // LOG_ERROR: logged
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();

    try (Recorder strict = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build()) {
      assertThatThrownBy(() -> SqlTracing.begin(strict, ORDERS, "SELECT 1", StatementKind.PLAIN))
          .isInstanceOf(SegmentNotFoundException.class);
    }
  }

  @Test
  void aDatabaseIsNamedByWhatIsKnownOfIt() {
    assertThat(SqlDatabase.builder().name("orders").host("::1").build().subsegmentName()).isEqualTo("orders@::1");
    assertThat(SqlDatabase.builder().databaseType("H2").build().subsegmentName()).isEqualTo("H2@localhost");
    assertThat(SqlDatabase.builder().name("").host("").build().subsegmentName()).isEqualTo("database@localhost");
    SqlDatabase asAnother = ORDERS.newBuilder().user("reporting").build();
    assertThat(asAnother.user()).isEqualTo("reporting");
    assertThat(asAnother.url()).isEqualTo(ORDERS.url());
    assertThat(ORDERS.user()).isEqualTo("app");
  }
}
