package dev.radiograph.javalin;

import io.javalin.http.Context;
import io.javalin.rendering.FileRenderer;
import java.util.HashMap;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.web.servlet.IServletWebExchange;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * Javalin's Thymeleaf renderer ({@code io.javalin.rendering.template.JavalinThymeleaf} of
 * javalin-rendering-thymeleaf, which is not on the package registry this build reaches), line
 * for line: a web context built from the request, templates from the classpath.
 */
final class ThymeleafRenderer implements FileRenderer {
  private final TemplateEngine engine = new TemplateEngine();

  ThymeleafRenderer() {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setPrefix("thymeleaf/");
    engine.setTemplateResolver(resolver);
  }

  @Override
  public String render(String filePath, Map<String, ?> model, Context context) {
    JakartaServletWebApplication application =
        JakartaServletWebApplication.buildApplication(context.req().getServletContext());
    IServletWebExchange exchange = application.buildExchange(context.req(), context.res());
    return engine.process(filePath, new WebContext(exchange, exchange.getLocale(), new HashMap<String, Object>(model)));
  }
}
