package dev.radiograph.http;

import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import dev.radiograph.TraceHeader;
import java.net.URI;
import java.util.function.BiConsumer;

/**
 * What every HTTP client integration does around an outgoing call, written once: a
 * {@code remote} subsegment named after the host, the request's {@code http} block with
 * {@code traced: true}, the trace headers set on the request ({@code X-Amzn-Trace-Id} and
 * {@code traceparent}), and at the end the status mapping or the exception.
 *
 * <pre>{@code
 * HttpClientTracing.Call call = HttpClientTracing.begin(recorder, "GET", uri, request::setHeader);
 * try { response = send(request); call.end(response.statusCode(), null); }
 * catch (IOException e) { call.end(-1, e); throw e; }
 * }</pre>
 */
public final class HttpClientTracing {
  private HttpClientTracing() {}

  /**
   * Begins a subsegment for a call to {@code uri} and writes the trace headers with
   * {@code setHeader}. Never throws.
   */
  public static Call begin(Recorder recorder, String method, URI uri, BiConsumer<String, String> setHeader) {
    return begin(recorder, null, method, uri, setHeader, false);
  }

  /**
   * As {@link #begin(Recorder, String, URI, BiConsumer)}, naming the subsegment {@code name}
   * instead of the host (when the host says little: an IP, a load balancer).
   */
  public static Call begin(Recorder recorder, String name, String method, URI uri,
      BiConsumer<String, String> setHeader) {
    return begin(recorder, name, method, uri, setHeader, false);
  }

  /**
   * As {@link #begin}, for asynchronous clients: the caller's current entity stays current (the
   * call's subsegment is not left current on the calling thread, whose work goes on while the
   * call runs); end the call from whichever thread completes it.
   */
  public static Call beginAsync(Recorder recorder, String method, URI uri, BiConsumer<String, String> setHeader) {
    return begin(recorder, null, method, uri, setHeader, true);
  }

  /** {@link #beginAsync(Recorder, String, URI, BiConsumer)} with the subsegment named {@code name} (null: the host). */
  public static Call beginAsync(Recorder recorder, String name, String method, URI uri,
      BiConsumer<String, String> setHeader) {
    return begin(recorder, name, method, uri, setHeader, true);
  }

  /**
   * Writes {@code entity}'s trace context as outgoing headers: {@code X-Amzn-Trace-Id} (root,
   * parent, sampling decision), and W3C {@code traceparent} when the trace id can be written as one.
   * For carriers other than HTTP requests too (a message's headers).
   */
  public static void propagate(dev.radiograph.Entity entity, BiConsumer<String, String> setHeader) {
    TraceHeader header = entity.traceHeader();
    setHeader.accept(TraceHeader.HEADER_NAME, header.toString());
    String traceparent = header.toTraceparent();
    if (traceparent != null) {
      setHeader.accept(TraceHeader.TRACEPARENT_HEADER, traceparent);
    }
  }

  private static Call begin(Recorder recorder, String name, String method, URI uri,
      BiConsumer<String, String> setHeader, boolean async) {
    String host = uri.getHost() != null ? uri.getHost() : "unknown";
    String subsegmentName = name != null ? name : host;
    Subsegment subsegment = async
        ? recorder.beginAsyncSubsegment(subsegmentName)
        : recorder.beginSubsegment(subsegmentName);
    if (subsegment.isRecording()) {
      subsegment.setNamespace(Subsegment.NAMESPACE_REMOTE);
      subsegment.putHttp("method", method);
      subsegment.putHttp("url", uri.toString());
      subsegment.putHttp("traced", true);
    }
    if (recorder.currentEntity() != null) {
      try {
        propagate(subsegment, setHeader);
      } catch (RuntimeException e) {
        // A request that refuses headers still goes out, untraced downstream.
      }
    }
    return new Call(subsegment);
  }

  /** An outgoing call being traced. */
  public static final class Call {
    private final Subsegment subsegment;

    Call(Subsegment subsegment) {
      this.subsegment = subsegment;
    }

    public Subsegment subsegment() {
      return subsegment;
    }

    /**
     * Ends the call: a status (mapped to error/throttle/fault) when there was a response, or the
     * exception when there was none (recorded as a fault of this service's call).
     */
    public void end(int status, Throwable error) {
      try {
        if (status > 0) {
          subsegment.putHttp("status", status);
        }
        if (error != null) {
          subsegment.addException(error);
        }
      } finally {
        subsegment.close();
      }
    }
  }
}
