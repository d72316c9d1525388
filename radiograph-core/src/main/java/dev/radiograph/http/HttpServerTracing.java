package dev.radiograph.http;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.sampling.SamplingRequest;
import java.util.Objects;

/**
 * What every server integration does around a request, written once so that the servlet filter,
 * Spring Boot, Javalin and Vert.x behave the same: continue the incoming trace
 * ({@code X-Amzn-Trace-Id}, else W3C {@code traceparent}), sample with the request's host, method
 * and path, name the segment ({@code tracing-name} / {@code dynamic-naming}), fill the
 * {@code http} block, answer the trace header, and at the end record the status (429 throttle and
 * error, other 4xx error, 5xx fault) and any uncaught exception.
 *
 * <pre>{@code
 * HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, request);
 * response.setHeader(TraceHeader.HEADER_NAME, traced.responseHeader());
 * try { chain.run(); } catch (Throwable e) { error = e; throw e; }
 * finally { traced.end(response.status(), contentLength, error); }
 * }</pre>
 */
public final class HttpServerTracing {
  private HttpServerTracing() {}

  /** The parts of an incoming request that tracing reads; any may be null when unknown. */
  public record IncomingRequest(String method, String url, String host, String path, String userAgent,
      String remoteAddress, String forwardedFor, String amznTraceId, String traceparent) {}

  /**
   * Begins the request's segment and makes it current. Never throws (a failing recorder gives a
   * request that records nothing).
   */
  public static Request begin(Recorder recorder, IncomingRequest request) {
    Objects.requireNonNull(recorder, "recorder");
    TraceHeader incoming = TraceHeader.from(request.amznTraceId(), request.traceparent());
    String name = recorder.segmentName(hostWithoutPort(request.host()));
    SamplingRequest sampling = SamplingRequest.builder()
        .serviceName(name)
        .host(hostWithoutPort(request.host()))
        .method(request.method())
        .urlPath(request.path())
        .build();
    Segment segment = recorder.beginSegment(name, incoming, sampling);
    if (segment.isRecording()) {
      putIfPresent(segment, "method", request.method());
      putIfPresent(segment, "url", request.url());
      putIfPresent(segment, "user_agent", request.userAgent());
      String forwarded = firstForwardedFor(request.forwardedFor());
      if (forwarded != null) {
        segment.putHttp("client_ip", forwarded);
        segment.putHttp("x_forwarded_for", true);
      } else {
        putIfPresent(segment, "client_ip", request.remoteAddress());
      }
    }
    return new Request(recorder, segment, incoming);
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

  /** {@code host:port} or {@code [v6]:port} without the port. */
  static String hostWithoutPort(String host) {
    if (host == null) {
      return null;
    }
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close > 0 ? host.substring(0, close + 1) : host;
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
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
