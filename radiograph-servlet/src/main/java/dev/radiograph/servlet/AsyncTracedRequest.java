package dev.radiograph.servlet;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.http.HttpServerTracing;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request the filter traces, ended exactly once: when the filter chain returns, or for an
 * asynchronous request when the container reports the async work complete.
 *
 * <p>RATIONALE: the end waits for {@code onComplete} even after {@code onTimeout} or
 * {@code onError}, because the container (or the framework's timeout handling) sets the final
 * status only after those callbacks; the error seen on the way is kept and recorded then.
 */
final class AsyncTracedRequest implements AsyncListener {
  private final Recorder recorder;
  private final HttpServerTracing.Request traced;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile HttpServletResponse asyncResponse;
  private volatile Throwable asyncError;

  AsyncTracedRequest(Recorder recorder, HttpServerTracing.Request traced) {
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

  /** Ends the segment with the response's status and length, and {@code error} if any. */
  void end(HttpServletResponse response, Throwable error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      traced.end(response.getStatus(), contentLength(response), error);
    } catch (RuntimeException e) {
      // Tracing must not fail the response; the segment is lost, the request is not.
      System.getLogger(RadiographFilter.class.getName())
          .log(System.Logger.Level.WARNING, "Radiograph: could not end a request's segment", e);
    }
  }

  /** Leaves the segment open until the async work completes. */
  void endOnAsyncCompletion(AsyncContext async, HttpServletResponse response) {
    asyncResponse = response;
    try {
      async.addListener(this);
    } catch (RuntimeException e) {
      end(response, null); // the async cycle is already over: its status is final
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end(asyncResponse, asyncError);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The container or framework answers the timeout (an ERROR dispatch, a 503): wait for it.
  }

  @Override
  public void onError(AsyncEvent event) {
    if (event.getThrowable() != null) {
      asyncError = event.getThrowable();
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // A new async cycle (startAsync again in an ASYNC dispatch) drops the listeners: stay on.
    event.getAsyncContext().addListener(this);
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
