package dev.radiograph.demo;

import dev.radiograph.Recorder;
import dev.radiograph.http.HttpClientTracing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Outgoing HTTP calls as remote subsegments that propagate the trace, with core's {@link HttpClientTracing}. */
final class TracedHttpCalls {
  private final Recorder recorder;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  TracedHttpCalls(Recorder recorder) {
    this.recorder = recorder;
  }

  /** Calls {@code service} at {@code uri}; returns the status, or -1 when the call failed. */
  int call(String service, String method, URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(5))
        .method(method, HttpRequest.BodyPublishers.noBody());
    HttpClientTracing.Call call = HttpClientTracing.begin(recorder, service, method, uri, request::header);
    try {
      int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      call.end(status, null);
      return status;
    } catch (IOException e) {
      call.end(-1, e);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.end(-1, e);
      return -1;
    }
  }
}
