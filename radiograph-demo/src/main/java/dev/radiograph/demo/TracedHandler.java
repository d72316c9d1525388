package dev.radiograph.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
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
    HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ExchangeAdapter.INSTANCE, exchange);
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

  /** Reads an {@link HttpExchange} for {@link HttpServerTracing}. */
  private static final class ExchangeAdapter implements ServerRequestAdapter<HttpExchange> {
    static final ExchangeAdapter INSTANCE = new ExchangeAdapter();

    @Override
    public String method(HttpExchange exchange) {
      return exchange.getRequestMethod();
    }

    @Override
    public String url(HttpExchange exchange) {
      return "http://" + host(exchange) + exchange.getRequestURI();
    }

    @Override
    public String path(HttpExchange exchange) {
      return exchange.getRequestURI().getPath();
    }

    @Override
    public String remoteAddress(HttpExchange exchange) {
      return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public String header(HttpExchange exchange, String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }
  }
}
