package dev.radiograph.http;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.net.HostAndPort;
import dev.radiograph.sampling.SamplingRequest;
import java.util.Objects;

/**
 * What every server integration does around a request, written once so that the servlet filter,
 * Spring Boot, Javalin and Vert.x behave the same: continue the incoming trace
 * ({@code X-Amzn-Trace-Id}, else W3C {@code traceparent}), sample with the request's host, method
 * and path, name the segment ({@code tracing-name} / {@code dynamic-naming}), fill the
 * {@code http} block, answer the trace header, and at the end record the status (429 throttle and
 * error, other 4xx error, 5xx fault) and any uncaught exception. The integration reads its
 * framework's request with a {@link ServerRequestAdapter}.
 *
 * <pre>{@code
 * HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, MyFrameworkAdapter.INSTANCE, request);
 * response.setHeader(TraceHeader.HEADER_NAME, traced.responseHeader());
 * try { chain.run(); } catch (Throwable e) { error = e; throw e; }
 * finally { traced.end(response.status(), contentLength, error); }
 * }</pre>
 */
public final class HttpServerTracing {
  private HttpServerTracing() {}

  /** The header that carries the client's address through proxies. */
  static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";

  /**
   * Begins the request's segment and makes it current, reading the request through
   * {@code adapter}. Throws nothing but what the adapter throws (a failing recorder gives a
   * request that records nothing).
   *
   * @param adapter the integration's reader of {@code request}, a stateless constant
   */
  public static <REQUEST> Request begin(Recorder recorder, ServerRequestAdapter<REQUEST> adapter,
      REQUEST request) {
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(adapter, "adapter");
    TraceHeader incoming = incomingTrace(adapter, request);
    String host = hostWithoutPort(adapter.host(request));
    String method = adapter.method(request);
    String name = recorder.segmentName(host);
    SamplingRequest sampling = SamplingRequest.builder()
        .serviceName(name)
        .host(host)
        .method(method)
        .urlPath(adapter.path(request))
        .build();
    Segment segment = recorder.beginSegment(name, incoming, sampling);
    if (segment.isRecording()) {
      putIfPresent(segment, "method", method);
      putIfPresent(segment, "url", adapter.url(request));
      putIfPresent(segment, "user_agent", adapter.header(request, "User-Agent"));
      String forwarded = firstForwardedFor(adapter.header(request, FORWARDED_FOR_HEADER));
      if (forwarded != null) {
        segment.putHttp("client_ip", forwarded);
        segment.putHttp("x_forwarded_for", true);
      } else {
        putIfPresent(segment, "client_ip", adapter.remoteAddress(request));
      }
    }
    return new Request(recorder, segment, incoming);
  }

  /**
   * The trace {@code request} continues: its {@code X-Amzn-Trace-Id}, else its W3C
   * {@code traceparent}; a header without a root when it has neither (or neither parses). For an
   * integration that traces only requests a caller already traces (Vert.x's
   * {@code TracingPolicy.PROPAGATE}).
   */
  public static <REQUEST> TraceHeader incomingTrace(ServerRequestAdapter<REQUEST> adapter, REQUEST request) {
    return TraceHeader.from(adapter.header(request, TraceHeader.HEADER_NAME),
        adapter.header(request, TraceHeader.TRACEPARENT_HEADER));
  }

  private static void putIfPresent(Segment segment, String key, String value) {
    if (value != null && !value.isEmpty()) {
      segment.putHttp(key, value);
    }
  }

  /** The client's address from {@code X-Forwarded-For}: its first entry, or null. */
  static String firstForwardedFor(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    int comma = header.indexOf(',');
    String first = (comma < 0 ? header : header.substring(0, comma)).trim();
    return first.isEmpty() ? null : first;
  }

  /**
   * The host of a {@code Host} header without its port, an IPv6 address in brackets
   * ({@code [::1]:8080} and {@code ::1} are both {@code [::1]}), so that one host is named, and
   * sampled, one way; null for a missing or unreadable header.
   */
  static String hostWithoutPort(String host) {
    HostAndPort authority = HostAndPort.parseAuthority(host);
    return authority != null ? authority.hostForUrl() : null;
  }

  /** A request being traced: its segment, and how to end it. */
  public static final class Request {
    private final Recorder recorder;
    private final Segment segment;
    private final TraceHeader incoming;

    Request(Recorder recorder, Segment segment, TraceHeader incoming) {
      this.recorder = recorder;
      this.segment = segment;
      this.incoming = incoming;
    }

    public Segment segment() {
      return segment;
    }

    /** The {@code X-Amzn-Trace-Id} to return: the root, and the decision when asked with {@code Sampled=?}. */
    public String responseHeader() {
      return recorder.responseTraceHeader(segment, incoming).toString();
    }

    /**
     * Records the outcome and ends the segment.
     *
     * @param status the response status, or a negative number when unknown
     * @param contentLength the response body's length, or a negative number when unknown
     * @param error an exception that escaped the application, or null; recorded as a fault
     */
    public void end(int status, long contentLength, Throwable error) {
      try {
        if (error != null) {
          segment.addException(error);
          if (status < 500) {
            status = 500; // an uncaught exception becomes a 500 in every server
          }
        }
        if (status > 0) {
          segment.putHttp("status", status);
        }
        if (contentLength >= 0) {
          segment.putHttp("content_length", contentLength);
        }
      } finally {
        segment.close();
      }
    }
  }
}
