package dev.radiograph.javalin;

import static dev.radiograph.javalin.TracedServer.child;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import dev.radiograph.context.TracedExecutors;
import dev.radiograph.http.HttpClientTracing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletChannelState;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctx.future()} requests: the segment ends when the async response is complete, the
 * handlers Javalin runs on the completing thread see the segment, and JDBC and HTTP calls made
 * in future stages (context carried with core's helpers) land under the request's segment, the
 * HTTP call continued by the downstream Javalin service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AsyncRequestTest {
  private static final String DB_URL = "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1";
  private static final String QUERY = "SELECT sku FROM orders WHERE id = ?";

  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool = Executors.newFixedThreadPool(4,
      task -> new Thread(task, "orders-worker-" + threads.incrementAndGet()));
  private Connection keepAlive;
  private TracedServer stock;
  private TracedServer orders;

  @BeforeAll
  void start() throws Exception {
    keepAlive = DriverManager.getConnection(DB_URL);
    try (Statement statement = keepAlive.createStatement()) {
      statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, sku VARCHAR(20))");
      statement.execute("INSERT INTO orders VALUES (1, 'tea'), (2, 'coffee')");
    }
    stock = TracedServer.start((config, recorder) -> {
      config.routes.get("/stock/{sku}", ctx -> ctx.result(ctx.pathParam("sku") + ": 12 in stock"));
      config.registerPlugin(new RadiographPlugin(recorder));
    });
    orders = TracedServer.start((config, recorder) -> {
      config.registerPlugin(new RadiographPlugin(recorder));
      config.routes.get("/orders/{id}", ctx -> {
        int id = Integer.parseInt(ctx.pathParam("id"));
        // Two ways core carries the request's context into the application's threads.
        Executor snapshot = recorder.captureContext().executor(pool);
        Executor wrapped = TracedExecutors.wrap(pool, recorder);
        ctx.future(() -> CompletableFuture
            .supplyAsync(() -> findSku(recorder, id), snapshot)
            .thenApplyAsync(sku -> stockOf(recorder, sku), wrapped)
            .thenAccept(ctx::result));
      });
      config.routes.after("/orders/*", ctx -> recorder.currentSegment()
          .putAnnotation("after_handler_thread", Thread.currentThread().getName()));
      config.routes.get("/slow", ctx -> ctx.future(() -> CompletableFuture
          .supplyAsync(() -> "done", CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS, pool))
          .thenAccept(ctx::result)));
      // Javalin's ctx.async runs on the executor it is given: a traced one carries the context.
      ExecutorService tracedPool = TracedExecutors.wrap(pool, recorder);
      config.routes.get("/async-sku/{id}", ctx -> ctx.async(
          async -> async.executor = tracedPool,
          () -> ctx.result(findSku(recorder, Integer.parseInt(ctx.pathParam("id"))))));
      config.routes.get("/ready", ctx -> ctx.future(() -> CompletableFuture.completedFuture("ready").thenAccept(ctx::result)));
      config.routes.get("/fail-later", ctx -> ctx.future(() -> CompletableFuture.runAsync(() -> {
        throw new IllegalStateException("late failure");
      }, pool)));
      config.routes.get("/fail-later-recorded", ctx -> ctx.future(() -> CompletableFuture.runAsync(() -> {
        throw new LateFailure("stock feed timed out");
      }, pool)));
      // Jetty reports two failures of the async processing (as it does for I/O failures), once the
      // request's dispatch has returned and it waits for the future.
      config.routes.get("/async-errors", ctx -> {
        ServletChannelState jetty = ServletContextRequest.getServletContextRequest(ctx.req()).getServletRequestState();
        ctx.future(() -> {
          pool.execute(() -> {
            while (jetty.getState() != ServletChannelState.State.WAITING) {
              java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            jetty.asyncError(new IllegalStateException("first async failure"));
            jetty.asyncError(new java.io.IOException("second async failure"));
          });
          return new CompletableFuture<Void>();
        });
      });
      // Javalin hands a failed future's exception to its exception handlers only: this is where an
      // application adds it to the segment, on whichever thread the handler runs.
      config.routes.exception(LateFailure.class, (e, ctx) -> {
        RadiographPlugin.segment(ctx).addException(e);
        ctx.status(502).result("stock unavailable");
      });
    });
  }

  @AfterAll
  void stop() throws SQLException {
    orders.close();
    stock.close();
    pool.shutdownNow();
    keepAlive.close();
  }

  /** A JDBC query in a subsegment shaped as X-Ray shows SQL calls. */
  private static String findSku(Recorder recorder, int id) {
    try {
      return recorder.trace("orders@h2", (Subsegment query) -> {
        query.setNamespace(Subsegment.NAMESPACE_REMOTE);
        query.putSql("url", DB_URL);
        query.putSql("database_type", "H2");
        query.putSql("sanitized_query", QUERY);
        try (Connection connection = DriverManager.getConnection(DB_URL);
            PreparedStatement statement = connection.prepareStatement(QUERY)) {
          statement.setInt(1, id);
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getString(1);
          }
        }
      });
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  /** A call to the stock service with java.net.http.HttpClient, traced by core's client steps. */
  private String stockOf(Recorder recorder, String sku) {
    URI uri = URI.create(stock.url("/stock/" + sku));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    HttpClientTracing.Call call = HttpClientTracing.begin(recorder, "GET", uri, request::header);
    try {
      HttpResponse<String> response = TracedServer.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      call.end(response.statusCode(), null);
      return response.body();
    } catch (IOException | InterruptedException e) {
      call.end(-1, e);
      throw new CompletionException(e);
    }
  }

  @Test
  void jdbcAndHttpCallsInFutureStagesLandUnderTheRequestsSegment() throws Exception {
    HttpResponse<String> response = orders.get("/orders/2");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("coffee: 12 in stock");

    JsonNode segment = orders.segment(response);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/orders/{id}");
    assertThat(segment.at("/http/response/content_length").asInt()).isEqualTo(response.body().length());
    JsonNode query = child(segment, "orders@h2");
    assertThat(query.get("namespace").asText()).isEqualTo("remote");
    assertThat(query.at("/sql/sanitized_query").asText()).isEqualTo(QUERY);
    JsonNode call = child(segment, "127.0.0.1");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/url").asText()).isEqualTo(stock.url("/stock/coffee"));
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(call.get("start_time").asDouble()).isGreaterThanOrEqualTo(query.get("end_time").asDouble());
    assertThat(segment.get("end_time").asDouble()).isGreaterThanOrEqualTo(call.get("end_time").asDouble());

    // The after-handler ran on the thread that completed the future, with the segment current.
    assertThat(segment.at("/annotations/after_handler_thread").asText()).startsWith("orders-worker-");

    // The stock service continued the trace: its segment's parent is the call's subsegment.
    JsonNode downstream = stock.segment(segment.get("trace_id").asText());
    assertThat(downstream.get("parent_id").asText()).isEqualTo(call.get("id").asText());
    assertThat(downstream.at("/annotations/route").asText()).isEqualTo("/stock/{sku}");
  }

  @Test
  void aCtxAsyncTaskOnATracedExecutorLandsUnderTheRequestsSegment() throws Exception {
    HttpResponse<String> response = orders.get("/async-sku/1");
    assertThat(response.body()).isEqualTo("tea");

    JsonNode segment = orders.segment(response);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/async-sku/{id}");
    child(segment, "orders@h2");
  }

  @Test
  void theSegmentEndsWhenTheAsyncResponseIsComplete() throws Exception {
    HttpResponse<String> response = orders.get("/slow");
    assertThat(response.body()).isEqualTo("done");

    JsonNode segment = orders.segment(response);
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.get("end_time").asDouble() - segment.get("start_time").asDouble()).isGreaterThanOrEqualTo(0.3);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/http/response/content_length").asInt()).isEqualTo(4);
  }

  @Test
  void anAlreadyCompletedFutureEndsTheSegment() throws Exception {
    HttpResponse<String> response = orders.get("/ready");
    assertThat(response.body()).isEqualTo("ready");

    JsonNode segment = orders.segment(response);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/ready");
  }

  @Test
  void aFailedFutureIsAFault() throws Exception {
    serverErrorSegment("/fail-later");
  }

  /** Requests {@code path}, answered 500, and returns its ended segment, a fault with that status. */
  private JsonNode serverErrorSegment(String path) throws Exception {
    HttpResponse<String> response = orders.get(path);
    assertThat(response.statusCode()).isEqualTo(500);

    JsonNode segment = orders.segment(response);
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(500);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    return segment;
  }

  @Test
  void anExceptionHandlerAddsAFailedFuturesExceptionThroughTheContext() throws Exception {
    HttpResponse<String> response = orders.get("/fail-later-recorded");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("stock unavailable");

    JsonNode segment = orders.segment(response);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.at("/cause/exceptions/0/type").asText()).isEqualTo(LateFailure.class.getName());
    assertThat(segment.at("/cause/exceptions/0/message").asText()).isEqualTo("stock feed timed out");
  }

  /**
   * The async-completion listener is radiograph-servlet's, and so is its rule (the first error
   * is the cause, see AsyncCompletionListenerTest there); here on Jetty, which answers 500.
   */
  @Test
  void ofTwoAsyncFailuresTheFirstIsTheCause() throws Exception {
    JsonNode segment = serverErrorSegment("/async-errors");
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/async-errors");
    assertThat(segment.at("/cause/exceptions/0/message").asText()).isEqualTo("first async failure");
    assertThat(segment.at("/cause/exceptions").findValuesAsText("message")).doesNotContain("second async failure");
  }

  /** A failure that completes a future exceptionally, answered by an exception handler. */
  static final class LateFailure extends RuntimeException {
    LateFailure(String message) {
      super(message);
    }
  }
}
