package dev.radiograph.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wrappers around a real H2 database, with the documents a real UDP socket receives: one
 * {@code remote} subsegment per execution, named {@code database@host}, with the {@code sql} block.
 */
class TracedDataSourceTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private UdpDaemon daemon;
  private Recorder recorder;
  private JdbcDataSource h2;
  private AtomicInteger metadataLookups;
  private DataSource traced;

  @BeforeEach
  void setUp() throws Exception {
    daemon = new UdpDaemon();
    recorder = daemon.recorderBuilder().tracingName("orders").build();
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:orders" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    h2.setPassword("s3cret");
    metadataLookups = new AtomicInteger();
    traced = TracedDataSource.wrap(countingMetadataLookups(h2), recorder);
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10, 2))");
      s.execute("CREATE ALIAS hex FOR 'java.lang.Integer.toHexString(int)'");
    }
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    daemon.close();
  }

  @Test
  void recordsEachKindOfStatementWithTheSqlBlock() throws Exception {
    recorder.beginSegment("orders");
    try (Connection c = traced.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO orders VALUES (1, 'alice', 42.50)");
      }
      try (PreparedStatement p = c.prepareStatement("SELECT total FROM orders WHERE customer = ?")) {
        p.setString(1, "alice");
        try (ResultSet rs = p.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      try (CallableStatement call = c.prepareCall("{? = call hex(?)}")) {
        call.registerOutParameter(1, java.sql.Types.VARCHAR);
        call.setInt(2, 255);
        call.execute();
        assertThat(call.getString(1)).isEqualTo("ff");
      }
    }
    recorder.endSegment();

    List<JsonNode> sql = sqlSubsegments(segment());
    assertThat(sql).hasSize(3);
    JsonNode insert = sql.get(0);
    String database = "ORDERS" + DATABASES.get();
    assertThat(insert.get("name").asText()).isEqualTo(database + "@localhost");
    assertThat(insert.get("namespace").asText()).isEqualTo("remote");
    assertThat(insert.at("/sql/sanitized_query").asText()).isEqualTo("INSERT INTO orders VALUES (?, ?, ?)");
    assertThat(insert.at("/sql/preparation").isMissingNode()).isTrue();
    assertThat(insert.at("/sql/url").asText()).startsWith("jdbc:h2:mem:orders").doesNotContain("s3cret");
    assertThat(insert.at("/sql/user").asText()).isEqualToIgnoringCase("sa");
    assertThat(insert.at("/sql/database_type").asText()).isEqualTo("H2");
    assertThat(insert.at("/sql/database_version").asText()).startsWith("2.5.252");
    assertThat(insert.at("/sql/driver_version").asText()).startsWith("2.5.252");

    JsonNode select = sql.get(1);
    assertThat(select.at("/sql/sanitized_query").asText()).isEqualTo("SELECT total FROM orders WHERE customer = ?");
    assertThat(select.at("/sql/preparation").asText()).isEqualTo("statement");

    JsonNode call = sql.get(2);
    assertThat(call.at("/sql/sanitized_query").asText()).isEqualTo("{? = call hex(?)}");
    assertThat(call.at("/sql/preparation").asText()).isEqualTo("call");
  }

  @Test
  void batchesAndResultSetIterationAreCountedOnce() throws Exception {
    recorder.beginSegment("orders");
    try (Connection c = traced.getConnection()) {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 50; i++) {
          p.setInt(1, i);
          p.setString(2, "customer" + i);
          p.setBigDecimal(3, java.math.BigDecimal.valueOf(i));
          p.addBatch();
        }
        assertThat(p.executeBatch()).hasSize(50);
      }
      try (Statement s = c.createStatement()) {
        s.addBatch("UPDATE orders SET total = 1 WHERE id = 1");
        s.addBatch("UPDATE orders SET total = 2 WHERE id = 2");
        s.addBatch("DELETE FROM orders WHERE customer = 'customer3'");
        s.executeBatch();
        int rows = 0;
        try (ResultSet rs = s.executeQuery("SELECT * FROM orders")) {
          while (rs.next()) {
            rows++;
          }
        }
        assertThat(rows).isEqualTo(49);
      }
    }
    recorder.endSegment();

    List<JsonNode> sql = sqlSubsegments(segment());
    assertThat(sql).extracting(n -> n.at("/sql/sanitized_query").asText()).containsExactly(
        "INSERT INTO orders VALUES (?, ?, ?)",
        "UPDATE orders SET total = ? WHERE id = ?;\nUPDATE orders SET total = ? WHERE id = ?;\n"
            + "DELETE FROM orders WHERE customer = ?",
        "SELECT * FROM orders");
  }

  @Test
  void metadataIsReadOncePerDataSourceNotPerQueryOrConnection() throws Exception {
    recorder.beginSegment("orders");
    for (int i = 0; i < 5; i++) {
      try (Connection c = traced.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").close();
        s.executeQuery("SELECT 2").close();
      }
    }
    recorder.endSegment();
    assertThat(sqlSubsegments(segment())).hasSize(10);
    assertThat(metadataLookups).hasValue(1);
  }

  @Test
  void rawQueryTextOnlyWhenAskedFor() throws Exception {
    DataSource raw = TracedDataSource.builder(h2, recorder).rawQueries(true).build();
    recorder.beginSegment("orders");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT * FROM orders WHERE customer = 'alice'").close();
    }
    recorder.endSegment();
    assertThat(sqlSubsegments(segment()).get(0).at("/sql/sanitized_query").asText())
        .isEqualTo("SELECT * FROM orders WHERE customer = 'alice'");
  }

  @Test
  void aFailingQueryIsRecordedAndItsExceptionReachesTheCallerUnchanged() throws Exception {
    recorder.beginSegment("orders");
    try (Connection c = traced.getConnection(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM missing_table"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("MISSING_TABLE");
    }
    recorder.endSegment();
    JsonNode failed = sqlSubsegments(segment()).get(0);
    assertThat(failed.get("fault").asBoolean()).isTrue();
    assertThat(failed.at("/cause/exceptions/0/type").asText()).startsWith("org.h2.jdbc.JdbcSQL");
  }

  @Test
  void anUnsampledRequestRecordsNothingAndOutsideASegmentTheStrategyApplies() throws Exception {
    recorder.beginSegment("orders", TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
    try (Connection c = traced.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1").close();
    }
    recorder.endSegment();
    try (Connection c = traced.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1").close(); // LOG_ERROR: logged, and the query runs
    }
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();

    try (Recorder strict = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build();
        Connection c = TracedDataSource.wrap(h2, strict).getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT 1")).isInstanceOf(SegmentNotFoundException.class);
    }
  }

  @Test
  void wrappersAnswerForThemselvesAndUnwrapToTheDriver() throws Exception {
    assertThat(TracedDataSource.wrap(traced, recorder)).isSameAs(traced);
    assertThat(traced.unwrap(JdbcDataSource.class)).isSameAs(h2);
    assertThat(traced.isWrapperFor(JdbcDataSource.class)).isTrue();
    try (Connection c = traced.getConnection(); Statement s = c.createStatement();
        PreparedStatement p = c.prepareStatement("SELECT 1")) {
      assertThat(s.getConnection()).isSameAs(c);
      assertThat(p.getConnection()).isSameAs(c);
      assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(c).isEqualTo(c).isNotEqualTo(h2.getConnection());
    }
  }

  private JsonNode segment() throws Exception {
    List<JsonNode> documents = daemon.receive(1, Duration.ofSeconds(5));
    assertThat(documents).hasSize(1);
    return documents.get(0);
  }

  private static List<JsonNode> sqlSubsegments(JsonNode segment) {
    List<JsonNode> result = new ArrayList<>();
    segment.path("subsegments").forEach(result::add);
    return result;
  }

  /** The H2 data source, counting how often its connections' metadata is read. */
  private DataSource countingMetadataLookups(JdbcDataSource target) {
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = QueryTracing.invoke(target, method, args);
          if (result instanceof Connection) {
            Connection connection = (Connection) result;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                  if (m.getName().equals("getMetaData")) {
                    metadataLookups.incrementAndGet();
                  }
                  return QueryTracing.invoke(connection, m, a);
                });
          }
          return result;
        });
  }
}
