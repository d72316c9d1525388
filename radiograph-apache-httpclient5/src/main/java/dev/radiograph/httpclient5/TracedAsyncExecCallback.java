package dev.radiograph.httpclient5;

import dev.radiograph.context.ContextSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * What the async client reports for one traced call: the final response (after redirects), its
 * body, completion or failure. Each signal is passed on with the caller's entity current, because
 * that is where the client completes the application's future: inside {@code handleResponse} for
 * a response without a body, inside the body consumer's {@code streamEnd} otherwise, inside
 * {@code failed} for a failure.
 *
 * <p>The subsegment ends just before the signal that completes the application's future is
 * passed on, so that a callback which ends the caller's segment finds the call already recorded.
 * A cancelled call ends when the application cancels ({@link #watchCancellation}): the client
 * usually reports a cancellation as {@code failed} as well, but not always (an exchange on a
 * pooled connection can miss the cancellation and run to its response).
 */
final class TracedAsyncExecCallback implements AsyncExecCallback {
  private final AsyncExecCallback delegate;
  private final TracedExchange exchange;
  private final ContextSnapshot caller;
  // Written on the I/O thread that handles the response; failed() may come from another thread.
  private volatile int status = -1;

  TracedAsyncExecCallback(AsyncExecCallback delegate, TracedExchange exchange, ContextSnapshot caller) {
    this.delegate = delegate;
    this.exchange = exchange;
    this.caller = caller;
  }

  /**
   * {@code scope} with its cancellable dependency (the application's future) watched: the
   * future's {@code cancel} cancels whatever the client last gave it to cancel, which this wraps
   * so that the call ends then, with a {@link CancellationException}.
   */
  AsyncExecChain.Scope watchCancellation(AsyncExecChain.Scope scope) {
    return new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
        new CancellationWatch(scope.cancellableDependency), scope.clientContext, scope.execRuntime,
        scope.scheduler, scope.execCount);
  }

  @Override
  public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
      throws HttpException, IOException {
    int code = response.getCode();
    status = code;
    if (entityDetails == null) {
      exchange.end(code, null); // no body: the client completes the future inside this call
    }
    AsyncDataConsumer consumer;
    try (ContextSnapshot.Scope ignored = caller.attach()) {
      consumer = delegate.handleResponse(response, entityDetails);
    }
    return consumer != null ? new TracedDataConsumer(consumer) : null;
  }

  @Override
  public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
    try (ContextSnapshot.Scope ignored = caller.attach()) {
      delegate.handleInformationResponse(response);
    }
  }

  @Override
  public void completed() {
    exchange.end(status, null);
    try (ContextSnapshot.Scope ignored = caller.attach()) {
      delegate.completed();
    }
  }

  @Override
  public void failed(Exception cause) {
    exchange.end(status, cause);
    try (ContextSnapshot.Scope ignored = caller.attach()) {
      delegate.failed(cause);
    }
  }

  /** The application's future, as the client's exec chain sees it. */
  private final class CancellationWatch implements CancellableDependency {
    private final CancellableDependency future;

    CancellationWatch(CancellableDependency future) {
      this.future = future;
    }

    @Override
    public void setDependency(Cancellable dependency) {
      future.setDependency(() -> {
        // Also called when the client hands a dependency to a future already completed: only a
        // cancelled future is a cancellation (the other endings were recorded before it completed).
        if (future.isCancelled()) {
          exchange.end(status, new CancellationException("the application cancelled the call"));
        }
        return dependency.cancel();
      });
    }

    @Override
    public boolean isCancelled() {
      return future.isCancelled();
    }

    @Override
    public boolean cancel() {
      return future.cancel();
    }
  }

  /** The application's response consumer, run with the caller's entity current. */
  private final class TracedDataConsumer implements AsyncDataConsumer {
    private final AsyncDataConsumer consumer;

    TracedDataConsumer(AsyncDataConsumer consumer) {
      this.consumer = consumer;
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      try (ContextSnapshot.Scope ignored = caller.attach()) {
        consumer.updateCapacity(capacityChannel);
      }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      try (ContextSnapshot.Scope ignored = caller.attach()) {
        consumer.consume(src);
      }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
      exchange.end(status, null); // the body is in: the consumer completes the future now
      try (ContextSnapshot.Scope ignored = caller.attach()) {
        consumer.streamEnd(trailers);
      }
    }

    @Override
    public void releaseResources() {
      try (ContextSnapshot.Scope ignored = caller.attach()) {
        consumer.releaseResources();
      }
    }
  }
}
