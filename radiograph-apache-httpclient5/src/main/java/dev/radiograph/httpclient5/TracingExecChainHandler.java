package dev.radiograph.httpclient5;

import dev.radiograph.Recorder;
import dev.radiograph.context.ContextSnapshot;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The first element of the client's exec chain, classic or async: each logical call is one traced
 * {@link TracedExchange}. Both run on the thread that calls {@code execute}.
 *
 * <p>Classic: the call's subsegment is current on the calling thread while the call runs, and
 * ends when the response's head has arrived (the body is the application's to read afterwards) or
 * with the exception the call fails with, which then reaches the application unchanged.
 *
 * <p>Async: the subsegment is begun under the caller's entity, which stays current there, and that
 * entity is captured; everything the client reports back for the call, on its I/O threads, goes
 * through a {@link TracedAsyncExecCallback} that ends the subsegment (at the latest when the
 * application cancels) and runs the application's consumer and {@code FutureCallback} with the
 * captured entity current.
 */
final class TracingExecChainHandler implements ExecChainHandler, AsyncExecChainHandler {
  private final Supplier<Recorder> recorder;
  private final String serviceName; // null: each subsegment is named after the request's host

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

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    Recorder current = recorder.get();
    ContextSnapshot caller = current.captureContext();
    TracedExchange exchange =
        TracedExchange.begin(current, serviceName, request, scope.route, scope.clientContext, true);
    TracedAsyncExecCallback traced = new TracedAsyncExecCallback(callback, exchange, caller);
    try {
      chain.proceed(request, entityProducer, traced.watchCancellation(scope), traced);
    } catch (HttpException | IOException | RuntimeException | Error e) {
      // The client fails the caller's future with it directly, without calling back.
      exchange.end(-1, e);
      throw e;
    }
  }
}
