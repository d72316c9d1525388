package dev.radiograph.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import java.io.IOException;

/**
 * A segment per request for the JDK's built-in HTTP server, with core's
 * {@link HttpServerTracing}: what the framework integrations do, for a server that has none.
 */
final class TracedHandler implements HttpHandler {
  private final Recorder recorder;
  private final HttpHandler delegate;

  TracedHandler(Recorder recorder, HttpHandler delegate) {
    this.recorder = recorder;
    this.delegate = delegate;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, new HttpServerTracing.IncomingRequest(
        exchange.getRequestMethod(),
        "http://" + host + exchange.getRequestURI(),
        host,
        exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("User-Agent"),
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        exchange.getRequestHeaders().getFirst("X-Forwarded-For"),
        exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME),
        exchange.getRequestHeaders().getFirst(TraceHeader.TRACEPARENT_HEADER)));
    exchange.getResponseHeaders().set(TraceHeader.HEADER_NAME, traced.responseHeader());
    Throwable error = null;
    try {
      delegate.handle(exchange);
    } catch (IOException | RuntimeException e) {
      error = e;
      if (exchange.getResponseCode() < 0) {
        exchange.sendResponseHeaders(500, -1);
      }
    } finally {
      traced.end(exchange.getResponseCode(), -1, error);
      exchange.close();
    }
  }
}
