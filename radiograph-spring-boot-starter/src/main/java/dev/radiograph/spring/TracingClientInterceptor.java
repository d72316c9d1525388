package dev.radiograph.spring;

import dev.radiograph.Recorder;
import dev.radiograph.http.HttpClientTracing;
import java.io.IOException;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Records each {@code RestClient} or {@code RestTemplate} call as a {@code remote} subsegment
 * named after the host, and sends the trace downstream ({@code X-Amzn-Trace-Id} and
 * {@code traceparent}), with core's {@link HttpClientTracing}.
 */
final class TracingClientInterceptor implements ClientHttpRequestInterceptor {
  private final Recorder recorder;

  TracingClientInterceptor(Recorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    HttpClientTracing.Call call = HttpClientTracing.begin(recorder, request.getMethod().name(), request.getURI(),
        request.getHeaders()::set);
    ClientHttpResponse response;
    try {
      response = execution.execute(request, body);
    } catch (IOException | RuntimeException | Error e) {
      call.end(-1, e);
      throw e;
    }
    int status;
    try {
      status = response.getStatusCode().value();
    } catch (IOException | RuntimeException e) {
      status = -1;
    }
    call.end(status, null);
    return response;
  }
}
