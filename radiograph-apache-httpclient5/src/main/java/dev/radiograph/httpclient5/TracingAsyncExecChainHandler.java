package dev.radiograph.httpclient5;

import dev.radiograph.Recorder;
import dev.radiograph.context.ContextSnapshot;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The async client's first exec chain element. It runs on the thread that calls
 * {@code execute}, so it begins the call's subsegment under the caller's entity (which stays
 * current there) and captures that entity; everything the client reports back for the call, on
 * its I/O threads, goes through a {@link TracedAsyncExecCallback} that ends the subsegment and
 * runs the application's consumer and {@code FutureCallback} with the captured entity current.
 */
final class TracingAsyncExecChainHandler implements AsyncExecChainHandler {
  private final Supplier<Recorder> recorder;
  private final String serviceName;

  TracingAsyncExecChainHandler(Supplier<Recorder> recorder, String serviceName) {
    this.recorder = recorder;
    this.serviceName = serviceName;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    Recorder current = recorder.get();
    ContextSnapshot caller = current.captureContext();
    TracedExchange exchange =
        TracedExchange.begin(current, serviceName, request, scope.route, scope.clientContext, true);
    try {
      chain.proceed(request, entityProducer, scope, new TracedAsyncExecCallback(callback, exchange, caller));
    } catch (HttpException | IOException | RuntimeException | Error e) {
      // The client fails the caller's future with it directly, without calling back.
      exchange.end(-1, e);
      throw e;
    }
  }
}
