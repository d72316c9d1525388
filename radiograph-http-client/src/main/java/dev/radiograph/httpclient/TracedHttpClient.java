package dev.radiograph.httpclient;

import dev.radiograph.CallSites;
import dev.radiograph.Recorder;
import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.http.HttpClientTracing;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that records each {@code send} and {@code sendAsync} as a {@code remote}
 * subsegment of the current entity and sends the trace headers ({@code X-Amzn-Trace-Id} and
 * {@code traceparent}) with the request. Everything else is the wrapped client's.
 *
 * <pre>{@code
 * HttpClient client = TracedHttpClient.wrap(HttpClient.newHttpClient(), recorder);
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * client.sendAsync(request, BodyHandlers.ofString())
 *     .thenAccept(r -> recorder.currentSegment().putAnnotation("status", r.statusCode()));
 * }</pre>
 *
 * <p>The future that {@code sendAsync} returns is completed with the caller's entity current, so
 * the stages attached to it ({@code thenApply}, {@code thenAccept}, {@code whenComplete}, ...) see
 * the entity that was current when the call was made, whichever of the client's threads finished
 * it. The {@code *Async} stage variants run on another executor: give them
 * {@code recorder.captureContext().executor(executor)}.
 *
 * <p>Tracing never changes what the application sees: the response, and any exception the client
 * throws or completes the future with, are the wrapped client's own, unchanged. The request sent
 * is a copy of the caller's with the two headers set; without a current entity it is the caller's
 * request itself, and the recorder's {@code context-missing} strategy applies.
 */
public final class TracedHttpClient extends HttpClient {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(TracedHttpClient.class, TraceHeaders.class);
  }

  // Java 21 added shutdown and close to HttpClient. This class is built for Java 17, so it
  // declares the same methods without @Override (on 21+ they override the defaults, which would
  // otherwise never close the wrapped client) and calls the wrapped client's through handles.
  private static final MethodHandle SHUTDOWN = lifecycle("shutdown", MethodType.methodType(void.class));
  private static final MethodHandle SHUTDOWN_NOW = lifecycle("shutdownNow", MethodType.methodType(void.class));
  private static final MethodHandle IS_TERMINATED = lifecycle("isTerminated", MethodType.methodType(boolean.class));
  private static final MethodHandle AWAIT_TERMINATION =
      lifecycle("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
  private static final MethodHandle CLOSE = lifecycle("close", MethodType.methodType(void.class));

  private final HttpClient delegate;
  private final Recorder recorder;
  private final String serviceName; // null: each subsegment is named after the request's host

  private TracedHttpClient(HttpClient delegate, Recorder recorder, String serviceName) {
    this.delegate = delegate;
    this.recorder = recorder;
    this.serviceName = serviceName;
  }

  /**
   * Wraps {@code client} so that its calls are traced with {@code recorder}. Wrapping an already
   * traced client returns it as it is (each call is recorded once).
   */
  public static HttpClient wrap(HttpClient client, Recorder recorder) {
    return wrap(client, recorder, null);
  }

  /**
   * Like {@link #wrap(HttpClient, Recorder)}, for a client that calls one service: its calls'
   * subsegments are named {@code serviceName} instead of the host, so that the service map shows
   * the service by its name (and joins the calls to the service's own node when the callee's
   * segment is missing, for example when only the caller kept the trace for its anomaly).
   *
   * @param serviceName the subsegments' name; null names each after its request's host
   */
  public static HttpClient wrap(HttpClient client, Recorder recorder, String serviceName) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(recorder, "recorder");
    if (client instanceof TracedHttpClient) {
      return client;
    }
    return new TracedHttpClient(client, recorder, serviceName);
  }

  /** The wrapped client. */
  public HttpClient delegate() {
    return delegate;
  }

  // ---------------------------------------------------------------- traced calls

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
      throws IOException, InterruptedException {
    TraceHeaders headers = new TraceHeaders();
    HttpClientTracing.Call call = HttpClientTracing.begin(recorder, serviceName, request.method(), request.uri(), headers);
    HttpResponse<T> response;
    try {
      response = delegate.send(headers.applyTo(request), responseBodyHandler);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      end(call, -1, e);
      throw e;
    }
    end(call, response.statusCode(), null);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler) {
    return sendAsync(request, responseBodyHandler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    ContextSnapshot caller = recorder.captureContext();
    TraceHeaders headers = new TraceHeaders();
    HttpClientTracing.Call call = HttpClientTracing.beginAsync(recorder, serviceName, request.method(), request.uri(), headers);
    CompletableFuture<HttpResponse<T>> sent;
    try {
      sent = delegate.sendAsync(headers.applyTo(request), responseBodyHandler, pushPromiseHandler);
    } catch (RuntimeException | Error e) {
      end(call, -1, e);
      throw e;
    }
    // RATIONALE: a new future, completed by hand inside the caller's context, rather than
    // sent.whenComplete(...): stages attached to it then run with the caller's entity current, and
    // an exceptional completion is passed on as the very object the client failed with (a
    // whenComplete stage would wrap it in another CompletionException).
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    sent.whenComplete((response, failure) -> {
      end(call, response != null ? response.statusCode() : -1, failure);
      caller.run(() -> {
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(response);
        }
      });
    });
    result.whenComplete((response, failure) -> {
      if (failure instanceof CancellationException) {
        sent.cancel(true); // the caller gave up: let the client abort the exchange
      }
    });
    return result;
  }

  private static void end(HttpClientTracing.Call call, int status, Throwable failure) {
    Throwable recorded = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    try {
      call.end(status, recorded);
    } catch (RuntimeException e) {
      // Never let recording a finished call disturb the application's result.
    }
  }

  // ---------------------------------------------------------------- delegated

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  /** The wrapped client's WebSocket builder; WebSocket traffic is not traced. */
  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  /** Java 21+: shuts the wrapped client down. Does nothing on Java 17 to 20. */
  public void shutdown() {
    invokeLifecycle(SHUTDOWN);
  }

  /** Java 21+: shuts the wrapped client down now. Does nothing on Java 17 to 20. */
  public void shutdownNow() {
    invokeLifecycle(SHUTDOWN_NOW);
  }

  /** Java 21+: whether the wrapped client has terminated. False on Java 17 to 20. */
  public boolean isTerminated() {
    if (IS_TERMINATED == null) {
      return false;
    }
    try {
      return (boolean) IS_TERMINATED.invoke(delegate);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Java 21+: waits for the wrapped client to terminate. True at once on Java 17 to 20. */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration");
    if (AWAIT_TERMINATION == null) {
      return true;
    }
    try {
      return (boolean) AWAIT_TERMINATION.invoke(delegate, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Java 21+: closes the wrapped client. Does nothing on Java 17 to 20. */
  public void close() {
    invokeLifecycle(CLOSE);
  }

  private void invokeLifecycle(MethodHandle method) {
    if (method == null) {
      return;
    }
    try {
      method.invoke(delegate);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static MethodHandle lifecycle(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (ReflectiveOperationException e) {
      return null; // Java 17-20
    }
  }

  @Override
  public String toString() {
    return "TracedHttpClient{" + delegate + "}";
  }
}
