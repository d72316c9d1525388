package dev.radiograph.javalin;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.TracedSupplier;
import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.servlet.AsyncCompletionListener;
import dev.radiograph.servlet.ServletRequestAdapter;
import io.javalin.http.Context;
import io.javalin.http.servlet.TaskHandler;
import io.javalin.router.Endpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import kotlin.Unit;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;

/**
 * One request being traced: its segment, the Javalin context once Javalin has one, the first
 * exception a handler threw, and the end, which happens exactly once whichever thread completes
 * the request. Kept as a request attribute so that every part of the plugin finds it from the
 * servlet request or the Javalin context.
 */
final class TracedRequest {
  static final String ATTRIBUTE = TracedRequest.class.getName();
  private static final Logger LOG = System.getLogger("dev.radiograph.javalin");
  private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();
  private static final ContextSnapshot.Scope NOTHING_TO_RESTORE = () -> { };

  private final Recorder recorder;
  private final HttpServerTracing.Request request;
  private final Segment segment;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Context javalinContext;
  private volatile Throwable handlerError;

  private TracedRequest(Recorder recorder, HttpServerTracing.Request request) {
    this.recorder = recorder;
    this.request = request;
    this.segment = request.segment();
  }

  /**
   * Begins the segment (current on this thread), answers the trace header, and attaches itself to
   * the request. Null when tracing failed: the request then goes on untraced.
   */
  static TracedRequest begin(Recorder recorder, HttpServletRequest req, HttpServletResponse res) {
    try {
      HttpServerTracing.Request request = HttpServerTracing.begin(recorder, ServletRequestAdapter.INSTANCE, req);
      TracedRequest traced = new TracedRequest(recorder, request);
      req.setAttribute(ATTRIBUTE, traced);
      try {
        res.setHeader(TraceHeader.HEADER_NAME, request.responseHeader());
      } catch (RuntimeException e) {
        logFailure(e); // the request is still traced; the caller just does not learn the trace id
      }
      return traced;
    } catch (RuntimeException e) {
      logFailure(e);
      return null;
    }
  }

  /** The traced request that {@code ctx} belongs to, or null. */
  static TracedRequest of(Context ctx) {
    try {
      Object traced = ctx.req().getAttribute(ATTRIBUTE);
      return traced instanceof TracedRequest ? (TracedRequest) traced : null;
    } catch (RuntimeException e) {
      return null; // a context without a servlet request (a mock): untraced
    }
  }

  Segment segment() {
    return segment;
  }

  /** Javalin has made its context for this request: the route is read from it at the end. */
  void bind(Context ctx) {
    this.javalinContext = ctx;
  }

  /**
   * Runs one of Javalin's handler tasks with the segment current (the task may run on the
   * thread that completed a {@code ctx.future()}), noting the first exception it throws.
   */
  Unit runTask(TaskHandler<Unit> task) {
    ContextSnapshot.Scope scope = enter();
    try {
      return task.handle();
    } catch (Throwable e) {
      if (handlerError == null) {
        handlerError = e;
      }
      throw e;
    } finally {
      scope.close();
    }
  }

  /**
   * Renders {@code template} in a subsegment named after it, nested in the current entity when
   * that belongs to this request, else directly under the segment.
   */
  String render(String template, Supplier<String> rendering) {
    if (!segment.isRecording() || !segment.isInProgress()) {
      return rendering.get();
    }
    ContextSnapshot.Scope scope = enter();
    try {
      TracedSupplier<String, RuntimeException> work = rendering::get;
      return recorder.trace(template, work);
    } finally {
      scope.close();
    }
  }

  /**
   * Makes the segment current on this thread unless an entity of this request already is (a
   * subsegment the application opened stays the parent); closing restores what was there.
   */
  private ContextSnapshot.Scope enter() {
    // Through the recorder, not its context directly, so that entity listeners see the change.
    Entity current = recorder.currentEntity();
    if (current != null && current.segment() == segment) {
      return NOTHING_TO_RESTORE;
    }
    recorder.setCurrentEntity(segment);
    return () -> recorder.setCurrentEntity(current);
  }

  /**
   * The filter chain has returned: the request is complete unless it went asynchronous
   * ({@code ctx.future()}), in which case it ends when the async processing completes.
   */
  void dispatchReturned(HttpServletRequest req, HttpServletResponse res, Throwable escaped) {
    AsyncCompletionListener.endWhenComplete(req, res, escaped, this::end);
  }

  /**
   * Records the outcome and ends the segment; only the first call does anything. Of an async
   * request's errors the first is recorded (see {@link AsyncCompletionListener}), like the first
   * of its handlers' exceptions.
   */
  void end(HttpServletResponse res, Throwable escaped, Throwable asyncError) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      int status = res.getStatus();
      Throwable error = escaped; // escaped the servlet: the container answers 500
      if (error == null && status >= 500) {
        // Javalin answers a handler's exception itself; it failed the request only if the answer
        // is a server error (an exception handler that answers 4xx made it a client error).
        error = handlerError != null ? handlerError : asyncError;
      }
      if (segment.isRecording()) {
        String route = route();
        if (route != null) {
          segment.putAnnotation(RadiographPlugin.ROUTE_ANNOTATION, route);
        }
      }
      request.end(status, contentLength(res), error);
    } catch (RuntimeException e) {
      logFailure(e);
    }
  }

  /** The matched endpoint's path template, or null (no match: 404, static files). */
  private String route() {
    Context ctx = javalinContext;
    if (ctx == null) {
      return null;
    }
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint != null ? endpoint.path : null;
  }

  /**
   * The body's length as Jetty counted it. The servlet API has no count, and the
   * {@code Content-Length} header does not help on Jetty 12: Javalin leaves the body in Jetty's
   * buffer, and Jetty computes the header when it commits the response, after the servlet
   * returns. (The filter only ever runs on Javalin's Jetty.)
   */
  private static long contentLength(HttpServletResponse res) {
    ServletContextResponse jetty = ServletContextResponse.getServletContextResponse(res);
    return jetty != null ? jetty.getHttpOutput().getWritten() : -1;
  }

  private static void logFailure(RuntimeException e) {
    if (FAILURE_LOGGED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Radiograph: tracing a Javalin request failed; the request goes on"
          + " untraced (logged once)", e);
    }
  }
}
