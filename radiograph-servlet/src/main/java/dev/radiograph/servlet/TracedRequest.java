package dev.radiograph.servlet;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.http.HttpServerTracing;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request the filter traces, ended exactly once: when the filter chain returns, or for an
 * asynchronous request when the container reports the async work complete
 * ({@link AsyncCompletionListener}). Kept as a request attribute, so that a later dispatch of the
 * request finds its segment.
 */
final class TracedRequest {
  private final Recorder recorder;
  private final HttpServerTracing.Request traced;
  private final AtomicBoolean ended = new AtomicBoolean();

  TracedRequest(Recorder recorder, HttpServerTracing.Request traced) {
    this.recorder = recorder;
    this.traced = traced;
  }

  Recorder recorder() {
    return recorder;
  }

  Segment segment() {
    return traced.segment();
  }

  boolean isInProgress() {
    return !ended.get();
  }

  /**
   * Ends the segment with the response's status and length, and the error if any: an async
   * error is recorded whatever the status, as the container answers it with an error dispatch
   * (a 500) before it completes the request.
   */
  void end(HttpServletResponse response, Throwable escaped, Throwable asyncError) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      traced.end(response.getStatus(), contentLength(response), escaped != null ? escaped : asyncError);
    } catch (RuntimeException e) {
      // Tracing must not fail the response; the segment is lost, the request is not.
      System.getLogger(RadiographFilter.class.getName())
          .log(System.Logger.Level.WARNING, "Radiograph: could not end a request's segment", e);
    }
  }

  /** The {@code Content-Length} the response declares, or -1. */
  private static long contentLength(HttpServletResponse response) {
    String header = response.getHeader("Content-Length");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
