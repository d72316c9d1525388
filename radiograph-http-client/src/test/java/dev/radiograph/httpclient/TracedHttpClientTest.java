package dev.radiograph.httpclient;

import dev.radiograph.UdpDaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TracedHttpClient} against a real local HTTP server, asserting on the documents that reach
 * a real UDP socket and on the headers the server received.
 */
class TracedHttpClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private UdpDaemon daemon;
  private Backend backend;
  private Recorder recorder;
  private ExecutorService clientThreads;
  private HttpClient plain;
  private HttpClient traced;

  @BeforeEach
  void start() throws IOException {
    daemon = new UdpDaemon();
    backend = new Backend();
    recorder = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.IGNORE_ERROR).build();
    clientThreads = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "client-thread");
      thread.setDaemon(true);
      return thread;
    });
    plain = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(2)).build();
    traced = TracedHttpClient.wrap(plain, recorder);
  }

  @AfterEach
  void stop() {
    recorder.close();
    backend.close();
    daemon.close();
    clientThreads.shutdownNow();
  }

  @Test
  void sendRecordsRemoteSubsegmentAndPropagatesBothHeaders() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=sync");
    HttpResponse<String> response = traced.send(HttpRequest.newBuilder(uri).header("X-Custom", "kept").build(),
        BodyHandlers.ofString());
    assertThat(recorder.currentEntity()).as("the caller's entity is current again").isSameAs(segment);
    segment.close();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    JsonNode call = onlySubsegment(receiveSegment());
    assertThat(call.get("name").asText()).isEqualTo("127.0.0.1");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(call.at("/http/request/url").asText()).isEqualTo(uri.toString());
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(call.has("fault")).isFalse();

    TraceHeader sent = TraceHeader.parse(backend.headers("sync").get("X-Amzn-Trace-Id"));
    assertThat(sent.root()).isEqualTo(segment.traceId());
    assertThat(sent.parentId()).isEqualTo(call.get("id").asText());
    assertThat(sent.sampled()).isEqualTo(TraceHeader.Sampled.SAMPLED);
    assertThat(backend.headers("sync").get("traceparent"))
        .isEqualTo("00-" + segment.traceId().toString().substring(2).replace("-", "") + "-"
            + call.get("id").asText() + "-01");
  }

  @Test
  void aClientForOneServiceNamesItsCallsAfterTheService() throws Exception {
    HttpClient named = TracedHttpClient.wrap(HttpClient.newHttpClient(), recorder, "catalog");
    Segment segment = recorder.beginSegment("caller");
    named.send(HttpRequest.newBuilder(backend.uri("id=named-sync")).build(), BodyHandlers.ofString());
    named.sendAsync(HttpRequest.newBuilder(backend.uri("id=named-async")).build(), BodyHandlers.ofString())
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    segment.close();

    JsonNode document = receiveSegment();
    assertThat(document.get("subsegments")).hasSize(2);
    for (JsonNode call : document.get("subsegments")) {
      assertThat(call.get("name").asText()).isEqualTo("catalog");
      assertThat(call.get("namespace").asText()).isEqualTo("remote");
    }
  }

  @Test
  void sendAsyncStagesSeeTheCallersEntityOnAnotherThread() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    AtomicReference<Entity> seenInStage = new AtomicReference<>();
    AtomicReference<String> stageThread = new AtomicReference<>();
    CompletableFuture<Integer> status = traced
        .sendAsync(HttpRequest.newBuilder(backend.uri("id=async&delay=300")).build(), BodyHandlers.ofString())
        .thenApply(response -> {
          seenInStage.set(recorder.currentEntity());
          stageThread.set(Thread.currentThread().getName());
          return response.statusCode();
        });
    assertThat(recorder.currentEntity()).as("the call's subsegment is not left current").isSameAs(segment);
    recorder.setCurrentEntity(null); // the calling thread goes on with other work meanwhile

    assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(stageThread.get()).as("completed by one of the client's threads")
        .isNotEqualTo(Thread.currentThread().getName());
    assertThat(seenInStage.get()).isSameAs(segment);
    segment.close();

    JsonNode call = onlySubsegment(receiveSegment());
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(TraceHeader.parse(backend.headers("async").get("X-Amzn-Trace-Id")).parentId())
        .isEqualTo(call.get("id").asText());
  }

  @Test
  void parallelAsyncCallsAreSiblingsOfOneParent() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(traced.sendAsync(HttpRequest.newBuilder(backend.uri("id=p" + i + "&delay=100")).build(),
          BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
    segment.close();

    JsonNode document = receiveSegment();
    assertThat(document.get("subsegments")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String parent = TraceHeader.parse(backend.headers("p" + i).get("X-Amzn-Trace-Id")).parentId();
      assertThat(document.get("subsegments").findValuesAsText("id")).contains(parent);
    }
  }

  @Test
  void statusesAreMappedOnTheSubsegment() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    for (int status : new int[] {404, 429, 503}) {
      HttpResponse<String> response =
          traced.send(HttpRequest.newBuilder(backend.uri("status=" + status)).build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(status);
    }
    segment.close();

    JsonNode subsegments = receiveSegment().get("subsegments");
    assertThat(subsegments).hasSize(3);
    assertThat(subsegments.get(0).get("error").asBoolean()).isTrue();
    assertThat(subsegments.get(0).has("throttle")).isFalse();
    assertThat(subsegments.get(1).get("throttle").asBoolean()).isTrue();
    assertThat(subsegments.get(1).get("error").asBoolean()).isTrue();
    assertThat(subsegments.get(2).get("fault").asBoolean()).isTrue();
  }

  @Test
  void failedConnectionThrowsTheClientsOwnExceptionAndRecordsAFault() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(closedPort()).build();
    Class<? extends Throwable> expected = failureOf(() -> plain.send(request, BodyHandlers.ofString())).getClass();

    Segment segment = recorder.beginSegment("caller");
    assertThatThrownBy(() -> traced.send(request, BodyHandlers.ofString()))
        .isExactlyInstanceOf(expected)
        .isInstanceOf(ConnectException.class);
    assertThat(recorder.currentEntity()).isSameAs(segment);
    segment.close();

    JsonNode call = onlySubsegment(receiveSegment());
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/http/response").isMissingNode()).isTrue();
    assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo(expected.getName());
  }

  @Test
  void failedAsyncConnectionCompletesWithTheClientsOwnFailure() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(closedPort()).build();
    Throwable expected = failureOf(() -> plain.sendAsync(request, BodyHandlers.ofString()).get(5, TimeUnit.SECONDS));

    Segment segment = recorder.beginSegment("caller");
    CompletableFuture<HttpResponse<String>> future = traced.sendAsync(request, BodyHandlers.ofString());
    Throwable actual = failureOf(() -> future.get(5, TimeUnit.SECONDS));
    AtomicReference<Throwable> seenByStage = new AtomicReference<>();
    future.exceptionally(e -> {
      seenByStage.set(e);
      return null;
    }).get(5, TimeUnit.SECONDS);
    segment.close();

    assertThat(actual).isExactlyInstanceOf(ExecutionException.class);
    assertThat(actual.getCause()).isExactlyInstanceOf(expected.getCause().getClass());
    assertThat(seenByStage.get()).isNotNull();
    JsonNode call = onlySubsegment(receiveSegment());
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo(expected.getCause().getClass().getName());
  }

  @Test
  void withoutASegmentTheRequestGoesOutUntouchedAndNothingIsSent() throws Exception {
    HttpResponse<String> response =
        traced.send(HttpRequest.newBuilder(backend.uri("id=untraced")).build(), BodyHandlers.ofString());
    HttpResponse<String> async = traced
        .sendAsync(HttpRequest.newBuilder(backend.uri("id=untraced-async")).build(), BodyHandlers.ofString())
        .get(5, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(async.statusCode()).isEqualTo(200);
    assertThat(backend.headers("untraced")).isEmpty();
    assertThat(backend.headers("untraced-async")).isEmpty();
    recorder.flush(WAIT);
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void anUnsampledRequestPropagatesItsDecisionAndRecordsNothing() throws Exception {
    TraceHeader upstream = TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
    Segment segment = recorder.beginSegment("caller", upstream);
    traced.send(HttpRequest.newBuilder(backend.uri("id=unsampled")).build(), BodyHandlers.ofString());
    segment.close();

    TraceHeader sent = TraceHeader.parse(backend.headers("unsampled").get("X-Amzn-Trace-Id"));
    assertThat(sent.root()).isEqualTo(upstream.root());
    assertThat(sent.sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
    assertThat(backend.headers("unsampled").get("traceparent")).endsWith("-00");
    recorder.flush(WAIT);
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void everythingElseIsTheWrappedClients() {
    assertThat(TracedHttpClient.wrap(traced, recorder)).isSameAs(traced);
    assertThat(((TracedHttpClient) traced).delegate()).isSameAs(plain);
    assertThat(traced.executor()).isEqualTo(plain.executor());
    assertThat(traced.connectTimeout()).isEqualTo(plain.connectTimeout());
    assertThat(traced.followRedirects()).isEqualTo(plain.followRedirects());
    assertThat(traced.version()).isEqualTo(plain.version());
    assertThat(traced.proxy()).isEqualTo(plain.proxy());
    assertThat(traced.cookieHandler()).isEqualTo(plain.cookieHandler());
    assertThat(traced.authenticator()).isEqualTo(plain.authenticator());
    assertThat(traced.sslContext()).isSameAs(plain.sslContext());
    assertThat(traced.newWebSocketBuilder()).isNotNull();
  }

  private JsonNode receiveSegment() throws IOException {
    recorder.flush(WAIT);
    List<JsonNode> documents = daemon.receive(1, WAIT);
    assertThat(documents).hasSize(1);
    return documents.get(0);
  }

  private static JsonNode onlySubsegment(JsonNode segment) {
    assertThat(segment.get("subsegments")).hasSize(1);
    return segment.get("subsegments").get(0);
  }

  private static URI closedPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + "/nobody-listens");
  }

  private static Throwable failureOf(ThrowingCall call) {
    try {
      call.run();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }
}
