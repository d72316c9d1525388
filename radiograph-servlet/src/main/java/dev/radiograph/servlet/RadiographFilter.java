package dev.radiograph.servlet;

import dev.radiograph.CallSites;
import dev.radiograph.Entity;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Records a segment per HTTP request, in any Jakarta Servlet 6 container: put it first in the
 * filter chain so that everything after it (security, the application) is inside the segment.
 *
 * <p>The segment is named by {@code tracing-name} (or by the {@code Host} header when it matches
 * {@code dynamic-naming}), continues an incoming {@code X-Amzn-Trace-Id} or {@code traceparent},
 * carries the {@code http} block, and maps the status: 429 throttle and error, other 4xx error,
 * 5xx or an uncaught exception fault, with the exception recorded. The response carries
 * {@code X-Amzn-Trace-Id} with the trace id (and the sampling decision when the caller asked with
 * {@code Sampled=?}). An asynchronous request ({@code startAsync}) ends its segment when the async
 * work completes, times out or fails (with the first error the container reported as its cause,
 * see {@link AsyncCompletionListener}); an {@code ASYNC} dispatch of it makes the segment current
 * again.
 *
 * <pre>{@code
 * // programmatic registration
 * FilterRegistration.Dynamic tracing = servletContext.addFilter("radiograph", new RadiographFilter(recorder));
 * tracing.setAsyncSupported(true);
 * tracing.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
 * }</pre>
 *
 * <p>In {@code web.xml}, declare {@code dev.radiograph.servlet.RadiographFilter} with
 * {@code <async-supported>true</async-supported>}: the no-argument constructor uses the global
 * {@link Radiograph#recorder()}, configured by environment variables and system properties.
 *
 * <p>Tracing never breaks a request: if tracing fails, the request runs untraced.
 */
public final class RadiographFilter implements Filter {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(RadiographFilter.class, TracedRequest.class, AsyncCompletionListener.class, ServletRequestAdapter.class);
  }

  /**
   * Request attribute set on each request the filter traces (its value is the filter's own), so
   * that a later dispatch of the request is not traced twice.
   */
  public static final String TRACED_REQUEST_ATTRIBUTE = RadiographFilter.class.getName() + ".request";

  private static final System.Logger LOG = System.getLogger(RadiographFilter.class.getName());

  private final Recorder recorder; // null: the global recorder, looked up per request

  /** A filter that records with the global {@link Radiograph#recorder()} (for {@code web.xml}). */
  public RadiographFilter() {
    this.recorder = null;
  }

  /** A filter that records with {@code recorder}. */
  public RadiographFilter(Recorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest httpRequest = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    Object existing = httpRequest.getAttribute(TRACED_REQUEST_ATTRIBUTE);
    if (existing instanceof TracedRequest) {
      // An ASYNC (or ERROR, FORWARD...) dispatch of a request this filter already traces: the
      // segment is made current again, it is not begun twice.
      redispatch((TracedRequest) existing, httpRequest, httpResponse, chain);
      return;
    }
    if (httpRequest.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response); // e.g. the ERROR dispatch after the segment has ended
      return;
    }
    Recorder recorder = recorder();
    Entity previous = recorder.currentEntity();
    TracedRequest traced = begin(recorder, httpRequest, httpResponse);
    if (traced == null) {
      chain.doFilter(request, response);
      return;
    }
    Throwable error = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      AsyncCompletionListener.endWhenComplete(httpRequest, httpResponse, error, traced::end);
      // This thread goes back to the container: it must not keep the request's entity.
      recorder.setCurrentEntity(previous);
    }
  }

  private Recorder recorder() {
    return recorder != null ? recorder : Radiograph.recorder();
  }

  /** Begins the segment and answers the trace header; null when tracing itself failed. */
  private static TracedRequest begin(Recorder recorder, HttpServletRequest request,
      HttpServletResponse response) {
    try {
      HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ServletRequestAdapter.INSTANCE, request);
      response.setHeader(TraceHeader.HEADER_NAME, traced.responseHeader());
      TracedRequest tracedRequest = new TracedRequest(recorder, traced);
      request.setAttribute(TRACED_REQUEST_ATTRIBUTE, tracedRequest);
      return tracedRequest;
    } catch (dev.radiograph.SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not trace a request; it runs untraced", e);
      return null;
    }
  }

  private static void redispatch(TracedRequest traced, HttpServletRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    Recorder recorder = traced.recorder();
    Entity previous = recorder.currentEntity();
    boolean attach = traced.isInProgress();
    if (attach) {
      recorder.setCurrentEntity(traced.segment());
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (attach) {
        recorder.setCurrentEntity(previous);
      }
    }
  }
}
