package dev.radiograph.javalin;

import io.javalin.config.AppDataManager;
import io.javalin.http.Context;
import io.javalin.rendering.FileRenderer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * A {@link FileRenderer} that renders each template in a subsegment named after it, under the
 * request's segment; untraced requests render as before.
 */
final class TracedFileRenderer implements FileRenderer {
  private static final Logger LOG = System.getLogger("dev.radiograph.javalin");

  private final FileRenderer delegate;

  private TracedFileRenderer(FileRenderer delegate) {
    this.delegate = delegate;
  }

  static FileRenderer wrap(FileRenderer renderer) {
    return renderer instanceof TracedFileRenderer ? renderer : new TracedFileRenderer(renderer);
  }

  @Override
  public String render(String filePath, Map<String, ?> model, Context context) {
    TracedRequest traced = TracedRequest.of(context);
    if (traced == null) {
      return delegate.render(filePath, model, context);
    }
    return traced.render(filePath, () -> delegate.render(filePath, model, context));
  }

  /**
   * Replaces the application's configured renderer with a traced one.
   *
   * <p>RATIONALE: Javalin keeps the renderer in its app data, whose entries can be registered but
   * not replaced, and by the time a plugin starts the application has registered its own. The
   * one way to trace "whichever renderer is configured" without asking the application to wrap
   * it is to replace the entry in place. Should a later Javalin change that store, this logs how
   * to wrap the renderer by hand ({@link RadiographPlugin#tracedRenderer}) and goes on.
   */
  static void install(AppDataManager appData) {
    try {
      Field field = AppDataManager.class.getDeclaredField("data");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<Object, Object> data = (Map<Object, Object>) field.get(appData);
      Object configured = data.get(FileRendererKey);
      if (configured instanceof FileRenderer) {
        data.put(FileRendererKey, wrap((FileRenderer) configured));
      }
      // None configured: Javalin's placeholder, which only throws, is not worth tracing.
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph: template rendering is not traced: this Javalin version keeps"
          + " its file renderer where the plugin cannot wrap it. Configure"
          + " config.fileRenderer(RadiographPlugin.tracedRenderer(renderer)) instead.", e);
    }
  }
}
