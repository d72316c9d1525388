package dev.radiograph.vertx;

import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import java.util.Objects;

/**
 * Installs Radiograph as Vert.x's tracer, the way Vert.x's own OpenTelemetry and Zipkin tracers
 * are installed. Either give Vert.x tracing options, and the recorder is built from them (and
 * from the environment and system properties, which win) and installed as the global
 * {@link Radiograph#recorder()}:
 *
 * <pre>{@code
 * Vertx vertx = Vertx.vertx(new VertxOptions()
 *     .setTracingOptions(new RadiographTracingOptions().setTracingName("orders")));
 * }</pre>
 *
 * or give Vert.x a factory with a recorder of your own ({@code Recorder.builder()} keeps its entity
 * on the Vert.x context while this module is on the class path; {@link
 * RadiographVertx#recorderBuilder()} says so explicitly):
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder().tracingName("orders").build();
 * Vertx vertx = Vertx.builder().withTracer(new RadiographTracerFactory(recorder)).build();
 * }</pre>
 *
 * <p>The first form finds this class through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider};
 * with another tracer's jar on the class path too, use the second form to choose.
 */
public final class RadiographTracerFactory implements VertxTracerFactory {
  static {
    // Loaded by Vert.x's service lookup while each Vert.x instance is being built, and so before
    // the instance fixes the size of its context storage.
    ContextLocals.register();
  }

  private final Recorder recorder; // null: build one from the tracing options

  /** A factory that builds its recorder from the tracing options (the service-loader form). */
  public RadiographTracerFactory() {
    this.recorder = null;
  }

  /**
   * A factory for {@code recorder}, which must keep its current entity on the Vert.x context.
   *
   * {@code Recorder.builder()} gives one while radiograph-vertx is on the class path
   * ({@link VertxSegmentContextProvider}).
   *
   * @throws IllegalArgumentException when the recorder was built with another context (given to
   *     {@code segmentContext(...)}): a thread-local context would give one request's segment to
   *     another request served on the same event loop
   */
  public RadiographTracerFactory(Recorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    if (!(recorder.segmentContext() instanceof VertxSegmentContext)) {
      throw new IllegalArgumentException("Radiograph: the recorder given to RadiographTracerFactory keeps the"
          + " current segment in " + recorder.segmentContext().getClass().getSimpleName() + "; build it with"
          + " Recorder.builder() without segmentContext(...), or RadiographVertx.recorderBuilder(), so that the"
          + " segment follows each request's callbacks");
    }
    this.recorder = recorder;
  }

  /**
   * The tracer for one Vert.x instance.
   *
   * @throws dev.radiograph.config.InvalidSettingException when a setting is invalid, naming it
   */
  @Override
  public VertxTracer<Object, Object> tracer(TracingOptions options) {
    if (recorder != null) {
      return new RadiographTracer(recorder, false);
    }
    RadiographTracingOptions settings = options instanceof RadiographTracingOptions
        ? (RadiographTracingOptions) options
        : new RadiographTracingOptions(options != null ? options.toJson() : new JsonObject());
    Recorder built = RadiographVertx.recorderBuilder().settings(settings.getSettings()).build();
    Radiograph.setRecorder(built);
    return new RadiographTracer(built, true);
  }

  @Override
  public RadiographTracingOptions newOptions() {
    return new RadiographTracingOptions();
  }

  @Override
  public RadiographTracingOptions newOptions(JsonObject json) {
    return new RadiographTracingOptions(json);
  }
}
