package dev.radiograph.demo;

import dev.radiograph.Recorder;
import dev.radiograph.vertx.RadiographTracerFactory;
import dev.radiograph.vertx.RadiographVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code gateway} in front of the storefront, on Vert.x 5 and traced through radiograph-vertx's
 * tracing SPI: Vert.x tells the tracer of every request the server receives (a segment) and every
 * request the {@link WebClient} sends (a remote subsegment that carries the trace headers), and
 * the current segment lives on the request's Vert.x context, so the client's callbacks see it.
 *
 * <p>The recorder is given to Vert.x through {@link RadiographTracerFactory} rather than
 * {@code RadiographTracingOptions}: the demo runs several services in one JVM, each with its own
 * recorder, and the options form would make the gateway's the global one.
 *
 * <p>With an accounts service it also serves {@code GET /account/{customer}}, the customer's page
 * from {@code {accounts}/accounts/{customer}}.
 */
final class GatewayService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.radiograph.demo.gateway");

  private static final long WAIT_SECONDS = 10;
  /** Names the catalog to the accounts service (radiograph-demo-spring's {@code CatalogNames}). */
  static final String CATALOG_HEADER = "X-Catalog-Url";

  private final Recorder recorder;
  private final Vertx vertx;
  private final WebClient client;
  private final URI storefront;
  private final URI accounts; // null: no account pages
  private final URI catalog;
  private final HttpServer server;

  /**
   * Starts the gateway on a loopback port; {@code recorder} must come from
   * {@link RadiographVertx#recorderBuilder()}, {@code accounts} is null when there is no accounts
   * service.
   */
  GatewayService(Recorder recorder, URI storefront, URI accounts, URI catalog) {
    this.recorder = recorder;
    this.storefront = storefront;
    this.accounts = accounts;
    this.catalog = catalog;
    this.vertx = Vertx.builder().withTracer(new RadiographTracerFactory(recorder)).build();
    try {
      this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000),
          new PoolOptions().setHttp1MaxSize(32));
      Router router = Router.router(vertx);
      router.get("/health").handler(ctx -> ctx.response().end("ok"));
      router.get("/checkout").handler(this::checkout);
      if (accounts != null) {
        router.get("/account/:customer").handler(this::account);
      }
      this.server = await(vertx.createHttpServer()
          .requestHandler(RadiographVertx.withResponseHeader(router)) // X-Amzn-Trace-Id on responses
          .listen(0, "127.0.0.1"));
    } catch (RuntimeException e) {
      await(vertx.close());
      throw e;
    }
  }

  /** The gateway's base URL, where customers' requests arrive. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void checkout(RoutingContext ctx) {
    String query = ctx.request().query();
    recorder.currentSegment().putAnnotation("channel", "web");
    client.getAbs(storefront.resolve("/checkout" + (query != null ? "?" + query : "")).toString())
        .timeout(5_000)
        .send()
        .onSuccess(response -> {
          // A callback on the request's context: its segment is still the current one.
          recorder.currentSegment().putAnnotation("storefront_status", response.statusCode());
          LOG.info("GET /checkout -> {}", response.statusCode()); // a Vert.x callback: its own request's ids
          String body = response.bodyAsString();
          ctx.response()
              .setStatusCode(response.statusCode())
              .putHeader("Content-Type", "text/plain; charset=utf-8")
              .end(body != null ? body : "");
        })
        .onFailure(failure -> ctx.response().setStatusCode(502).end("storefront unavailable"));
  }

  private void account(RoutingContext ctx) {
    String customer = ctx.pathParam("customer");
    recorder.currentSegment().putAnnotation("channel", "web");
    recorder.currentSegment().putAnnotation("customer", customer);
    client.getAbs(accounts.resolve("/accounts/" + DemoServices.pathSegment(customer)).toString())
        .putHeader(CATALOG_HEADER, catalog.toString())
        .timeout(10_000)
        .send()
        .onSuccess(response -> {
          recorder.currentSegment().putAnnotation("accounts_status", response.statusCode());
          LOG.info("GET /account/{} -> {}", customer, response.statusCode());
          String type = response.getHeader("Content-Type");
          String body = response.bodyAsString();
          ctx.response()
              .setStatusCode(response.statusCode())
              .putHeader("Content-Type", type != null ? type : "text/html; charset=utf-8")
              .end(body != null ? body : "");
        })
        .onFailure(failure -> ctx.response().setStatusCode(502).end("accounts unavailable"));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("gateway: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("gateway: Vert.x did not answer within " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("gateway: interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
      await(vertx.close());
    } catch (RuntimeException e) {
      // Stopping anyway: Vert.x's threads end with the JVM.
    }
  }
}
