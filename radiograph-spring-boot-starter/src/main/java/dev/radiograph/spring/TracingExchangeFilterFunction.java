package dev.radiograph.spring;

import dev.radiograph.CallSites;
import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.http.HttpClientTracing;
import java.util.Objects;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Records each {@code WebClient} call as a {@code remote} subsegment named after the host, under
 * the entity the Reactor {@code Context} carries (the request's segment in a WebFlux
 * application; else the thread's current entity), and sends the trace downstream
 * ({@code X-Amzn-Trace-Id} and {@code traceparent}), with core's {@link HttpClientTracing}. The
 * subsegment ends once, when the response arrives (its status mapped), the call fails, or it is
 * cancelled. Each subscription (a {@code retry}) is a call of its own.
 *
 * <p>The starter adds it to every {@code WebClient.Builder} Spring Boot builds; elsewhere:
 * <pre>{@code
 * WebClient client = WebClient.builder().filter(new TracingExchangeFilterFunction(recorder)).build();
 * }</pre>
 */
public final class TracingExchangeFilterFunction implements ExchangeFilterFunction {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(TracingExchangeFilterFunction.class, EndOnce.class, EntityThreadLocalAccessor.class);
  }

  private final Recorder recorder;

  /** A filter that records with {@code recorder}. */
  public TracingExchangeFilterFunction(Recorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(context -> {
      ClientRequest.Builder traced = ClientRequest.from(request);
      HttpClientTracing.Call call = begin(EntityThreadLocalAccessor.current(context, recorder), request, traced);
      return EndOnce.around(next.exchange(traced.build()),
          (response, error, cancelled) -> call.end(response != null ? response.statusCode().value() : -1, error));
    });
  }

  /** Begins the call's subsegment under {@code parent}, leaving the thread's current entity as it was. */
  private HttpClientTracing.Call begin(Entity parent, ClientRequest request, ClientRequest.Builder traced) {
    Entity previous = recorder.currentEntity();
    boolean switched = parent != previous; // usually equal: automatic propagation restored it
    if (switched) {
      recorder.setCurrentEntity(parent);
    }
    try {
      return HttpClientTracing.beginAsync(recorder, request.method().name(), request.url(),
          (name, value) -> traced.headers(headers -> headers.set(name, value)));
    } finally {
      if (switched) {
        recorder.setCurrentEntity(previous);
      }
    }
  }
}
