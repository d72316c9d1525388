package dev.radiograph.benchmarks;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Namespace;
import com.amazonaws.xray.entities.Subsegment;
import dev.radiograph.Recorder;
import dev.radiograph.jdbc.TracedDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-query overhead of tracing JDBC: one query against an H2 in-memory database ({@link
 * ItemDatabase}, no network noise), the way an application runs it: borrow a connection from the
 * pool, create the statement, execute, read the one row, close everything. {@code query} is
 * {@code prepared} (a {@code PreparedStatement}, {@code WHERE id = ?}) or {@code statement} (a
 * plain {@code Statement} with literals in its text, which Radiograph's sanitizer replaces).
 *
 * <ul>
 *   <li>{@code untraced}: the pool itself, the baseline;
 *   <li>{@code radiograph}: the pool wrapped by radiograph-jdbc's {@code TracedDataSource}
 *       (connection and statement proxies, a {@code remote} subsegment with the {@code sql} block
 *       per execution);
 *   <li>{@code awsXraySdk}: the official SDK. Its JDBC module ({@code aws-xray-recorder-sdk-sql}
 *       2.21.0, whose {@code TracingDataSource} wraps JDBC) is not served by the Maven repository
 *       this project builds from, so this peer is the SDK's documented manual pattern instead:
 *       around the driver's {@code executeQuery}, {@code beginSubsegment("database@host")}, the
 *       {@code remote} namespace, the {@code sql} block ({@code putAllSql} of the URL, user,
 *       database type and version, driver version read once at setup, then {@code preparation} and
 *       the query), {@code endSubsegment}. It pays no proxies, and it records the query as written:
 *       the official SDK has no sanitizer. So it is a lower bound of what the SDK's wrapper costs.
 * </ul>
 *
 * <p>The segment: each operation is one query, and the operations come in requests of {@value
 * Workload#CALLS_PER_SEGMENT} ({@code @OperationsPerInvocation}): a traced peer begins a segment,
 * runs the {@value Workload#CALLS_PER_SEGMENT} queries, and ends it, so each query pays for its
 * subsegment and a tenth of a segment, and the subsegments go to the daemon inside their
 * segment's one document, as they do in a request with a few queries (below both SDKs' streaming
 * threshold of 100). Beginning the segment asks each SDK's sampler, as {@link
 * TracedRequestBenchmark} does. The untraced peer runs the same {@value
 * Workload#CALLS_PER_SEGMENT} queries with no segment. The overhead per query is a traced row
 * minus the untraced row of the same {@code query}; B/op counts every thread, so Radiograph's
 * emitter thread is in it (the official SDK sends on the calling thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class JdbcQueryBenchmark {
  static final String PREPARED = "prepared";
  static final String STATEMENT = "statement";

  @State(Scope.Thread)
  public static class UntracedState {
    @Param({PREPARED, STATEMENT})
    public String query;

    ItemDatabase database;
    DataSource dataSource;
    boolean prepared;

    @Setup
    public void setUp() throws SQLException {
      prepared = isPrepared(query);
      database = new ItemDatabase("untraced");
      dataSource = database.dataSource();
    }

    @TearDown
    public void tearDown() throws SQLException {
      database.close();
    }
  }

  @State(Scope.Thread)
  public static class RadiographState {
    @Param({PREPARED, STATEMENT})
    public String query;

    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Recorder recorder;
    ItemDatabase database;
    DataSource dataSource;
    boolean prepared;

    @Setup
    public void setUp() throws Exception {
      prepared = isPrepared(query);
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph jdbc query=" + query);
      recorder = peer.recorder();
      database = new ItemDatabase("radiograph");
      dataSource = TracedDataSource.wrap(database.dataSource(), recorder);
      // Proof that queries are traced and sent before anything is measured.
      recorder.beginSegment(Workload.SEGMENT);
      try {
        query(dataSource, prepared);
      } finally {
        recorder.endSegment();
      }
      daemon.expectDatagrams(1, "radiograph jdbc");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws Exception {
      database.close();
      peer.close();
      System.out.println("[radiograph jdbc query=" + query + "] " + daemon.received());
      daemon.close();
    }

    /** One traced request: a segment around {@value Workload#CALLS_PER_SEGMENT} queries. */
    static void request(RadiographState state, Blackhole blackhole) throws SQLException {
      Recorder recorder = state.recorder;
      recorder.beginSegment(Workload.SEGMENT);
      try {
        queries(state.dataSource, state.prepared, blackhole);
      } finally {
        recorder.endSegment();
      }
    }
  }

  @State(Scope.Thread)
  public static class AwsXrayState {
    @Param({PREPARED, STATEMENT})
    public String query;

    DiscardingUdpDaemon daemon;
    AwsXrayPeer peer;
    AWSXRayRecorder recorder;
    ItemDatabase database;
    DataSource dataSource;
    boolean prepared;
    String subsegmentName;
    Map<String, Object> sqlBlock;

    @Setup
    public void setUp() throws Exception {
      prepared = isPrepared(query);
      daemon = new DiscardingUdpDaemon();
      peer = AwsXrayPeer.sampled(daemon.port());
      recorder = peer.recorder();
      database = new ItemDatabase("awsxray");
      dataSource = database.dataSource();
      try (Connection connection = dataSource.getConnection()) {
        DatabaseMetaData meta = connection.getMetaData();
        subsegmentName = connection.getCatalog() + "@localhost";
        sqlBlock = Map.of(
            "url", meta.getURL(),
            "user", meta.getUserName(),
            "database_type", meta.getDatabaseProductName(),
            "database_version", meta.getDatabaseProductVersion(),
            "driver_version", meta.getDriverVersion());
      }
      recorder.beginSegmentWithSampling(Workload.SEGMENT);
      try {
        tracedQuery(this);
      } finally {
        recorder.endSegment();
      }
      daemon.expectDatagrams(1, "aws-xray-sdk jdbc");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws Exception {
      database.close();
      peer.close();
      System.out.println("[aws-xray-sdk jdbc query=" + query + "] " + daemon.received());
      daemon.close();
    }

    /** One traced request: a segment around {@value Workload#CALLS_PER_SEGMENT} queries. */
    static void request(AwsXrayState state, Blackhole blackhole) throws SQLException {
      AWSXRayRecorder recorder = state.recorder;
      recorder.beginSegmentWithSampling(Workload.SEGMENT);
      try {
        for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
          blackhole.consume(tracedQuery(state));
        }
      } finally {
        recorder.endSegment();
      }
    }

    /** One query, in a subsegment of the official SDK's manual pattern. */
    private static String tracedQuery(AwsXrayState state) throws SQLException {
      try (Connection connection = state.dataSource.getConnection()) {
        if (state.prepared) {
          try (PreparedStatement statement = connection.prepareStatement(ItemDatabase.PREPARED_QUERY)) {
            statement.setInt(1, ItemDatabase.ID);
            try (ResultSet row = state.executeQuery(statement, ItemDatabase.PREPARED_QUERY, true)) {
              return ItemDatabase.name(row);
            }
          }
        }
        try (Statement statement = connection.createStatement();
            ResultSet row = state.executeQuery(statement, ItemDatabase.LITERAL_QUERY, false)) {
          return ItemDatabase.name(row);
        }
      }
    }

    /** The official SDK's manual pattern: a subsegment with the sql block around the driver's call. */
    private ResultSet executeQuery(Statement statement, String sql, boolean preparedStatement) throws SQLException {
      Subsegment subsegment = recorder.beginSubsegment(subsegmentName);
      try {
        subsegment.setNamespace(Namespace.REMOTE.toString());
        subsegment.putAllSql(sqlBlock);
        if (preparedStatement) {
          subsegment.putSql("preparation", "statement");
        }
        subsegment.putSql("sanitized_query", sql);
        return preparedStatement ? ((PreparedStatement) statement).executeQuery() : statement.executeQuery(sql);
      } catch (SQLException | RuntimeException e) {
        subsegment.addException(e);
        throw e;
      } finally {
        recorder.endSubsegment();
      }
    }
  }

  static boolean isPrepared(String query) {
    switch (query) {
      case PREPARED:
        return true;
      case STATEMENT:
        return false;
      default:
        throw new IllegalArgumentException("unknown query: " + query + " (" + PREPARED + " or " + STATEMENT + ")");
    }
  }

  /** The queries of one request, through {@code dataSource}. */
  static void queries(DataSource dataSource, boolean prepared, Blackhole blackhole) throws SQLException {
    for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
      blackhole.consume(query(dataSource, prepared));
    }
  }

  static String query(DataSource dataSource, boolean prepared) throws SQLException {
    return prepared ? ItemDatabase.selectPrepared(dataSource) : ItemDatabase.selectLiteral(dataSource);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void untraced(UntracedState state, Blackhole blackhole) throws SQLException {
    queries(state.dataSource, state.prepared, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void radiograph(RadiographState state, Blackhole blackhole) throws SQLException {
    RadiographState.request(state, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void awsXraySdk(AwsXrayState state, Blackhole blackhole) throws SQLException {
    AwsXrayState.request(state, blackhole);
  }
}
