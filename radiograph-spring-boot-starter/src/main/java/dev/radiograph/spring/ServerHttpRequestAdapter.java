package dev.radiograph.spring;

import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads a WebFlux request for {@link HttpServerTracing}. */
final class ServerHttpRequestAdapter implements ServerRequestAdapter<ServerHttpRequest> {
  /** The adapter; it holds no state, one serves every request. */
  static final ServerHttpRequestAdapter INSTANCE = new ServerHttpRequestAdapter();

  private ServerHttpRequestAdapter() {}

  @Override
  public String method(ServerHttpRequest request) {
    return request.getMethod().name();
  }

  /** The URL without its query string, as the servlet side records it. */
  @Override
  public String url(ServerHttpRequest request) {
    String url = request.getURI().toString();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  @Override
  public String path(ServerHttpRequest request) {
    return request.getPath().value();
  }

  @Override
  public String remoteAddress(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote == null) {
      return null;
    }
    return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
  }

  @Override
  public String header(ServerHttpRequest request, String name) {
    return request.getHeaders().getFirst(name);
  }
}
