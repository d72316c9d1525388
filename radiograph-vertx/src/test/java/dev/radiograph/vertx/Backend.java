package dev.radiograph.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A second, untraced service on 127.0.0.1 and a random port (its own Vert.x instance, with no
 * tracing options): it answers {@code ?status=N} after {@code ?delay=ms} and remembers the trace
 * headers that each request arrived with, by its {@code ?id=}.
 */
final class Backend implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Map<String, String>> headersById = new ConcurrentHashMap<>();
  private final HttpServer server;

  Backend() {
    server = Await.result(vertx.createHttpServer()
        .requestHandler(request -> {
          Map<String, String> trace = new HashMap<>();
          for (String name : new String[] {"X-Amzn-Trace-Id", "traceparent"}) {
            String value = request.getHeader(name);
            if (value != null) {
              trace.put(name, value);
            }
          }
          headersById.put(request.getParam("id", "none"), trace);
          int status = Integer.parseInt(request.getParam("status", "200"));
          long delay = Long.parseLong(request.getParam("delay", "0"));
          if (delay > 0) {
            vertx.setTimer(delay, timer -> request.response().setStatusCode(status).end("ok"));
          } else {
            request.response().setStatusCode(status).end("ok");
          }
        })
        .listen(0, "127.0.0.1"));
  }

  Vertx vertx() {
    return vertx;
  }

  int port() {
    return server.actualPort();
  }

  /** The trace headers request {@code id} arrived with, or {@code null} if it never arrived. */
  Map<String, String> headers(String id) {
    return headersById.get(id);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
