package dev.radiograph.httpclient5;

import dev.radiograph.Recorder;
import dev.radiograph.http.HttpClientTracing;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One logical call of the client (all its attempts and redirects) as one traced call: begun with
 * core's {@link HttpClientTracing}, its trace headers left in the call's {@link HttpContext} for
 * {@link TraceHeaderInterceptor}, and ended exactly once, whichever of the client's signals comes
 * first (the async client may report a failure after the response has been recorded, or a
 * cancellation from another thread).
 */
final class TracedExchange {
  /** Where {@link TraceHeaderInterceptor} finds the headers of the call in progress. */
  static final String HEADERS_ATTRIBUTE = "dev.radiograph.httpclient5.trace-headers";

  private final HttpClientTracing.Call call;
  private final TraceHeaders headers;
  private final HttpContext context;
  private final AtomicBoolean ended = new AtomicBoolean();

  private TracedExchange(HttpClientTracing.Call call, TraceHeaders headers, HttpContext context) {
    this.call = call;
    this.headers = headers;
    this.context = context;
  }

  /**
   * Begins tracing {@code request}, a call on {@code route}. {@code async}: the caller's entity
   * stays current (the call completes on the client's threads); otherwise the call's subsegment is
   * current until it ends.
   */
  static TracedExchange begin(Recorder recorder, String serviceName, HttpRequest request, HttpRoute route,
      HttpContext context, boolean async) {
    TraceHeaders headers = new TraceHeaders();
    URI uri = uriOf(request, route);
    HttpClientTracing.Call call = async
        ? HttpClientTracing.beginAsync(recorder, serviceName, request.getMethod(), uri, headers)
        : HttpClientTracing.begin(recorder, serviceName, request.getMethod(), uri, headers);
    context.setAttribute(HEADERS_ATTRIBUTE, headers);
    return new TracedExchange(call, headers, context);
  }

  /** Ends the call with its status ({@code -1}: no response) or failure; later calls do nothing. */
  void end(int status, Throwable failure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      // The application may reuse its HttpContext for its next call: leave nothing of this one.
      if (context.getAttribute(HEADERS_ATTRIBUTE) == headers) {
        context.removeAttribute(HEADERS_ATTRIBUTE);
      }
      call.end(status, failure);
    } catch (RuntimeException e) {
      // Never let recording a finished call disturb the application's result.
    }
  }

  /**
   * The request's absolute URI. The client has already given the request its target's scheme and
   * authority when the exec chain sees it; a path the URI class refuses falls back to the target.
   */
  static URI uriOf(HttpRequest request, HttpRoute route) {
    try {
      return request.getUri();
    } catch (URISyntaxException | RuntimeException e) {
      HttpHost target = route.getTargetHost();
      try {
        return new URI(target.getSchemeName(), null, target.getHostName(), target.getPort(), null, null, null);
      } catch (URISyntaxException | RuntimeException again) {
        return URI.create("unknown:/");
      }
    }
  }
}
