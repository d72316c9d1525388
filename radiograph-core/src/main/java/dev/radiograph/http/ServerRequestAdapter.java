package dev.radiograph.http;

/**
 * How {@link HttpServerTracing} reads one server framework's request: an integration implements
 * it once, as a stateless constant, and hands it over with each request
 * ({@code HttpServerTracing.begin(recorder, adapter, request)}), so that tracing a request
 * allocates no wrapper around it.
 *
 * <p>Each method answers {@code null} when the framework does not know the value; none may throw
 * (tracing must not fail the request). Core reads every header it needs through
 * {@link #header}: {@code X-Amzn-Trace-Id}, {@code traceparent}, {@code User-Agent} and
 * {@code X-Forwarded-For} (whose first entry, when present, is the client's address).
 *
 * <pre>{@code
 * enum ExchangeAdapter implements ServerRequestAdapter<HttpExchange> { ... }
 * HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ExchangeAdapter.INSTANCE, exchange);
 * }</pre>
 *
 * <p>RATIONALE: the shape of OpenTelemetry's {@code HttpServerAttributesGetter} and
 * {@code TextMapGetter}. A value object with one field per part (what this replaced) made every
 * integration copy nine positional strings, where swapping two still compiled.
 *
 * @param <REQUEST> the framework's request type
 */
public interface ServerRequestAdapter<REQUEST> {
  /** The request method: {@code GET}, {@code POST}... */
  String method(REQUEST request);

  /** The full request URL as the client addressed it: {@code http://api.example.com/users/7}. */
  String url(REQUEST request);

  /** The path of the URL, without the query string: {@code /users/7}. */
  String path(REQUEST request);

  /**
   * The host the client asked for, as the {@code Host} header (or HTTP/2's {@code :authority})
   * gives it, with or without a port: {@code api.example.com:8080}, {@code [::1]:8080}. By
   * default the {@code Host} header.
   */
  default String host(REQUEST request) {
    return header(request, "Host");
  }

  /**
   * The address of the peer connected to the server (a proxy's when there is one; core prefers
   * {@code X-Forwarded-For}): {@code 203.0.113.5}, {@code ::1}.
   */
  String remoteAddress(REQUEST request);

  /** The first value of the header {@code name}, matched without regard to case, or null. */
  String header(REQUEST request, String name);
}
