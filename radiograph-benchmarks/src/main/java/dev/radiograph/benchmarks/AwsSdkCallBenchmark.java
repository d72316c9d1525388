package dev.radiograph.benchmarks;

import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.awssdk.RadiographAwsInterceptor;
import dev.radiograph.config.SettingKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Per-call overhead of tracing the AWS SDK for Java v2: one DynamoDB {@code GetItem} on the table
 * {@value #TABLE}, through a sync {@code DynamoDbClient} (region us-east-1, static credentials,
 * so every call is signed; {@code UrlConnectionHttpClient}, whose kept-alive connection serves
 * every call; no retries), against {@link LoopbackDynamoDb}, a Vert.x server on 127.0.0.1 that
 * answers at once as DynamoDB does.
 *
 * <ul>
 *   <li>{@code untraced}: a client with no interceptor that records: the baseline;
 *   <li>{@code radiograph}: the client with {@code new RadiographAwsInterceptor(recorder)} added,
 *       as the README adds it (an {@code aws} subsegment with operation, region, request id,
 *       retries, {@code table_name} and the {@code http} status; {@code X-Amzn-Trace-Id} on the
 *       request), at 100% sampling with documents sent to a {@link DiscardingUdpDaemon};
 *   <li>{@code openTelemetry}: the client with OpenTelemetry's library instrumentation
 *       ({@code AwsSdkTelemetry.create(openTelemetry).createExecutionInterceptor()} of
 *       opentelemetry-aws-sdk-2.2, default settings: a client span with the RPC and DynamoDB
 *       attributes, {@code X-Amzn-Trace-Id} by its X-Ray propagator), on {@link OpenTelemetryPeer}'s
 *       SDK (always sampled, a {@code BatchSpanProcessor} exporting to a discarding UDP port).
 * </ul>
 *
 * <p>radiograph-aws-sdk-v2 is on this jar's class path, so the SDK adds its global interceptor to
 * every client built here. The untraced and OpenTelemetry forks install a global recorder with
 * {@code aws-sdk-global-interceptor=false}, as an application turns it off, so that no Radiograph
 * interceptor records in them (each setup proves it: the server sees no trace header from the
 * untraced client); what remains of it in their calls is a check of that setting. In the
 * Radiograph fork it stays on and steps aside for the explicit one, as in an application that adds
 * its own.
 *
 * <p>The segment, as in {@link HttpClientOverheadBenchmark}: each operation is one call, in
 * requests of {@value Workload#CALLS_PER_SEGMENT} calls ({@code @OperationsPerInvocation}); a
 * traced peer begins a segment (a parent span, current while the calls run) around each request's
 * calls, so a call pays for its subsegment (span) and a tenth of a segment. The overhead per call
 * is a traced row minus the untraced row; B/op counts every thread, so the emitter's and the
 * exporter's work is in it, and so is the server's (the same in every fork).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Ten warm-up seconds: the SDK's call path is long, and C2 needs them on two shared cores.
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class AwsSdkCallBenchmark {
  static final String TABLE = "orders";
  static final String ITEM_ID = "1";

  static final GetItemRequest GET_ITEM = GetItemRequest.builder()
      .tableName(TABLE)
      .key(Map.of("id", AttributeValue.fromS(ITEM_ID)))
      .build();

  /**
   * A client of {@code server} as an application configures one, with {@code interceptor} added
   * (none when null). The HTTP client is built by the SDK client, so closing it closes both.
   */
  static DynamoDbClient newClient(LoopbackDynamoDb server, ExecutionInterceptor interceptor) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDBENCHMARK", "benchmark-secret-key")))
        .httpClientBuilder(Apache5HttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.doNotRetry());
          if (interceptor != null) {
            o.addExecutionInterceptor(interceptor);
          }
        })
        .build();
  }

  /** One {@code GetItem}; fails the run unless the item came back. */
  static String getItem(DynamoDbClient client) {
    AttributeValue id = client.getItem(GET_ITEM).item().get("id");
    if (id == null || !ITEM_ID.equals(id.s())) {
      throw new IllegalStateException("GetItem did not return the item: " + id);
    }
    return id.s();
  }

  /** The calls of one request. */
  static void calls(DynamoDbClient client, Blackhole blackhole) {
    for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
      blackhole.consume(getItem(client));
    }
  }

  /**
   * Installs a global recorder with {@code aws-sdk-global-interceptor=false}, sending nowhere,
   * for the forks where no Radiograph interceptor may record. Returns it, for the proof.
   */
  static Recorder turnOffGlobalInterceptor() throws IOException {
    Recorder global = RadiographPeer.serviceBuilder("127.0.0.1:" + DiscardingUdpDaemon.closedPort())
        .setting(SettingKey.AWS_SDK_GLOBAL_INTERCEPTOR, "false")
        .build();
    Radiograph.setRecorder(global);
    return global;
  }

  /**
   * Closes what a fork set up, each part even when one before it failed, and prints what the
   * server and the daemon received. {@code peer}, {@code daemon} and {@code global} may be null.
   */
  static void closeFork(String label, DynamoDbClient client, LoopbackDynamoDb server, AutoCloseable peer,
      DiscardingUdpDaemon daemon, Recorder global) throws Exception {
    try {
      client.close();
      System.out.println("[" + label + "] " + server.received());
    } finally {
      try {
        server.close();
        if (peer != null) {
          peer.close();
        }
      } finally {
        try {
          if (daemon != null) {
            System.out.println("[" + label + "] " + daemon.received());
            daemon.close();
          }
        } finally {
          if (global != null) {
            global.close();
          }
        }
      }
    }
  }

  @State(Scope.Thread)
  public static class UntracedState {
    LoopbackDynamoDb server;
    Recorder global;
    DynamoDbClient client;

    @Setup
    public void setUp() throws Exception {
      server = LoopbackDynamoDb.start();
      global = turnOffGlobalInterceptor();
      client = newClient(server, null);
      // Proof that nothing traces this client: inside a segment of the global recorder, the call
      // carries no trace header (the global interceptor would add one if it recorded).
      global.beginSegment(Workload.SEGMENT);
      try {
        getItem(client);
      } finally {
        global.endSegment();
      }
      server.expect(1, 0, "untraced");
    }

    @TearDown
    public void tearDown() throws Exception {
      closeFork("untraced aws-sdk", client, server, null, null, global);
    }
  }

  @State(Scope.Thread)
  public static class RadiographState {
    LoopbackDynamoDb server;
    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Recorder recorder;
    DynamoDbClient client;

    @Setup
    public void setUp() throws Exception {
      server = LoopbackDynamoDb.start();
      expectRecordedCall(server);
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph aws-sdk");
      recorder = peer.recorder();
      client = newClient(server, new RadiographAwsInterceptor(recorder));
      // Proof that the measured calls are traced and sent before anything is measured.
      recorder.beginSegment(Workload.SEGMENT);
      try {
        getItem(client);
      } finally {
        recorder.endSegment();
      }
      daemon.expectDatagrams(1, "radiograph aws-sdk");
      server.expect(2, 2, "radiograph");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws Exception {
      closeFork("radiograph aws-sdk", client, server, peer, daemon, null);
    }

    /**
     * Proof that the interceptor records the whole call: one call in a segment of a recorder of
     * the same settings, sending to a socket read here, and its document has the aws subsegment
     * with the table. (The measured recorder sends to the discarding daemon, which reads nothing.)
     */
    private static void expectRecordedCall(LoopbackDynamoDb server) throws IOException {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
        socket.setSoTimeout(2_000);
        Recorder probe = RadiographPeer.serviceBuilder("127.0.0.1:" + socket.getLocalPort()).build();
        try (DynamoDbClient client = newClient(server, new RadiographAwsInterceptor(probe))) {
          probe.beginSegment(Workload.SEGMENT);
          try {
            getItem(client);
          } finally {
            probe.endSegment();
          }
          probe.flush(Duration.ofSeconds(2));
          DatagramPacket packet = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
          socket.receive(packet);
          String document = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
          for (String expected : new String[] {
            "\"name\":\"DynamoDb\"", "\"namespace\":\"aws\"", "\"operation\":\"GetItem\"",
            "\"table_name\":\"" + TABLE + "\"", "\"region\":\"us-east-1\"",
            "\"request_id\":\"" + LoopbackDynamoDb.REQUEST_ID + "\"",
          }) {
            if (!document.contains(expected)) {
              throw new IllegalStateException("radiograph aws-sdk: the document lacks " + expected + ": " + document);
            }
          }
        } finally {
          probe.close();
        }
      }
    }
  }

  @State(Scope.Thread)
  public static class OpenTelemetryState {
    LoopbackDynamoDb server;
    Recorder global;
    DiscardingUdpDaemon daemon;
    OpenTelemetryPeer peer;
    Tracer tracer;
    DynamoDbClient client;

    @Setup
    public void setUp() throws Exception {
      server = LoopbackDynamoDb.start();
      global = turnOffGlobalInterceptor();
      daemon = new DiscardingUdpDaemon();
      peer = OpenTelemetryPeer.sampled(daemon.port(), "opentelemetry aws-sdk");
      tracer = peer.tracer();
      client = newClient(server, AwsSdkTelemetry.create(peer.openTelemetry()).createExecutionInterceptor());
      // Proof that the measured calls are traced and exported: the parent span and the call's.
      request(this, null);
      long spans = peer.flushedSpans();
      if (spans < 2) {
        throw new IllegalStateException("opentelemetry aws-sdk: " + spans + " spans exported, expected 2"
            + " (the parent and the call's); is the instrumentation on?");
      }
      daemon.expectDatagrams(1, "opentelemetry aws-sdk");
      server.expect(1, 1, "opentelemetry");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws Exception {
      closeFork("opentelemetry aws-sdk", client, server, peer, daemon, global);
    }

    /**
     * One traced request: a parent span, current while its calls run (one call when {@code
     * blackhole} is null: the setup's proof).
     */
    @SuppressWarnings("try") // the scope is there for its side effect: the span is current
    static void request(OpenTelemetryState state, Blackhole blackhole) {
      Span parent = state.tracer.spanBuilder(Workload.SEGMENT).setSpanKind(SpanKind.SERVER).startSpan();
      try (io.opentelemetry.context.Scope scope = parent.makeCurrent()) {
        if (blackhole == null) {
          getItem(state.client);
        } else {
          calls(state.client, blackhole);
        }
      } finally {
        parent.end();
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void untraced(UntracedState state, Blackhole blackhole) {
    calls(state.client, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void radiograph(RadiographState state, Blackhole blackhole) {
    Recorder recorder = state.recorder;
    recorder.beginSegment(Workload.SEGMENT);
    try {
      calls(state.client, blackhole);
    } finally {
      recorder.endSegment();
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void openTelemetry(OpenTelemetryState state, Blackhole blackhole) {
    OpenTelemetryState.request(state, blackhole);
  }

  /**
   * DynamoDB on 127.0.0.1 (random port), as the SDK sees it: a Vert.x 5 server ({@code
   * TCP_NODELAY}, so no Nagle/delayed-ACK stall) that answers a JSON 1.0 {@code GetItem} with the
   * item {@code {"id":{"S":"1"}}}, DynamoDB's headers (request id, the body's CRC32, which the SDK
   * checks) and a {@code Content-Length}; any other call gets DynamoDB's 400 for an unknown
   * operation. It counts the calls, and those that carried {@code X-Amzn-Trace-Id}, for the
   * setups' proofs.
   */
  static final class LoopbackDynamoDb implements AutoCloseable {
    static final String REQUEST_ID = "BENCHMARK0000000000000000000000000000000000000000000";
    static final String GET_ITEM_TARGET = "DynamoDB_20120810.GetItem";
    static final String ITEM = "{\"Item\":{\"id\":{\"S\":\"" + ITEM_ID + "\"}}}";
    static final String UNKNOWN_OPERATION = "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    private final Vertx vertx;
    private final int port;
    private final AtomicLong connections;
    private final AtomicLong calls;
    private final AtomicLong tracedCalls;

    private LoopbackDynamoDb(Vertx vertx, int port, AtomicLong connections, AtomicLong calls, AtomicLong tracedCalls) {
      this.vertx = vertx;
      this.port = port;
      this.connections = connections;
      this.calls = calls;
      this.tracedCalls = tracedCalls;
    }

    static LoopbackDynamoDb start() throws Exception {
      Vertx vertx = Vertx.vertx();
      try {
        AtomicLong connections = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong tracedCalls = new AtomicLong();
        String itemCrc = crc32(ITEM);
        String unknownCrc = crc32(UNKNOWN_OPERATION);
        HttpServer server = HelloServers.await(vertx
            .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
            .connectionHandler(connection -> connections.incrementAndGet())
            .requestHandler(request -> request.endHandler(end -> {
              calls.incrementAndGet();
              if (request.getHeader(TRACE_HEADER) != null) {
                tracedCalls.incrementAndGet();
              }
              answer(request, itemCrc, unknownCrc);
            }))
            .listen(0, "127.0.0.1"));
        return new LoopbackDynamoDb(vertx, server.actualPort(), connections, calls, tracedCalls);
      } catch (Exception | Error e) {
        vertx.close();
        throw e;
      }
    }

    private static void answer(HttpServerRequest request, String itemCrc, String unknownCrc) {
      boolean getItem = GET_ITEM_TARGET.equals(request.getHeader("X-Amz-Target"));
      request.response()
          .setStatusCode(getItem ? 200 : 400)
          .putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("x-amzn-RequestId", REQUEST_ID)
          .putHeader("x-amz-crc32", getItem ? itemCrc : unknownCrc)
          .end(getItem ? ITEM : UNKNOWN_OPERATION);
    }

    private static String crc32(String body) {
      CRC32 crc = new CRC32();
      crc.update(body.getBytes(StandardCharsets.UTF_8));
      return Long.toString(crc.getValue());
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + port);
    }

    /** Fails unless exactly {@code calls} calls came, {@code traced} of them with a trace header. */
    void expect(long calls, long traced, String peer) {
      if (this.calls.get() != calls || tracedCalls.get() != traced) {
        throw new IllegalStateException(peer + ": expected " + calls + " calls, " + traced
            + " with X-Amzn-Trace-Id; the server " + received());
      }
    }

    /**
     * {@code server received N calls on C connections, T with X-Amzn-Trace-Id}: for a teardown
     * summary (C stays at 1 or 2 while the client keeps its connection alive).
     */
    String received() {
      return "server received " + calls.get() + " calls on " + connections.get() + " connections, "
          + tracedCalls.get() + " with " + TRACE_HEADER;
    }

    @Override
    public void close() {
      HelloServers.stop(vertx);
    }
  }
}
