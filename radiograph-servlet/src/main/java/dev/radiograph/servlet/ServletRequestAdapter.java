package dev.radiograph.servlet;

import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads a Jakarta Servlet request for {@link HttpServerTracing}: for {@link RadiographFilter} and
 * for integrations of frameworks that run on a servlet container (Javalin on Jetty).
 *
 * <pre>{@code
 * HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ServletRequestAdapter.INSTANCE, request);
 * }</pre>
 */
public final class ServletRequestAdapter implements ServerRequestAdapter<HttpServletRequest> {
  /** The adapter; it holds no state, one serves every request. */
  public static final ServletRequestAdapter INSTANCE = new ServletRequestAdapter();

  private ServletRequestAdapter() {}

  @Override
  public String method(HttpServletRequest request) {
    return request.getMethod();
  }

  @Override
  public String url(HttpServletRequest request) {
    return request.getRequestURL().toString();
  }

  @Override
  public String path(HttpServletRequest request) {
    return request.getRequestURI();
  }

  /**
   * The {@code Host} header; without one (HTTP/1.0) the server name the container answers
   * instead, the name the request was addressed to as far as the container knows.
   */
  @Override
  public String host(HttpServletRequest request) {
    String host = request.getHeader("Host");
    return host != null ? host : request.getServerName();
  }

  @Override
  public String remoteAddress(HttpServletRequest request) {
    return request.getRemoteAddr();
  }

  @Override
  public String header(HttpServletRequest request, String name) {
    return request.getHeader(name);
  }
}
