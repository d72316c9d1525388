package dev.radiograph.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ends a traced request when its response is final: when the filter chain returns, or for an
 * asynchronous request ({@code startAsync}) when the container reports the async processing
 * complete, from the thread that completes it. Used by {@link RadiographFilter} and by
 * integrations of frameworks that run on a servlet container (radiograph-javalin).
 *
 * <pre>{@code
 * Throwable escaped = null;
 * try { chain.doFilter(request, response); } catch (Throwable e) { escaped = e; throw e; }
 * finally { AsyncCompletionListener.endWhenComplete(request, response, escaped, traced::end); }
 * // traced.end(response, escaped, asyncError) records the outcome
 * }</pre>
 *
 * <p>RATIONALE: the end waits for {@code onComplete} even after {@code onTimeout} or
 * {@code onError}, because the container (or the framework's timeout handling) sets the final
 * status only after those callbacks.
 *
 * <p>RATIONALE: of the errors the container reports on the way ({@code onError}, in one async
 * cycle or several), the first is recorded. It is the cause; what the container reports after
 * it is most often its consequence (the error page that fails in turn, a write to the connection
 * the first failure broke), and it is what a developer reads first in the segment. The first is
 * also the one choice that does not depend on which of two threads reporting errors runs last.
 * The same rule as Javalin's: of the exceptions a request's handlers throw, the first is kept.
 */
public final class AsyncCompletionListener implements AsyncListener {
  /** Ends a traced request: records the response's outcome and the error, if any. */
  @FunctionalInterface
  public interface RequestEnd {
    /**
     * Called once per request, with at most one of the two errors: what to record of an async
     * error (always, or only with a server-error status) is the integration's choice.
     *
     * @param response the request's response, its status final
     * @param escaped the exception that escaped the filter chain (the container answers 500), or null
     * @param asyncError the first error the container reported during the async processing, or null
     */
    void end(HttpServletResponse response, Throwable escaped, Throwable asyncError);
  }

  private final HttpServletResponse response;
  private final RequestEnd end;
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();

  AsyncCompletionListener(HttpServletResponse response, RequestEnd end) {
    this.response = response;
    this.end = end;
  }

  /**
   * The filter chain of a traced request has returned: ends the request now when it completed
   * there (or {@code escaped} it), else listens to its async processing and ends it when that
   * completes. Calls {@code end} exactly once.
   *
   * @param escaped the exception that escaped the filter chain, or null
   */
  public static void endWhenComplete(HttpServletRequest request, HttpServletResponse response,
      Throwable escaped, RequestEnd end) {
    try {
      if (escaped == null && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new AsyncCompletionListener(response, end));
        return;
      }
    } catch (RuntimeException e) {
      // The async processing completed between the two calls: the response is final now.
    }
    end.end(response, escaped, null);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end.end(response, null, firstError.get());
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The container or framework answers the timeout (an ERROR dispatch, a 503): wait for it.
  }

  @Override
  public void onError(AsyncEvent event) {
    Throwable error = event.getThrowable();
    if (error != null) {
      firstError.compareAndSet(null, error);
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // A new async cycle (startAsync again in an ASYNC dispatch) drops the listeners: stay on.
    event.getAsyncContext().addListener(this);
  }
}
