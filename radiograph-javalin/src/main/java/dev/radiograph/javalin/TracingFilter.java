package dev.radiograph.javalin;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHandler;

/**
 * Begins the request's segment before Javalin's servlet runs and ends it when the response is
 * complete.
 *
 * <p>RATIONALE: a servlet filter, not a before-handler, because Javalin runs before-handlers in
 * the order they were added and a plugin's come after the application's, and because nothing in
 * Javalin runs after the response on every path (its request loggers are skipped when writing
 * the response fails). Wrapping the servlet is the one place that sees the whole request, its
 * final status, and (through the servlet's async listener) the end of a {@code ctx.future()}
 * request. Javalin's own lifecycle is still used for what only it knows: see
 * {@link TaskTracing}.
 */
final class TracingFilter implements Filter {
  private static final String NAME = "radiograph";

  private final Recorder recorder;

  TracingFilter(Recorder recorder) {
    this.recorder = recorder;
  }

  /** Adds the filter to Javalin's servlet context, ahead of every other filter. */
  static void install(ServletContextHandler handler, Recorder recorder) {
    FilterHolder holder = new FilterHolder(new TracingFilter(recorder));
    holder.setName(NAME);
    FilterMapping mapping = new FilterMapping();
    mapping.setFilterName(NAME);
    mapping.setPathSpec("/*");
    mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
    ServletHandler servlets = handler.getServletHandler();
    servlets.prependFilter(holder);
    servlets.prependFilterMapping(mapping);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)
        || request.getAttribute(TracedRequest.ATTRIBUTE) != null) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest httpRequest = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    Entity previous = recorder.currentEntity();
    TracedRequest traced = TracedRequest.begin(recorder, httpRequest, httpResponse);
    if (traced == null) {
      chain.doFilter(request, response);
      return;
    }
    Throwable escaped = null;
    try {
      chain.doFilter(request, response);
    } catch (Throwable e) {
      escaped = e;
      throw e;
    } finally {
      traced.dispatchReturned(httpRequest, httpResponse, escaped);
      // The thread goes back to the pool (or on to other work) without this request's segment,
      // also when the request goes on asynchronously.
      recorder.setCurrentEntity(previous);
    }
  }
}
