package dev.radiograph.httpclient5;

import dev.radiograph.CallSites;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Traces Apache HttpClient 5 calls: installed on the client's builder, it records each call of the
 * built client, classic or async, as a {@code remote} subsegment of the current entity (named after
 * the host, with the {@code http} block and the status mapping: 429 throttle, other 4xx error, 5xx
 * fault, an exception fault), and sends {@code X-Amzn-Trace-Id} (the subsegment as parent) and
 * {@code traceparent} with every request of the call, retries and redirects included.
 *
 * <pre>{@code
 * CloseableHttpClient client = RadiographHttpClient5.instrument(HttpClients.custom()).build();
 * CloseableHttpAsyncClient async = RadiographHttpClient5.instrument(HttpAsyncClients.custom()).build();
 * }</pre>
 *
 * <p>The one-argument forms record with {@link Radiograph#recorder()}, looked up at each call (so a
 * client built before the application installs its recorder still uses it). A call made without a
 * current entity goes out without trace headers, and the recorder's {@code context-missing}
 * strategy applies; in an unsampled request it records nothing and sends the trace on with
 * {@code Sampled=0}.
 *
 * <p><b>Classic client.</b> The call's subsegment is current on the calling thread while the call
 * runs, and ends when the response's head has arrived or the call has failed; reading the body is
 * the application's time.
 *
 * <p><b>Async client.</b> The caller's entity stays current on the calling thread. The application's
 * {@code AsyncResponseConsumer} and its {@code FutureCallback}'s {@code completed} and
 * {@code failed} run, on the client's I/O threads, with the caller's entity current, so
 * {@code Radiograph.currentSegment()} there answers the caller's segment. The subsegment ends once,
 * when the body has arrived or the call has failed; a cancelled call ends with the client's
 * cancellation exception recorded. ({@code FutureCallback.cancelled} runs on the thread that
 * cancels, as the client calls it.)
 *
 * <p><b>RATIONALE: an exec chain element, not request/response interceptors.</b> The subsegment
 * is begun by an exec chain handler placed first ({@code addExecInterceptorFirst}), above the
 * client's redirect and retry steps: it sees one logical call whatever the number of attempts,
 * its final response, and every exception it fails with (a refused connection never reaches a
 * response interceptor, and a request interceptor runs once per attempt). The headers, though, are
 * set by a request interceptor ({@code addRequestInterceptorLast}), which the client runs for each
 * attempt: the client builds a redirect's request anew, without the headers the first request had.
 */
public final class RadiographHttpClient5 {
  static {
    CallSites.registerPassThrough(RadiographHttpClient5.class, TracingExecChainHandler.class,
        TracedAsyncExecCallback.class, TracedExchange.class,
        TraceHeaderInterceptor.class, TraceHeaders.class);
    // The client's own classes stand between the application's call and the exec chain element.
    CallSites.registerPassThroughPackage("org.apache.hc.");
  }

  /** The name of the exec chain element, as the client's builders and logs know it. */
  public static final String EXEC_INTERCEPTOR_NAME = "radiograph";

  // Builders already instrumented: a second instrument() call must not record every call twice.
  private static final Set<Object> INSTRUMENTED = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  private RadiographHttpClient5() {}

  /**
   * Traces the calls of the classic clients {@code builder} builds, with the global recorder.
   *
   * @return {@code builder}, to go on configuring it
   */
  public static HttpClientBuilder instrument(HttpClientBuilder builder) {
    return instrument(builder, Radiograph::recorder, null);
  }

  /** Traces the calls of the classic clients {@code builder} builds, with {@code recorder}. */
  public static HttpClientBuilder instrument(HttpClientBuilder builder, Recorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    return instrument(builder, () -> recorder, null);
  }

  /**
   * As {@link #instrument(HttpClientBuilder, Recorder)}, for a client that calls one service: its
   * subsegments are named {@code serviceName} instead of the host, so that the service map shows
   * the service by its name.
   *
   * @param serviceName the subsegments' name; null names each after its request's host
   */
  public static HttpClientBuilder instrument(HttpClientBuilder builder, Recorder recorder, String serviceName) {
    Objects.requireNonNull(recorder, "recorder");
    return instrument(builder, () -> recorder, serviceName);
  }

  /**
   * Traces the calls of the async clients {@code builder} builds, with the global recorder.
   *
   * @return {@code builder}, to go on configuring it
   */
  public static HttpAsyncClientBuilder instrument(HttpAsyncClientBuilder builder) {
    return instrument(builder, Radiograph::recorder, null);
  }

  /** Traces the calls of the async clients {@code builder} builds, with {@code recorder}. */
  public static HttpAsyncClientBuilder instrument(HttpAsyncClientBuilder builder, Recorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    return instrument(builder, () -> recorder, null);
  }

  /**
   * As {@link #instrument(HttpAsyncClientBuilder, Recorder)}, naming the subsegments
   * {@code serviceName} instead of the host.
   *
   * @param serviceName the subsegments' name; null names each after its request's host
   */
  public static HttpAsyncClientBuilder instrument(HttpAsyncClientBuilder builder, Recorder recorder,
      String serviceName) {
    Objects.requireNonNull(recorder, "recorder");
    return instrument(builder, () -> recorder, serviceName);
  }

  private static HttpClientBuilder instrument(HttpClientBuilder builder, Supplier<Recorder> recorder,
      String serviceName) {
    Objects.requireNonNull(builder, "builder");
    if (INSTRUMENTED.add(builder)) {
      builder.addExecInterceptorFirst(EXEC_INTERCEPTOR_NAME, new TracingExecChainHandler(recorder, serviceName));
      builder.addRequestInterceptorLast(TraceHeaderInterceptor.INSTANCE);
    }
    return builder;
  }

  private static HttpAsyncClientBuilder instrument(HttpAsyncClientBuilder builder, Supplier<Recorder> recorder,
      String serviceName) {
    Objects.requireNonNull(builder, "builder");
    if (INSTRUMENTED.add(builder)) {
      builder.addExecInterceptorFirst(EXEC_INTERCEPTOR_NAME,
          new TracingExecChainHandler(recorder, serviceName));
      builder.addRequestInterceptorLast(TraceHeaderInterceptor.INSTANCE);
    }
    return builder;
  }
}
