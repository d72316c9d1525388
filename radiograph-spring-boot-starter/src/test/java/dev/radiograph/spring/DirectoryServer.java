package dev.radiograph.spring;

import dev.radiograph.TraceHeader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The second local service the reactive application calls: a plain reactor-netty server (not
 * traced) on a random port of 127.0.0.1 that answers {@code /directory/<id>} with the
 * {@code X-Amzn-Trace-Id} it received, and remembers both trace headers per id.
 * {@code /directory-slow} answers after 30 seconds.
 */
final class DirectoryServer implements AutoCloseable {
  /** The trace headers one request arrived with. */
  record Seen(String traceHeader, String traceparent) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final DisposableServer server;

  DirectoryServer() {
    server = HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .route(routes -> routes
            .get("/directory/{id}", (request, response) -> {
              String header = request.requestHeaders().get(TraceHeader.HEADER_NAME);
              seen.put(request.param("id"), new Seen(header, request.requestHeaders().get(TraceHeader.TRACEPARENT_HEADER)));
              return response.sendString(Mono.just(String.valueOf(header)));
            })
            .get("/directory-slow", (request, response) ->
                response.sendString(Mono.delay(Duration.ofSeconds(30)).map(ignored -> "late"))))
        .bindNow();
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The headers of the request for {@code id}, or null when none arrived. */
  Seen seen(String id) {
    return seen.get(id);
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
