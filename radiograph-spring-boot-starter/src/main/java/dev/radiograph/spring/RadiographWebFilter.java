package dev.radiograph.spring;

import dev.radiograph.CallSites;
import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Records a segment per WebFlux exchange, first in the {@code WebFilter} chain: the reactive
 * counterpart of the servlet {@code RadiographFilter}, with the same naming, continuation,
 * {@code http} block, status mapping and {@code X-Amzn-Trace-Id} response header (core's
 * {@link HttpServerTracing}). The segment ends once, when the response completes, fails, or the
 * client cancels; the route template that matched ({@code /users/{id}}) is its {@code route}
 * annotation.
 *
 * <p>The segment travels in the Reactor {@code Context} under {@link EntityThreadLocalAccessor#KEY},
 * not on the thread: with automatic context propagation on, {@code Radiograph.currentSegment()}
 * finds it in every operator of the request's chain, whichever thread runs it.
 *
 * <p>The starter registers it in a reactive application; elsewhere, declare it as a bean:
 * <pre>{@code
 * @Bean WebFilter radiographWebFilter(Recorder recorder) { return new RadiographWebFilter(recorder); }
 * }</pre>
 *
 * <p>Tracing never breaks a request: if tracing fails, the request runs untraced.
 */
public final class RadiographWebFilter implements WebFilter, PriorityOrdered {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(RadiographWebFilter.class, ServerHttpRequestAdapter.class, EndOnce.class,
        EntityThreadLocalAccessor.class);
  }

  /** The annotation that holds the matched route template. */
  public static final String ROUTE_ANNOTATION = "route";

  private static final System.Logger LOG = System.getLogger(RadiographWebFilter.class.getName());

  private final Recorder recorder;

  /** A filter that records with {@code recorder}. */
  public RadiographWebFilter(Recorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  /**
   * First: before Spring Security's {@code WebFilterChainProxy} and every other filter, including
   * others at {@link Ordered#HIGHEST_PRECEDENCE} (Spring sorts {@link PriorityOrdered} before
   * them), so that their time and rejections are inside the segment.
   */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpServerTracing.Request traced = begin(exchange);
    if (traced == null) {
      return chain.filter(exchange);
    }
    Segment segment = traced.segment();
    // defer: the rest of the chain is assembled when subscribed, inside the context written below.
    return EndOnce.around(Mono.defer(() -> chain.filter(exchange)),
            (ignored, error, cancelled) -> end(traced, exchange, error, cancelled))
        .contextWrite(context -> context.put(EntityThreadLocalAccessor.KEY, segment));
  }

  /** Begins the segment and answers the trace header; null when tracing itself failed. */
  private HttpServerTracing.Request begin(ServerWebExchange exchange) {
    Entity previous = recorder.currentEntity();
    try {
      HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ServerHttpRequestAdapter.INSTANCE,
          exchange.getRequest());
      exchange.getResponse().getHeaders().set(TraceHeader.HEADER_NAME, traced.responseHeader());
      return traced;
    } catch (SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not trace a request; it runs untraced", e);
      return null;
    } finally {
      // The segment lives in the Reactor context; this event loop thread serves other exchanges.
      recorder.setCurrentEntity(previous);
    }
  }

  private static void end(HttpServerTracing.Request traced, ServerWebExchange exchange, Throwable error,
      boolean cancelled) {
    int status = -1;
    long contentLength = -1;
    Throwable fault = error;
    try {
      Object route = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
      if (route != null && traced.segment().isRecording()) {
        traced.segment().putAnnotation(ROUTE_ANNOTATION, route.toString());
      }
      ServerHttpResponse response = exchange.getResponse();
      status = cancelled && !response.isCommitted() ? -1 : status(response.getStatusCode());
      contentLength = response.getHeaders().getContentLength();
      if (error instanceof ErrorResponse) {
        // A ResponseStatusException (404, 400...) is the response the error handler will write,
        // not a failure of this service unless its status says so.
        status = ((ErrorResponse) error).getStatusCode().value();
        if (status < 500) {
          fault = null;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not read a response for its segment", e);
    }
    try {
      traced.end(status, contentLength, fault);
    } catch (RuntimeException e) {
      // Called from a signal of the response's chain: tracing must not turn into the request's error.
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not end a request's segment", e);
    }
  }

  private static int status(HttpStatusCode status) {
    return status != null ? status.value() : -1;
  }
}
