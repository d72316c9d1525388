package dev.radiograph.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as a server without a framework would hand it over, and its {@link #ADAPTER}: for core's
 * tests of {@link HttpServerTracing}.
 */
public record PlainRequest(String method, String url, String path, String remoteAddress, Map<String, String> headers) {
  /** Reads a {@link PlainRequest}; headers by name, without regard to case. */
  public static final ServerRequestAdapter<PlainRequest> ADAPTER = new ServerRequestAdapter<>() {
    @Override
    public String method(PlainRequest request) {
      return request.method();
    }

    @Override
    public String url(PlainRequest request) {
      return request.url();
    }

    @Override
    public String path(PlainRequest request) {
      return request.path();
    }

    @Override
    public String remoteAddress(PlainRequest request) {
      return request.remoteAddress();
    }

    @Override
    public String header(PlainRequest request, String name) {
      return request.headers().get(name.toLowerCase(Locale.ROOT));
    }
  };

  public PlainRequest {
    Map<String, String> byName = new TreeMap<>();
    headers.forEach((name, value) -> byName.put(name.toLowerCase(Locale.ROOT), value));
    headers = byName;
  }
}
