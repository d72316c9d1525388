package dev.radiograph.javalin;

import dev.radiograph.CallSites;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.javalin.plugin.PluginPriority;
import io.javalin.rendering.FileRenderer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Traces a Javalin 7 application, as {@code XRayMiddleware(app, xray_recorder)} does for Flask:
 * one segment per request, named by {@code tracing-name} / {@code dynamic-naming}, with the
 * {@code http} block, the status mapping (429 throttle, 4xx error, 5xx fault), the route template
 * ({@code /users/{id}}) as the {@value #ROUTE_ANNOTATION} annotation (not the path's values), and
 * every {@code ctx.render(...)} as a subsegment named after the template. When a handler throws
 * and Javalin answers with a server error (its default 500 or an exception handler's 5xx), the
 * exception is the segment's cause; an exception handler that answers 4xx makes a client error.
 * A failed {@code ctx.future()} hands its exception to Javalin's exception handlers only: add it
 * there with {@code RadiographPlugin.segment(ctx).addException(e)}.
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder().tracingName("orders").build();
 * Javalin app = Javalin.create(config -> {
 *   config.fileRenderer(new JavalinJte());
 *   config.registerPlugin(new RadiographPlugin(recorder));
 * });
 * }</pre>
 *
 * <p>The segment begins before Javalin sees the request (a servlet filter placed first on
 * Javalin's Jetty context), so it covers every before-handler, and ends when the response is
 * complete: after the after-handlers, exception and error handlers, and for {@code ctx.future()}
 * when the future's response has been written. The segment is current on the request's thread
 * (a virtual thread with {@code useVirtualThreads}) and on whichever thread Javalin runs the
 * remaining handlers of an async request; work that the application hands to its own threads
 * carries it with {@link Recorder#captureContext()} or
 * {@link dev.radiograph.context.TracedExecutors}.
 *
 * <p>The plugin installs its recorder as the global one ({@link Radiograph#setRecorder}), so
 * that {@code Radiograph.currentSegment()} in a handler answers the request's segment.
 */
public final class RadiographPlugin extends Plugin<RadiographPlugin.Config> {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(RadiographPlugin.class, TracingFilter.class, TracedRequest.class, TracedFileRenderer.class, TaskTracing.class);
  }

  /** The annotation that holds the matched route template, e.g. {@code /users/{id}}. */
  public static final String ROUTE_ANNOTATION = "route";

  /** Traces with the global recorder ({@link Radiograph#recorder()}). */
  public RadiographPlugin() {
    this(config -> { });
  }

  /** Traces with {@code recorder}. */
  public RadiographPlugin(Recorder recorder) {
    this(using(recorder));
  }

  /**
   * Javalin's convention: {@code new RadiographPlugin(radiograph -> radiograph.recorder(recorder))}.
   */
  public RadiographPlugin(Consumer<Config> userConfig) {
    super(Objects.requireNonNull(userConfig, "userConfig"), new Config());
  }

  private static Consumer<Config> using(Recorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    return config -> config.recorder(recorder);
  }

  /**
   * Late, so that a file renderer configured by another plugin is found and traced too.
   */
  @Override
  public PluginPriority priority() {
    return PluginPriority.LATE;
  }

  @Override
  public void onStart(JavalinState state) {
    Recorder recorder = pluginConfig.recorder != null ? pluginConfig.recorder : Radiograph.recorder();
    Radiograph.setRecorder(recorder);
    state.jetty.modifyServletContextHandler(handler -> TracingFilter.install(handler, recorder));
    // Last in the lifecycle: it sees every task Javalin queued for the request.
    state.servletRequestLifecycle.add(new TaskTracing());
    boolean traceRendering = pluginConfig.traceRendering != null
        ? pluginConfig.traceRendering
        : recorder.config().autoInstrument();
    if (traceRendering) {
      TracedFileRenderer.install(state.appDataManager);
    }
  }

  /**
   * {@code renderer}, rendering each template in a subsegment of the request's segment. The
   * plugin wraps the configured renderer itself; this is for renderers that reach
   * {@code ctx.render} some other way.
   */
  public static FileRenderer tracedRenderer(FileRenderer renderer) {
    return TracedFileRenderer.wrap(Objects.requireNonNull(renderer, "renderer"));
  }

  /**
   * The segment of the request {@code ctx} belongs to, from any thread (an async stage, an
   * exception handler of a failed future), or {@code null} when the request is not traced.
   */
  public static Segment segment(Context ctx) {
    TracedRequest traced = TracedRequest.of(ctx);
    return traced != null ? traced.segment() : null;
  }

  /** The plugin's settings, given with {@code new RadiographPlugin(config -> ...)}. */
  public static final class Config {
    private Recorder recorder;
    private Boolean traceRendering;

    Config() {}

    /** The recorder to trace with; the global one ({@link Radiograph#recorder()}) when not set. */
    public Config recorder(Recorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /**
     * Whether {@code ctx.render(...)} calls become subsegments; by default the recorder's
     * {@code auto-instrument} setting (true unless turned off).
     */
    public Config traceRendering(boolean traceRendering) {
      this.traceRendering = traceRendering;
      return this;
    }
  }
}
