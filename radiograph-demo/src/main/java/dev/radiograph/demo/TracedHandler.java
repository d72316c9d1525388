package dev.radiograph.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment per request for the JDK's built-in HTTP server, with core's
 * {@link HttpServerTracing}: what the framework integrations do, for a server that has none.
 */
final class TracedHandler implements HttpHandler {
  private final Recorder recorder;
  private final HttpHandler delegate;
  private final Logger log; // a line per request, with its trace ids (logback.xml)

  TracedHandler(String service, Recorder recorder, HttpHandler delegate) {
    this.recorder = recorder;
    this.delegate = delegate;
    this.log = LoggerFactory.getLogger("dev.radiograph.demo." + service);
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
      // Still inside the request's segment: the line carries its trace id and segment id.
      log.info("{} {} -> {}", exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getResponseCode());
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
