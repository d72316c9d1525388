package dev.radiograph.servlet;

import dev.radiograph.UdpDaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.config.SettingKey;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter in a real Tomcat on a random port, without Spring: real HTTP requests, and the
 * segments that reached a real UDP socket.
 */
class RadiographFilterTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  // Tomcat logs each uncaught test exception with its stack: expected here, so kept quiet.
  private static final List<java.util.logging.Logger> QUIET_LOGGERS = new java.util.ArrayList<>();

  private static UdpDaemon daemon;
  private static Recorder recorder;
  private static Tomcat tomcat;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    daemon = new UdpDaemon();
    recorder = daemon.recorderBuilder()
        .tracingName("shop")
        .setting(SettingKey.DYNAMIC_NAMING, "*.shop.test")
        .build();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("radiograph-tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", "1");
    connector.setProperty("minSpareThreads", "1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    var app = Tomcat.addServlet(context, "app", new AppServlet());
    app.setAsyncSupported(true);
    app.addMapping("/*");
    FilterDef filter = new FilterDef();
    filter.setFilterName("radiograph");
    filter.setFilter(new RadiographFilter(recorder));
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("radiograph");
    mapping.addURLPattern("/*");
    mapping.setDispatcher("REQUEST");
    mapping.setDispatcher("ASYNC");
    mapping.setDispatcher("ERROR");
    context.addFilterMap(mapping);
    Context plain = tomcat.addContext("/plain", null);
    var check = Tomcat.addServlet(plain, "check", new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().write(recorder.currentEntity() == null ? "clean" : "leaked " + recorder.currentEntity());
      }
    });
    check.addMapping("/*");
    tomcat.start();
    quietTomcat();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    recorder.close();
    daemon.close();
  }

  @Test
  void recordsTheHttpBlockAndAnswersTheTraceHeader() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ok?secret=1"))
        .header("User-Agent", "probe/1.0").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("hello");
    String root = rootOf(response);

    JsonNode segment = awaitSegment(root);
    assertThat(segment.get("name").asText()).isEqualTo("shop");
    assertThat(segment.has("parent_id")).isFalse();
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo(base + "/ok");
    assertThat(segment.at("/http/request/user_agent").asText()).isEqualTo("probe/1.0");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/request/x_forwarded_for").isMissingNode()).isTrue();
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/http/response/content_length").asLong()).isEqualTo(5);
    assertThat(segment.has("error") || segment.has("fault")).isFalse();
    assertThat(segment.get("end_time").asDouble()).isGreaterThanOrEqualTo(segment.get("start_time").asDouble());
  }

  @Test
  void continuesTheCallersTraceAndAnswersTheSamplingDecisionWhenAsked() throws Exception {
    String header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?";
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ok"))
        .header(TraceHeader.HEADER_NAME, header)
        .header("X-Forwarded-For", "203.0.113.7, 10.0.0.2").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME))
        .hasValue("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");

    JsonNode segment = awaitSegment("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(segment.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("203.0.113.7");
    assertThat(segment.at("/http/request/x_forwarded_for").asBoolean()).isTrue();
  }

  @Test
  void continuesAW3cTraceparent() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ok"))
        .header("traceparent", "00-6759e988bd862e3fe1be46a994272794-00f067aa0ba902b7-01").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(rootOf(response)).isEqualTo("1-6759e988-bd862e3fe1be46a994272794");
    JsonNode segment = awaitSegment("1-6759e988-bd862e3fe1be46a994272794");
    assertThat(segment.get("parent_id").asText()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void mapsStatusesAndRecordsUncaughtExceptions() throws Exception {
    JsonNode notFound = awaitSegment(rootOf(get("/status/404")));
    assertThat(notFound.get("error").asBoolean()).isTrue();
    assertThat(notFound.has("throttle") || notFound.has("fault")).isFalse();

    JsonNode throttled = awaitSegment(rootOf(get("/status/429")));
    assertThat(throttled.get("throttle").asBoolean()).isTrue();
    assertThat(throttled.get("error").asBoolean()).isTrue();

    JsonNode unavailable = awaitSegment(rootOf(get("/status/503")));
    assertThat(unavailable.get("fault").asBoolean()).isTrue();
    assertThat(unavailable.at("/http/response/status").asInt()).isEqualTo(503);

    HttpResponse<String> boom = get("/boom");
    assertThat(boom.statusCode()).isEqualTo(500);
    JsonNode failed = awaitSegment(rootOf(boom));
    assertThat(failed.get("fault").asBoolean()).isTrue();
    assertThat(failed.at("/http/response/status").asInt()).isEqualTo(500);
    JsonNode exception = failed.at("/cause/exceptions/0");
    assertThat(exception.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
    assertThat(exception.get("message").asText()).isEqualTo("boom");
  }

  @Test
  void namesTheSegmentAfterAHostThatMatchesDynamicNaming() throws Exception {
    assertThat(awaitSegment(rootOf(rawGet("/ok", "eu.shop.test"))).get("name").asText()).isEqualTo("eu.shop.test");
    assertThat(awaitSegment(rootOf(rawGet("/ok", "other.example"))).get("name").asText()).isEqualTo("shop");
  }

  @Test
  void anAsyncRequestEndsItsSegmentWhenTheAsyncWorkCompletes() throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = get("/async");
    assertThat(response.body()).isEqualTo("done later");
    JsonNode segment = awaitSegment(rootOf(response));
    double duration = segment.get("end_time").asDouble() - segment.get("start_time").asDouble();
    assertThat(duration).as("the segment covers the async work").isGreaterThanOrEqualTo(0.2);
    assertThat(duration * 1e9).isLessThanOrEqualTo(System.nanoTime() - started);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(202);
    assertThat(segment.at("/annotations/async_thread_traced").asBoolean()).isTrue();
  }

  @Test
  void anAsyncDispatchRunsInsideTheRequestsSegment() throws Exception {
    HttpResponse<String> response = get("/async-dispatch");
    assertThat(response.body()).isEqualTo("dispatched");
    JsonNode segment = awaitSegment(rootOf(response));
    assertThat(segment.at("/annotations/dispatch").asText()).isEqualTo("ASYNC");
    assertThat(segment.at("/subsegments/0/name").asText()).isEqualTo("render");
    assertThat(segmentsOf(rootOf(response))).hasSize(1);
  }

  @Test
  void anAsyncTimeoutEndsTheSegmentWithTheContainersAnswer() throws Exception {
    awaitOneFaultSegment("/async-timeout");
  }

  @Test
  void anAsyncRequestThatFailsRecordsTheContainersErrorAsAFault() throws Exception {
    JsonNode segment = awaitOneFaultSegment("/async-error");
    // Tomcat reports the application's exception wrapped in its own, the cause chain kept.
    assertThat(segment.at("/cause/exceptions").findValuesAsText("message")).contains("async failure");
  }

  /** Requests {@code path}, answered 500, and returns its trace's one segment, a fault with that status. */
  private static JsonNode awaitOneFaultSegment(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode segment = awaitSegment(rootOf(response));
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(500);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segmentsOf(rootOf(response))).hasSize(1);
    return segment;
  }

  @Test
  void theContainersThreadKeepsNoEntityAfterARequest() throws Exception {
    // One worker thread serves both contexts: an untraced request sees what traced ones left.
    get("/ok");
    get("/boom");
    get("/async-dispatch");
    assertThat(get("/plain/check").body()).isEqualTo("clean");
    // While an async request is still open, its segment is not the idle thread's either.
    var pending = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/async")).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(80);
    assertThat(get("/plain/check").body()).isEqualTo("clean");
    assertThat(pending.get().body()).isEqualTo("done later");
  }

  /** Silences Tomcat's loggers (it sets levels per context, so each one is set). */
  private static void quietTomcat() {
    for (String name : java.util.Collections.list(java.util.logging.LogManager.getLogManager().getLoggerNames())) {
      if (name.startsWith("org.apache.catalina")) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.OFF);
        QUIET_LOGGERS.add(logger);
      }
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String rootOf(HttpResponse<?> response) {
    return rootOf(response.headers().firstValue(TraceHeader.HEADER_NAME)
        .orElseThrow(() -> new AssertionError("no " + TraceHeader.HEADER_NAME + " in the response")));
  }

  private static String rootOf(String header) {
    return TraceHeader.parse(header).root().toString();
  }

  /** A request with its own {@code Host} header (which the JDK client will not send), returning the trace header. */
  private static String rawGet(String path, String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", URI.create(base).getPort())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      for (String line : answer.split("\r\n")) {
        if (line.regionMatches(true, 0, TraceHeader.HEADER_NAME + ":", 0, TraceHeader.HEADER_NAME.length() + 1)) {
          return line.substring(TraceHeader.HEADER_NAME.length() + 1).trim();
        }
      }
      return fail("no trace header in " + answer);
    }
  }

  /** Waits for the segment document of {@code traceId}. */
  private static JsonNode awaitSegment(String traceId) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> segments = segmentsOf(traceId);
      if (!segments.isEmpty()) {
        return segments.get(0);
      }
      daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(200));
    }
    return fail("no segment for trace " + traceId);
  }

  private static List<JsonNode> segmentsOf(String traceId) throws IOException {
    return daemon.documents().stream()
        .filter(d -> !d.has("type") && d.get("trace_id").asText().equals(traceId))
        .toList();
  }

  /** The application: one servlet, a behaviour per path. */
  private static final class AppServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = request.getRequestURI();
      if (path.equals("/ok")) {
        response.setContentLength(5);
        response.getWriter().write("hello");
      } else if (path.startsWith("/status/")) {
        response.setStatus(Integer.parseInt(path.substring("/status/".length())));
      } else if (path.equals("/boom")) {
        throw new IllegalStateException("boom");
      } else if (path.equals("/async")) {
        AsyncContext async = request.startAsync();
        var snapshot = recorder.captureContext();
        new Thread(() -> {
          sleep(200);
          snapshot.run(() -> recorder.currentSegment().putAnnotation("async_thread_traced", true));
          try {
            HttpServletResponse asyncResponse = (HttpServletResponse) async.getResponse();
            asyncResponse.setStatus(202);
            asyncResponse.getWriter().write("done later");
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          async.complete();
        }).start();
      } else if (path.equals("/async-dispatch")) {
        if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
          recorder.currentSegment().putAnnotation("dispatch", request.getDispatcherType().name());
          recorder.trace("render", () -> response.getWriter().write("dispatched"));
        } else {
          AsyncContext async = request.startAsync();
          new Thread(() -> {
            sleep(50);
            async.dispatch();
          }).start();
        }
      } else if (path.equals("/async-error")) {
        if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
          throw new IllegalStateException("async failure");
        }
        request.startAsync().dispatch(); // the container dispatches once this dispatch returns
      } else if (path.equals("/async-timeout")) {
        if (request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
          request.startAsync().setTimeout(100);
        }
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
