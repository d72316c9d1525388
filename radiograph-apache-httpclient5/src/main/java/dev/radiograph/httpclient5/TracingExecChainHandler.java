package dev.radiograph.httpclient5;

import dev.radiograph.Recorder;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * The classic client's first exec chain element: each {@code execute} is one {@code remote}
 * subsegment, current on the calling thread while the call runs, ended when the response's head
 * has arrived (the body is the application's to read afterwards) or with the exception the call
 * fails with, which then reaches the application unchanged.
 */
final class TracingExecChainHandler implements ExecChainHandler {
  private final Supplier<Recorder> recorder;
  private final String serviceName;

  TracingExecChainHandler(Supplier<Recorder> recorder, String serviceName) {
    this.recorder = recorder;
    this.serviceName = serviceName;
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    TracedExchange exchange =
        TracedExchange.begin(recorder.get(), serviceName, request, scope.route, scope.clientContext, false);
    ClassicHttpResponse response;
    try {
      response = chain.proceed(request, scope);
    } catch (IOException | HttpException | RuntimeException | Error e) {
      exchange.end(-1, e);
      throw e;
    }
    exchange.end(response.getCode(), null);
    return response;
  }
}
