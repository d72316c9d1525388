package dev.radiograph.vertx;

import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/** Reads a Vert.x server request for {@link HttpServerTracing}; the host is HTTP/2's authority too. */
final class VertxRequestAdapter implements ServerRequestAdapter<HttpServerRequest> {
  static final VertxRequestAdapter INSTANCE = new VertxRequestAdapter();

  private VertxRequestAdapter() {}

  @Override
  public String method(HttpServerRequest request) {
    return request.method().name();
  }

  @Override
  public String url(HttpServerRequest request) {
    return request.absoluteURI();
  }

  @Override
  public String path(HttpServerRequest request) {
    return request.path();
  }

  @Override
  public String host(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    return authority != null ? authority.host() : null;
  }

  @Override
  public String remoteAddress(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote != null ? remote.hostAddress() : null;
  }

  @Override
  public String header(HttpServerRequest request, String name) {
    return request.getHeader(name);
  }
}
