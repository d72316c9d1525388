package dev.radiograph.demo;

import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import dev.radiograph.TraceHeader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Outgoing HTTP calls as remote subsegments that propagate the trace ({@code X-Amzn-Trace-Id}
 * and {@code traceparent}), done with the core API alone.
 */
final class TracedHttpCalls {
  private final Recorder recorder;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  TracedHttpCalls(Recorder recorder) {
    this.recorder = recorder;
  }

  /** Calls {@code service} at {@code uri}; returns the status, or -1 when the call failed. */
  int call(String service, String method, URI uri) {
    Subsegment subsegment = recorder.beginSubsegment(service);
    try {
      subsegment.setNamespace(Subsegment.NAMESPACE_REMOTE);
      subsegment.putHttp("method", method);
      subsegment.putHttp("url", uri.toString());
      subsegment.putHttp("traced", true);
      TraceHeader header = subsegment.traceHeader();
      HttpRequest.Builder request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(5))
          .method(method, HttpRequest.BodyPublishers.noBody())
          .header(TraceHeader.HEADER_NAME, header.toString());
      String traceparent = header.toTraceparent();
      if (traceparent != null) {
        request.header(TraceHeader.TRACEPARENT_HEADER, traceparent);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      subsegment.putHttp("status", response.statusCode());
      return response.statusCode();
    } catch (IOException e) {
      subsegment.addException(e);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      subsegment.addException(e);
      return -1;
    } finally {
      subsegment.close();
    }
  }
}
