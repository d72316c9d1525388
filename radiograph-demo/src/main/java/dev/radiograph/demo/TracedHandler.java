package dev.radiograph.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.sampling.SamplingRequest;
import java.io.IOException;

/**
 * A segment per request for the JDK's built-in HTTP server, done with the core API alone: what
 * the framework integrations do for Spring Boot, Javalin and Vert.x, written out by hand.
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
    TraceHeader incoming = TraceHeader.from(
        exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME),
        exchange.getRequestHeaders().getFirst(TraceHeader.TRACEPARENT_HEADER));
    String host = exchange.getRequestHeaders().getFirst("Host");
    String path = exchange.getRequestURI().getPath();
    SamplingRequest sampling = SamplingRequest.builder()
        .serviceName(recorder.segmentName(host))
        .host(host)
        .method(exchange.getRequestMethod())
        .urlPath(path)
        .build();
    Segment segment = recorder.beginSegment(recorder.segmentName(host), incoming, sampling);
    try {
      segment.putHttp("method", exchange.getRequestMethod());
      segment.putHttp("url", "http://" + host + exchange.getRequestURI());
      String agent = exchange.getRequestHeaders().getFirst("User-Agent");
      if (agent != null) {
        segment.putHttp("user_agent", agent);
      }
      segment.putHttp("client_ip", exchange.getRemoteAddress().getAddress().getHostAddress());
      exchange.getResponseHeaders().set(TraceHeader.HEADER_NAME,
          recorder.responseTraceHeader(segment, incoming).toString());
      try {
        delegate.handle(exchange);
        segment.putHttp("status", exchange.getResponseCode());
      } catch (IOException | RuntimeException e) {
        segment.addException(e);
        segment.putHttp("status", 500);
        if (exchange.getResponseCode() < 0) {
          exchange.sendResponseHeaders(500, -1);
        }
      }
    } finally {
      recorder.endSegment();
      exchange.close();
    }
  }
}
