package dev.radiograph.vertx;

import dev.radiograph.UdpDaemon;

import static dev.radiograph.vertx.TraceAssertions.assertPropagated;
import static dev.radiograph.vertx.TraceAssertions.callTo;
import static dev.radiograph.vertx.TraceAssertions.subsegments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Entity;
import dev.radiograph.TraceHeader;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario tests: a real Vert.x server traced through the tracing SPI, calling a second real HTTP
 * server, with every assertion made on the documents that reached a real UDP socket and on the
 * headers the second server received.
 */
class VertxTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Backend backend;

  private UdpDaemon daemon;
  private Gateway gateway;
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeAll
  static void startBackend() throws Exception {
    backend = new Backend();
  }

  @AfterAll
  static void stopBackend() throws Exception {
    backend.close();
  }

  @BeforeEach
  void startGateway() throws Exception {
    daemon = new UdpDaemon();
    gateway = new Gateway(daemon, backend.vertx(), (router, g) -> {
      int port = backend.port();
      WebClient web = WebClient.create(g.vertx);
      router.get("/fanout").handler(rc -> {
        String id = rc.request().getParam("id");
        see("handler");
        // 1: sequential, through WebClient
        web.get(port, "127.0.0.1", "/call").addQueryParam("id", id + "-1").send()
            .compose(first -> {
              see("after-first-call");
              // then blocking work on a worker thread, traced with core's lambda form
              return g.vertx.executeBlocking(() -> {
                see("worker");
                return g.recorder.trace("blocking-work", () -> {
                  see("inside-blocking-work");
                  return Thread.currentThread().getName();
                });
              });
            })
            .compose(worker -> {
              see("after-blocking");
              // 2 and 3: in parallel, through HttpClient
              return Future.all(
                  g.call(port, "/call?delay=150&id=" + id + "-2"),
                  g.call(port, "/call?delay=150&id=" + id + "-3"));
            })
            .onComplete(all -> {
              see("after-parallel-calls");
              rc.response().end("done");
            });
      });
      router.get("/single").handler(rc -> {
        String id = rc.request().getParam("id");
        g.recorder.currentSegment().putAnnotation("request_id", id);
        String before = g.recorder.currentSegment().traceId().toString();
        g.call(port, "/call?delay=" + rc.request().getParam("delay") + "&id=" + id)
            .onComplete(ar -> rc.response().end(before + " " + g.recorder.currentSegment().traceId()));
      });
      router.get("/statuses").handler(rc ->
          g.call(port, "/call?status=503&id=statuses").onComplete(ar -> rc.response().setStatusCode(404).end()));
      router.get("/throws").handler(rc -> {
        throw new IllegalStateException("handler failed");
      });
      router.get("/bus").handler(rc -> g.vertx.eventBus().request("work", rc.request().getParam("id"))
          .onComplete(reply -> rc.response().end(String.valueOf(reply.result().body()))));
      g.vertx.eventBus().<String>consumer("work", message -> {
        see("consumer");
        g.call(port, "/call?id=" + message.body() + "-consumer").onComplete(ar -> message.reply("replied"));
      });
    });
  }

  @AfterEach
  void stopGateway() throws Exception {
    gateway.close();
    daemon.close();
  }

  private void see(String where) {
    Entity entity = gateway.recorder.currentEntity();
    seen.put(where, entity == null ? "none" : entity.id());
  }

  @Test
  void aFanOutToThreeCallsIsOneTraceWithThreeRemoteSubsegmentsUnderTheSegment() throws Exception {
    Gateway.Response response = gateway.getNow("/fanout?id=f", Map.of(TraceHeader.HEADER_NAME, "Sampled=?"));
    assertThat(response.status()).isEqualTo(200);

    JsonNode segment = receive(1).get(0);
    String segmentId = segment.get("id").asText();
    assertThat(segment.get("name").asText()).isEqualTo("gateway");
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).endsWith("/fanout?id=f");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/http/response/content_length").asInt()).isEqualTo(4);
    assertThat(response.headers().get(TraceHeader.HEADER_NAME))
        .as("Sampled=? is answered with the decision")
        .isEqualTo("Root=" + segment.get("trace_id").asText() + ";Sampled=1");

    List<JsonNode> remote = subsegments(segment).stream()
        .filter(s -> "remote".equals(s.path("namespace").asText()))
        .collect(Collectors.toList());
    assertThat(remote).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      JsonNode call = callTo(segment, "id=f-" + i);
      assertThat(call.get("name").asText()).isEqualTo("127.0.0.1");
      assertThat(call.at("/http/request/method").asText()).isEqualTo("GET");
      assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
      assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
      assertPropagated(backend.headers("f-" + i), segment, call);
    }
    JsonNode second = callTo(segment, "id=f-2");
    JsonNode third = callTo(segment, "id=f-3");
    assertThat(second.get("start_time").asDouble()).as("2 and 3 overlap: they ran in parallel")
        .isLessThan(third.get("end_time").asDouble());
    assertThat(third.get("start_time").asDouble()).isLessThan(second.get("end_time").asDouble());
    JsonNode first = callTo(segment, "id=f-1");
    assertThat(first.get("end_time").asDouble()).as("1 finished before 2 and 3 began")
        .isLessThanOrEqualTo(Math.min(second.get("start_time").asDouble(), third.get("start_time").asDouble()));

    List<JsonNode> blocking = subsegments(segment).stream()
        .filter(s -> s.get("name").asText().equals("blocking-work")).collect(Collectors.toList());
    assertThat(blocking).hasSize(1);
    assertThat(seen).containsEntry("handler", segmentId)
        .containsEntry("after-first-call", segmentId)
        .containsEntry("worker", segmentId)
        .containsEntry("inside-blocking-work", blocking.get(0).get("id").asText())
        .containsEntry("after-blocking", segmentId)
        .containsEntry("after-parallel-calls", segmentId);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aThousandInterleavedRequestsMakeAThousandSeparateTraces() throws Exception {
    int requests = 1_000;
    List<Future<Gateway.Response>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      responses.add(gateway.get("/single?delay=" + (i % 4) * 5 + "&id=c" + i, Map.of()));
    }
    Future.all(responses).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<JsonNode> documents = receive(requests);
    assertThat(documents).hasSize(requests);
    Map<String, JsonNode> byRequest = new HashMap<>();
    Set<String> traceIds = new HashSet<>();
    for (JsonNode document : documents) {
      byRequest.put(document.at("/annotations/request_id").asText(), document);
      traceIds.add(document.get("trace_id").asText());
    }
    assertThat(traceIds).hasSize(requests);
    assertThat(byRequest).hasSize(requests);
    for (int i = 0; i < requests; i++) {
      String id = "c" + i;
      JsonNode document = byRequest.get(id);
      assertThat(subsegments(document)).as(id).hasSize(1);
      JsonNode call = callTo(document, "&id=" + id);
      assertPropagated(backend.headers(id), document, call);
      String traceId = document.get("trace_id").asText();
      assertThat(responses.get(i).result().body())
          .as("the handler saw its own segment before and after its call")
          .isEqualTo(traceId + " " + traceId);
    }
  }

  @Test
  void statusesMapOnTheSegmentAndOnTheCall() throws Exception {
    assertThat(gateway.getNow("/statuses", Map.of()).status()).isEqualTo(404);
    JsonNode segment = receive(1).get(0);
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.has("fault")).isFalse();
    JsonNode call = callTo(segment, "id=statuses");
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(503);
  }

  @Test
  void aHandlerThatThrowsIsAFault() throws Exception {
    assertThat(gateway.getNow("/throws", Map.of()).status()).isEqualTo(500);
    JsonNode segment = receive(1).get(0);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(500);
  }

  @Test
  void anIncomingTraceIsContinuedFromEitherHeader() throws Exception {
    String root = "1-5759e988-bd862e3fe1be46a994272793";
    gateway.getNow("/single?delay=0&id=amzn",
        Map.of(TraceHeader.HEADER_NAME, "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1"));
    gateway.getNow("/single?delay=0&id=w3c",
        Map.of(TraceHeader.TRACEPARENT_HEADER, "00-5759e988bd862e3fe1be46a994272794-0af7651916cd43dd-01"));

    Map<String, JsonNode> byRequest = new HashMap<>();
    receive(2).forEach(d -> byRequest.put(d.at("/annotations/request_id").asText(), d));
    assertThat(byRequest.get("amzn").get("trace_id").asText()).isEqualTo(root);
    assertThat(byRequest.get("amzn").get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
    assertThat(byRequest.get("w3c").get("trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272794");
    assertThat(byRequest.get("w3c").get("parent_id").asText()).isEqualTo("0af7651916cd43dd");
  }

  @Test
  void anUnsampledRequestRecordsNothingButPropagatesItsDecision() throws Exception {
    gateway.getNow("/single?delay=0&id=unsampled",
        Map.of(TraceHeader.HEADER_NAME, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
    TraceHeader sent = TraceHeader.parse(backend.headers("unsampled").get(TraceHeader.HEADER_NAME));
    assertThat(sent.root()).hasToString("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(sent.sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
    gateway.recorder.flush(WAIT);
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void anEventBusConsumerContinuesTheTraceOfTheRequestThatSentTheMessage() throws Exception {
    assertThat(gateway.getNow("/bus?id=m", Map.of()).body()).isEqualTo("replied");

    List<JsonNode> documents = receive(2);
    JsonNode request = documents.stream().filter(d -> d.has("http")).findFirst().orElseThrow();
    JsonNode consumer = documents.stream().filter(d -> !d.has("http")).findFirst().orElseThrow();
    assertThat(consumer.get("trace_id").asText()).isEqualTo(request.get("trace_id").asText());
    assertThat(consumer.get("parent_id").asText()).isEqualTo(request.get("id").asText());
    assertThat(consumer.at("/metadata/vertx/event_bus_address").asText()).isEqualTo("work");
    assertThat(seen).containsEntry("consumer", consumer.get("id").asText());
    JsonNode call = callTo(consumer, "id=m-consumer");
    assertPropagated(backend.headers("m-consumer"), consumer, call);
  }

  @Test
  void http2ResponsesCarryTheTraceHeaderWithoutTheWrapper() throws Exception {
    HttpServer plainServer = Await.result(
        gateway.vertx.createHttpServer().requestHandler(gateway.router).listen(0, "127.0.0.1"));
    HttpClientAgent http2 = backend.vertx().createHttpClient(
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      HttpClientResponse response = Await.result(
          http2.request(HttpMethod.GET, plainServer.actualPort(), "127.0.0.1", "/single?delay=0&id=h2")
              .compose(request -> request.putHeader(TraceHeader.HEADER_NAME, "Sampled=?").send())
              .compose(r -> r.body().map(body -> r)));

      assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
      JsonNode segment = receive(1).get(0);
      assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
      assertThat(response.getHeader(TraceHeader.HEADER_NAME))
          .isEqualTo("Root=" + segment.get("trace_id").asText() + ";Sampled=1");
    } finally {
      Await.result(http2.close());
    }
  }

  private List<JsonNode> receive(int count) throws Exception {
    gateway.recorder.flush(WAIT);
    return daemon.receive(count, WAIT);
  }
}
