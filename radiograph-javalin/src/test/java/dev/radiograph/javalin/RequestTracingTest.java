package dev.radiograph.javalin;

import static dev.radiograph.javalin.TracedServer.child;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Radiograph;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One segment per request, its http block, the route template, the status and exception
 * mapping through Javalin's exception and error handlers, and the trace headers, as received by a
 * real UDP socket from a real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class RequestTracingTest {
  private TracedServer server;

  @BeforeAll
  void start() throws Exception {
    server = TracedServer.start((config, recorder) -> {
      // The application's own before/after handlers are added before the plugin: the segment
      // still covers them.
      config.routes.before(ctx -> recorder.trace("before-handler", () -> { }));
      config.routes.after(ctx -> recorder.trace("after-handler", () -> { }));
      config.routes.get("/users/{id}", ctx -> ctx.result("user " + ctx.pathParam("id")));
      config.routes.get("/boom", ctx -> {
        throw new IllegalStateException("boom");
      });
      config.routes.get("/bad", ctx -> {
        throw new IllegalArgumentException("bad input");
      });
      config.routes.get("/unavailable", ctx -> {
        throw new UnavailableException("database down");
      });
      config.routes.get("/slow-down", ctx -> ctx.status(429).result("slow down"));
      config.routes.get("/global", ctx -> Radiograph.currentSegment().putAnnotation("via_global", true));
      config.routes.exception(IllegalArgumentException.class,
          (e, ctx) -> ctx.status(400).result("rejected: " + e.getMessage()));
      config.routes.exception(UnavailableException.class, (e, ctx) -> ctx.status(503).result("try later"));
      config.routes.error(404, ctx -> ctx.result("nothing here"));
      config.routes.error(500, ctx -> ctx.result("sorry: server error"));
      config.registerPlugin(new RadiographPlugin(recorder));
    });
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aRequestIsOneSegmentWithItsHttpBlockAndRouteTemplate() throws Exception {
    HttpResponse<String> response = server.get("/users/42", "User-Agent", "radiograph-test/1.0");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("user 42");

    JsonNode segment = server.segment(response);
    assertThat(segment.get("name").asText()).isEqualTo(TracedServer.SERVICE);
    assertThat(segment.get("id").asText()).matches("[0-9a-f]{16}");
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.has("parent_id")).isFalse();
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo(server.url("/users/42"));
    assertThat(segment.at("/http/request/user_agent").asText()).isEqualTo("radiograph-test/1.0");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/http/response/content_length").asInt()).isEqualTo("user 42".length());
    assertThat(segment.has("error") || segment.has("fault") || segment.has("throttle")).isFalse();

    // Grouped by endpoint: the template, not the value of {id}, and nothing else.
    assertThat(segment.get("annotations").properties()).hasSize(1);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/users/{id}");
    assertThat(segment.path("metadata").toString()).doesNotContain("42");

    // The segment spans the application's before- and after-handlers.
    JsonNode before = child(segment, "before-handler");
    JsonNode after = child(segment, "after-handler");
    assertThat(segment.get("start_time").asDouble()).isLessThanOrEqualTo(before.get("start_time").asDouble());
    assertThat(segment.get("end_time").asDouble()).isGreaterThanOrEqualTo(after.get("end_time").asDouble());
  }

  @Test
  void anUncaughtExceptionIsAFaultWithItsCauseAndTheErrorHandlerAnswers() throws Exception {
    HttpResponse<String> response = server.get("/boom");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("sorry: server error");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(500);
    assertThat(segment.at("/http/response/content_length").asInt()).isEqualTo("sorry: server error".length());
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.path("error").asBoolean()).isFalse();
    assertThat(segment.at("/cause/exceptions/0/type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(segment.at("/cause/exceptions/0/message").asText()).isEqualTo("boom");
    assertThat(segment.at("/cause/exceptions/0/stack/0/label").asText()).isNotEmpty();
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/boom");
    child(segment, "after-handler"); // after-handlers still run, inside the segment
  }

  @Test
  void anExceptionHandlerThatAnswersAClientErrorMakesAnError() throws Exception {
    HttpResponse<String> response = server.get("/bad");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("rejected: bad input");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(400);
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.path("fault").asBoolean()).isFalse();
    assertThat(segment.has("cause")).isFalse();
  }

  @Test
  void anExceptionHandlerThatAnswersAServerErrorKeepsTheCause() throws Exception {
    HttpResponse<String> response = server.get("/unavailable");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("try later");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(503);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.at("/cause/exceptions/0/type").asText()).isEqualTo(UnavailableException.class.getName());
    assertThat(segment.at("/cause/exceptions/0/message").asText()).isEqualTo("database down");
  }

  @Test
  void tooManyRequestsIsThrottledAndAnError() throws Exception {
    HttpResponse<String> response = server.get("/slow-down");
    assertThat(response.statusCode()).isEqualTo(429);

    JsonNode segment = server.segment(response);
    assertThat(segment.get("throttle").asBoolean()).isTrue();
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.path("fault").asBoolean()).isFalse();
  }

  @Test
  void anUnmatchedPathIsAnErrorWithNoRoute() throws Exception {
    HttpResponse<String> response = server.get("/no/such/page");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("nothing here");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.has("cause")).isFalse();
    assertThat(segment.path("annotations").has("route")).isFalse();
    child(segment, "before-handler");
  }

  @Test
  void anIncomingXrayHeaderIsContinuedAndTheRootReturned() throws Exception {
    String root = TraceId.create().toString();
    HttpResponse<String> response = server.get("/users/7",
        TraceHeader.HEADER_NAME, "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1");

    assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME)).hasValue("Root=" + root);
    JsonNode segment = server.segment(root);
    assertThat(segment.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/users/{id}");
  }

  @Test
  void anIncomingTraceparentIsContinued() throws Exception {
    TraceId traceId = TraceId.create();
    HttpResponse<String> response = server.get("/users/8",
        TraceHeader.TRACEPARENT_HEADER, "00-" + traceId.toW3C() + "-b7ad6b7169203331-01");

    assertThat(TracedServer.rootOf(response)).isEqualTo(traceId.toString());
    JsonNode segment = server.segment(traceId.toString());
    assertThat(segment.get("parent_id").asText()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void aCallerThatAsksForTheDecisionGetsIt() throws Exception {
    String root = TraceId.create().toString();
    HttpResponse<String> response = server.get("/users/9", TraceHeader.HEADER_NAME, "Root=" + root + ";Sampled=?");

    assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME)).hasValue("Root=" + root + ";Sampled=1");
    assertThat(server.segment(root).has("parent_id")).isFalse();
  }

  @Test
  void anUnsampledTraceRecordsNothingButIsAnswered() throws Exception {
    String unsampled = TraceId.create().toString();
    HttpResponse<String> response = server.get("/users/10", TraceHeader.HEADER_NAME, "Root=" + unsampled + ";Sampled=0");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TracedServer.rootOf(response)).isEqualTo(unsampled);

    // A later sampled request's segment arrives; the unsampled one never did.
    server.segment(server.get("/users/11"));
    assertThat(server.daemon.documents()).noneMatch(document -> document.toString().contains(unsampled));
  }

  @Test
  void aMalformedTraceHeaderStartsANewTrace() throws Exception {
    HttpResponse<String> response = server.get("/users/12", TraceHeader.HEADER_NAME, "Root=garbage;Parent=;;=",
        TraceHeader.TRACEPARENT_HEADER, "00-not-a-trace");
    assertThat(response.statusCode()).isEqualTo(200);

    JsonNode segment = server.segment(response);
    assertThat(segment.get("trace_id").asText()).matches("1-[0-9a-f]{8}-[0-9a-f]{24}");
    assertThat(segment.has("parent_id")).isFalse();
  }

  @Test
  void thePluginInstallsItsRecorderAsTheGlobalOne() throws Exception {
    JsonNode segment = server.segment(server.get("/global"));
    assertThat(segment.at("/annotations/via_global").asBoolean()).isTrue();
  }

  @Test
  void withoutARecorderThePluginTracesWithTheGlobalOne() throws Exception {
    try (TracedServer other = TracedServer.start((config, recorder) -> {
      Radiograph.setRecorder(recorder);
      config.routes.get("/ping", ctx -> ctx.result("pong"));
      config.registerPlugin(new RadiographPlugin());
    })) {
      JsonNode segment = other.segment(other.get("/ping"));
      assertThat(segment.at("/annotations/route").asText()).isEqualTo("/ping");
    }
  }

  /** An application exception that an exception handler answers with 503. */
  static final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
      super(message);
    }
  }
}
