package dev.radiograph.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry Java SDK recording {@link Workload}'s request as four spans (a root and three
 * children with the same attributes), with a {@link BatchSpanProcessor} (default settings) feeding
 * {@link JsonUdpSpanExporter}. Each span is made current while it runs, as the X-Ray recorders
 * make their entities current, and the attribute keys are created once, the idiomatic fast path.
 */
final class OpenTelemetryPeer implements AutoCloseable {
  private static final AttributeKey<String> STRING_KEY = AttributeKey.stringKey(Workload.STRING_KEY);
  private static final AttributeKey<Long> NUMBER_KEY = AttributeKey.longKey(Workload.NUMBER_KEY);
  private static final Long NUMBER_VALUE = (long) Workload.NUMBER_VALUE;

  /**
   * When the exporter cannot keep up, the BatchSpanProcessor drops spans (as designed) and logs a
   * WARNING per batch, thousands of lines per second here. Silenced; the teardown summary shows
   * the count instead (spans ended vs exported). Held so the JUL logger keeps its level.
   */
  private static final java.util.logging.Logger BSP_LOG =
      java.util.logging.Logger.getLogger(BatchSpanProcessor.class.getName());

  static {
    BSP_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private final SdkTracerProvider provider;
  private final OpenTelemetrySdk openTelemetry;
  private final JsonUdpSpanExporter exporter;
  private final Tracer tracer;
  private final String label;
  private long requests; // for the teardown summary only

  private OpenTelemetryPeer(Sampler sampler, int port, String label) throws IOException {
    this.exporter = new JsonUdpSpanExporter(port);
    this.provider = SdkTracerProvider.builder()
        .setSampler(sampler)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    this.openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    this.tracer = provider.get("dev.radiograph.benchmarks");
    this.label = label;
  }

  /** Every request sampled, spans exported to 127.0.0.1:{@code port}. */
  static OpenTelemetryPeer sampled(int port) throws IOException {
    return new OpenTelemetryPeer(Sampler.alwaysOn(), port, "opentelemetry-sdk");
  }

  /**
   * Every request sampled, spans exported to 127.0.0.1:{@code port}: the SDK an instrumentation
   * library is given ({@link #openTelemetry()}), {@code label} naming it in the summary.
   */
  static OpenTelemetryPeer sampled(int port, String label) throws IOException {
    return new OpenTelemetryPeer(Sampler.alwaysOn(), port, label);
  }

  /** No request sampled. */
  static OpenTelemetryPeer unsampled(int port) throws IOException {
    return new OpenTelemetryPeer(Sampler.alwaysOff(), port, "opentelemetry-sdk unsampled");
  }

  /** One request: root span, three child spans with two attributes each, all ended. */
  @SuppressWarnings("try") // the scopes are there for their side effect: the span is current
  Span request() {
    requests++;
    Tracer tracer = this.tracer;
    Span root = tracer.spanBuilder(Workload.SEGMENT).setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope rootScope = root.makeCurrent()) {
      for (String name : Workload.SUBSEGMENTS) {
        Span child = tracer.spanBuilder(name).startSpan();
        try (Scope childScope = child.makeCurrent()) {
          child.setAttribute(STRING_KEY, Workload.STRING_VALUE);
          child.setAttribute(NUMBER_KEY, NUMBER_VALUE);
        } finally {
          child.end();
        }
      }
    } finally {
      root.end();
    }
    return root;
  }

  /** The SDK (this peer's tracer provider, no meters), for an instrumentation library. */
  OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** The tracer {@link #request()} records with, for a benchmark's own spans. */
  Tracer tracer() {
    return tracer;
  }

  /** Exports every ended span now and returns how many were exported so far: a setup's proof. */
  long flushedSpans() {
    provider.forceFlush().join(5, TimeUnit.SECONDS);
    return exporter.exportedSpans();
  }

  /** Fails the run if a request left a context current on this thread. */
  void checkContextClean() {
    if (Context.current() != Context.root()) {
      throw new IllegalStateException(label + ": a context is still current: " + Context.current());
    }
  }

  @Override
  public void close() {
    provider.forceFlush().join(5, TimeUnit.SECONDS);
    // requests counts request() calls; an instrumentation's spans are counted by its benchmark.
    System.out.println("[" + label + "] "
        + (requests > 0 ? "requests=" + requests + " (spans ended: " + 4 * requests + "), " : "")
        + "exporter: exportedSpans=" + exporter.exportedSpans()
        + ", datagrams=" + exporter.datagrams());
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
