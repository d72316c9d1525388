package dev.radiograph.httpclient5;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Puts the trace headers of the traced call in progress on each request the client sends for it.
 * The client runs its request interceptors once per attempt, below its retry and redirect steps,
 * so retries and redirects carry the headers too; the call itself is traced above those steps
 * (see {@link RadiographHttpClient5}).
 */
final class TraceHeaderInterceptor implements HttpRequestInterceptor {
  static final TraceHeaderInterceptor INSTANCE = new TraceHeaderInterceptor();

  private TraceHeaderInterceptor() {}

  @Override
  public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
    try {
      Object headers = context.getAttribute(TracedExchange.HEADERS_ATTRIBUTE);
      if (headers instanceof TraceHeaders) {
        ((TraceHeaders) headers).applyTo(request);
      }
    } catch (RuntimeException e) {
      // A request that refuses headers still goes out, untraced downstream.
    }
  }
}
