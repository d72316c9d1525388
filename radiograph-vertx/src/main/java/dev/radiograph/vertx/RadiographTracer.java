package dev.radiograph.vertx;

import dev.radiograph.CallSites;
import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpClientTracing;
import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.sql.SqlTracing;
import io.vertx.core.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Radiograph behind Vert.x's tracing SPI. Vert.x calls it for every request its servers receive
 * (before any handler runs) and every request its clients send:
 *
 * <ul>
 *   <li>an HTTP server request begins a segment on the request's context ({@link HttpServerTracing}:
 *       header continuation, sampling, naming, the {@code http} block, status mapping);
 *   <li>an HTTP client request ({@code HttpClient}, and so {@code WebClient}) made while an entity
 *       is current on the caller's context becomes a {@code remote} subsegment and carries the trace
 *       headers ({@link HttpClientTracing});
 *   <li>a SQL client query becomes an {@code sql} subsegment ({@link SqlQuery});
 *   <li>an event-bus message sent while an entity is current carries the trace headers, and a
 *       consumer receiving one begins a segment that continues the trace.
 * </ul>
 *
 * <p>Nothing here throws into Vert.x: a failure is logged once and the request goes on untraced.
 */
final class RadiographTracer implements VertxTracer<Object, Object> {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(RadiographTracer.class, SqlQuery.class, VertxSegmentContext.class, VertxRequestAdapter.class, RadiographVertx.class);
  }

  private static final Logger LOG = System.getLogger(RadiographTracer.class.getName());
  private static final String EVENT_BUS_NAMESPACE = "vertx";

  private final Recorder recorder;
  private final VertxSegmentContext contexts;
  private final boolean ownsRecorder;
  private final AtomicBoolean loggedFailure = new AtomicBoolean();

  RadiographTracer(Recorder recorder, boolean ownsRecorder) {
    this.recorder = recorder;
    this.contexts = (VertxSegmentContext) recorder.segmentContext();
    this.ownsRecorder = ownsRecorder;
  }

  Recorder recorder() {
    return recorder;
  }

  // ---------------------------------------------------------------- server side

  @Override
  public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
      String operation, Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
    if (policy == TracingPolicy.IGNORE) {
      return null;
    }
    try {
      if (request instanceof HttpServerRequest) {
        return receiveHttp(context, policy, (HttpServerRequest) request);
      }
      if (request instanceof Message) {
        return receiveMessage(context, (Message<?>) request);
      }
    } catch (RuntimeException e) {
      failed("receiving a request", e);
    }
    return null;
  }

  private Object receiveHttp(Context context, TracingPolicy policy, HttpServerRequest request) {
    if (policy == TracingPolicy.PROPAGATE
        && !HttpServerTracing.incomingTrace(VertxRequestAdapter.INSTANCE, request).hasRoot()) {
      return null; // PROPAGATE: only continue traces that a caller started
    }
    HttpServerTracing.Request traced = contexts.callOn(context,
        () -> HttpServerTracing.begin(recorder, VertxRequestAdapter.INSTANCE, request));
    ContextLocals.SERVER_REQUEST.put(context, traced);
    // HTTP/2 has the response already; HTTP/1.x makes it after this call returns, so there the
    // header is written by RadiographVertx.withResponseHeader when the application installs it.
    HttpServerResponse response = request.response();
    if (response != null) {
      response.putHeader(TraceHeader.HEADER_NAME, traced.responseHeader());
    }
    return traced;
  }

  private Object receiveMessage(Context context, Message<?> message) {
    TraceHeader incoming = TraceHeader.from(
        message.headers().get(TraceHeader.HEADER_NAME), message.headers().get(TraceHeader.TRACEPARENT_HEADER));
    if (!incoming.hasRoot()) {
      return null; // only messages sent from traced work continue a trace
    }
    Segment segment = contexts.callOn(context, () -> recorder.beginSegment(recorder.segmentName(null), incoming));
    segment.putMetadata(EVENT_BUS_NAMESPACE, "event_bus_address", message.address());
    return segment;
  }

  @Override
  public <R> void sendResponse(Context context, R response, Object payload, Throwable failure,
      TagExtractor<R> tagExtractor) {
    try {
      if (payload instanceof HttpServerTracing.Request) {
        HttpServerTracing.Request traced = (HttpServerTracing.Request) payload;
        int status = -1;
        long contentLength = -1;
        if (response instanceof HttpServerResponse) {
          HttpServerResponse httpResponse = (HttpServerResponse) response;
          status = httpResponse.getStatusCode();
          contentLength = httpResponse.bytesWritten();
        }
        int finalStatus = status;
        long finalLength = contentLength;
        ContextLocals.SERVER_REQUEST.remove(context);
        contexts.runOn(context, () -> traced.end(finalStatus, finalLength, failure));
      } else if (payload instanceof Segment) {
        Segment segment = (Segment) payload;
        if (failure != null) {
          segment.addException(failure);
        }
        contexts.runOn(context, segment::close);
      }
    } catch (RuntimeException e) {
      failed("ending a request", e);
    }
  }

  // ---------------------------------------------------------------- client side

  @Override
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
      String operation, BiConsumer<String, String> headers, TagExtractor<R> tagExtractor) {
    if (policy == TracingPolicy.IGNORE || request == null) {
      return null;
    }
    try {
      // Only work of a traced request is recorded: Vert.x's own and the application's background
      // calls are not, and applying the context-missing strategy to them would be noise.
      Entity caller = VertxSegmentContext.entityOn(context);
      if (caller == null) {
        return null;
      }
      if (request instanceof HttpRequest) {
        HttpRequest http = (HttpRequest) request;
        URI uri = URI.create(http.absoluteURI());
        return contexts.callOn(context,
            () -> HttpClientTracing.beginAsync(recorder, http.method().name(), uri, headers));
      }
      if (request instanceof Message) {
        HttpClientTracing.propagate(caller, headers);
        return null;
      }
      SqlQuery query = SqlQuery.of(request, tagExtractor);
      if (query != null) {
        return contexts.callOn(context, () -> query.begin(recorder));
      }
    } catch (RuntimeException e) {
      failed("sending a request", e);
    }
    return null;
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
      TagExtractor<R> tagExtractor) {
    try {
      if (payload instanceof HttpClientTracing.Call) {
        int status = response instanceof HttpResponse ? ((HttpResponse) response).statusCode() : -1;
        ((HttpClientTracing.Call) payload).end(status, failure);
      } else if (payload instanceof SqlTracing.Call) {
        ((SqlTracing.Call) payload).end(failure);
      }
    } catch (RuntimeException e) {
      failed("ending a client request", e);
    }
  }

  @Override
  public void close() {
    if (ownsRecorder) {
      recorder.close();
    }
  }

  private void failed(String what, RuntimeException e) {
    if (loggedFailure.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Radiograph: tracing failed while " + what + "; the request goes on untraced"
          + " (logged once)", e);
    }
  }
}
