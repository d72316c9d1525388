package dev.radiograph.demo;

import io.javalin.http.Context;
import io.javalin.rendering.FileRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's template engine, as small as one can be: {@code templates/NAME} from the class
 * path, with each <code>{{key}}</code> replaced by the model's value, HTML-escaped. Javalin calls it
 * for {@code ctx.render(...)}, and RadiographPlugin times each call as a subsegment.
 */
final class DemoTemplates implements FileRenderer {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

  private final Map<String, String> templates = new ConcurrentHashMap<>();

  @Override
  public String render(String filePath, Map<String, ?> model, Context context) {
    String template = templates.computeIfAbsent(filePath, DemoTemplates::load);
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (matcher.find()) {
      Object value = model.get(matcher.group(1));
      matcher.appendReplacement(out, Matcher.quoteReplacement(escape(value == null ? "" : value.toString())));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String load(String name) {
    try (InputStream in = DemoTemplates.class.getResourceAsStream("/templates/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no template templates/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
