package dev.radiograph.vertx;

import dev.radiograph.UdpDaemon;

import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The traced service under test: a real Vert.x server on 127.0.0.1 and a random port, whose
 * Vert.x instance has Radiograph as its tracer, sending to a {@link UdpDaemon}. Requests are
 * driven from another, untraced Vert.x instance (the backend's).
 */
final class Gateway implements AutoCloseable {
  final Recorder recorder;
  final Vertx vertx;
  final Router router;
  final HttpClientAgent client;
  private final HttpServer server;
  private final HttpClientAgent driver;

  /** Starts the service; {@code routes} adds its routes, given the router and this gateway. */
  Gateway(UdpDaemon daemon, Vertx driverVertx, BiConsumer<Router, Gateway> routes) {
    recorder = daemon.recorderBuilder()
        .segmentContext(VertxSegmentContext.create())
        .tracingName("gateway")
        .contextMissing(ContextMissingStrategy.IGNORE_ERROR)
        .build();
    vertx = Vertx.builder().withTracer(new RadiographTracerFactory(recorder)).build();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(50));
    router = Router.router(vertx);
    routes.accept(router, this);
    server = Await.result(vertx.createHttpServer()
        .requestHandler(RadiographVertx.withResponseHeader(router))
        .listen(0, "127.0.0.1"));
    driver = driverVertx.createHttpClient(new PoolOptions().setHttp1MaxSize(100));
  }

  /** A GET from the traced service's own client (so, traced) to {@code port}; the status. */
  Future<Integer> call(int port, String uri) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  /** A request from outside (untraced) to the service. */
  Future<Response> get(String uri, Map<String, String> headers) {
    return driver.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", uri)
        .compose(request -> {
          headers.forEach(request::putHeader);
          return request.send();
        })
        .compose(response -> response.body()
            .map(body -> new Response(response.statusCode(), response.headers(), body.toString())));
  }

  /** {@link #get(String, Map)}, waited for. */
  Response getNow(String uri, Map<String, String> headers) {
    return Await.result(get(uri, headers));
  }

  @Override
  public void close() {
    Await.result(vertx.close());
    recorder.close();
  }

  /** What the service answered. */
  record Response(int status, MultiMap headers, String body) {}
}
