package dev.radiograph.daemon.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code --logs-url} template: a link from the viewer to the user's log search, filled with
 * a trace's or an entity's ids, for example {@code http://localhost:3000/explore?query={traceId}}.
 *
 * <p>The template is checked once, at start-up, so that the viewer can trust its shape: an
 * absolute {@code http}/{@code https} URL whose scheme and host are literal text (a value can
 * never change where the link goes, and a {@code javascript:} link cannot be written), with only
 * the {@link #PLACEHOLDERS known placeholders}. A literal brace is written {@code %7B}/{@code %7D}.
 * The daemon hands the viewer the template already split into {@link #parts()}, so the page
 * never parses it; the viewer fills placeholders exactly as {@link #expand} does.
 */
public final class LogsUrlTemplate {
  /** The placeholder names, in the order error messages list them. */
  public static final List<String> PLACEHOLDERS =
      List.of("traceId", "xrayTraceId", "spanId", "service", "start", "end");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");
  private static final Pattern XRAY_TRACE_ID = Pattern.compile("1-([0-9a-f]{8})-([0-9a-f]{24})");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String text;
  private final List<Part> parts;

  private LogsUrlTemplate(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  /**
   * Checks and splits a template.
   *
   * @throws IllegalArgumentException saying what is wrong, naming the flag
   */
  public static LogsUrlTemplate parse(String template) {
    Objects.requireNonNull(template, "template");
    String lower = template.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("--logs-url must be an absolute http:// or https:// URL, got '" + template + "'");
    }
    List<Part> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int literalStart = 0;
    while (m.find()) {
      addLiteral(parts, template, literalStart, m.start());
      String name = m.group(1);
      if (!PLACEHOLDERS.contains(name)) {
        throw new IllegalArgumentException("--logs-url: unknown placeholder {" + name + "}; the placeholders are "
            + known() + " (write a literal brace as %7B or %7D)");
      }
      parts.add(new Part(null, name));
      literalStart = m.end();
    }
    addLiteral(parts, template, literalStart, template.length());
    int authorityEnd = authorityEnd(template);
    if (parts.get(0).placeholder() != null || parts.get(0).text().length() < authorityEnd) {
      // Values are encoded, but a host that comes from a trace would still send the reader anywhere.
      throw new IllegalArgumentException("--logs-url: placeholders may be used in the path, query or fragment,"
          + " not in the scheme or host, got '" + template + "'");
    }
    URI uri;
    try {
      uri = new URI(expand(parts, Map.of()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--logs-url is not a valid URL: " + e.getMessage());
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--logs-url needs a host name, got '" + template + "'");
    }
    return new LogsUrlTemplate(template, parts);
  }

  private static void addLiteral(List<Part> parts, String template, int start, int end) {
    String literal = template.substring(start, end);
    int brace = -1;
    for (int i = 0; i < literal.length() && brace < 0; i++) {
      brace = literal.charAt(i) == '{' || literal.charAt(i) == '}' ? i : -1;
    }
    if (brace >= 0) {
      throw new IllegalArgumentException("--logs-url: unmatched brace at index " + (start + brace)
          + " in '" + template + "'; the placeholders are " + known() + " (write a literal brace as %7B or %7D)");
    }
    if (!literal.isEmpty()) {
      parts.add(new Part(literal, null));
    }
  }

  /** Where the host and port end: the first {@code /}, {@code ?} or {@code #} after {@code ://}. */
  private static int authorityEnd(String template) {
    int from = template.indexOf("://") + 3;
    for (int i = from; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return template.length();
  }

  private static String known() {
    return PLACEHOLDERS.stream().map(p -> "{" + p + "}").collect(Collectors.joining(", "));
  }

  /** The template as the user wrote it. */
  public String text() {
    return text;
  }

  /** Literal text and placeholders, in order; what the viewer fills in. */
  public List<Part> parts() {
    return parts;
  }

  /**
   * The link for {@code values} (placeholder name to value): each value percent-encoded as a
   * URI component, a missing one left empty. The viewer's {@code logs.js} does the same.
   */
  public String expand(Map<String, String> values) {
    return expand(parts, values);
  }

  private static String expand(List<Part> parts, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      out.append(part.placeholder() == null ? part.text() : encode(values.getOrDefault(part.placeholder(), "")));
    }
    return out.toString();
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters ({@code A-Z a-z 0-9 - . _ ~}). */
  static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * The W3C form of an X-Ray trace id, the {@code traceId} that Spring Boot, Micrometer and
   * OpenTelemetry log: {@code 1-5759e988-bd862e3fe1be46a994272793} is
   * {@code 5759e988bd862e3fe1be46a994272793}; empty for anything else.
   */
  public static String w3cTraceId(String xrayTraceId) {
    Matcher m = XRAY_TRACE_ID.matcher(xrayTraceId);
    return m.matches() ? m.group(1) + m.group(2) : "";
  }

  @Override
  public String toString() {
    return text;
  }

  /** Literal {@code text}, or the name of a {@code placeholder}; exactly one is non-null. */
  public record Part(String text, String placeholder) {}
}
