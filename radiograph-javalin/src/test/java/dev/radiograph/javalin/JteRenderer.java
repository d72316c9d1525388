package dev.radiograph.javalin;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gg.jte.resolve.ResourceCodeResolver;
import io.javalin.http.Context;
import io.javalin.rendering.FileRenderer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Javalin's JTE renderer ({@code io.javalin.rendering.template.JavalinJte} of
 * javalin-rendering-jte, which is not on the package registry this build reaches), line for
 * line: templates from the classpath, compiled at run time.
 */
final class JteRenderer implements FileRenderer {
  private final TemplateEngine engine = TemplateEngine.create(
      new ResourceCodeResolver("jte"), Path.of("target", "jte-classes"), ContentType.Html);

  @Override
  public String render(String filePath, Map<String, ?> model, Context context) {
    StringOutput output = new StringOutput();
    engine.render(filePath, new HashMap<String, Object>(model), output);
    return output.toString().trim();
  }
}
