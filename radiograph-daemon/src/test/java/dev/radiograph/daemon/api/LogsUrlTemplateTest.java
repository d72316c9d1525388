package dev.radiograph.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.daemon.api.LogsUrlTemplate.Part;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogsUrlTemplateTest {
  @Test
  void splitsIntoLiteralTextAndPlaceholders() {
    LogsUrlTemplate template = LogsUrlTemplate.parse("http://localhost:3000/explore?query={traceId}&span={spanId}");
    assertThat(template.text()).isEqualTo("http://localhost:3000/explore?query={traceId}&span={spanId}");
    assertThat(template.parts()).containsExactly(
        new Part("http://localhost:3000/explore?query=", null),
        new Part(null, "traceId"),
        new Part("&span=", null),
        new Part(null, "spanId"));
    assertThat(LogsUrlTemplate.parse("https://logs.example.com/search").parts())
        .containsExactly(new Part("https://logs.example.com/search", null));
  }

  @Test
  void fillsEveryPlaceholderWithItsValueEncoded() {
    LogsUrlTemplate template = LogsUrlTemplate.parse(
        "http://127.0.0.1:3100/logs/{service}?t={traceId}&x={xrayTraceId}&s={spanId}&from={start}&to={end}#{service}");
    String href = template.expand(Map.of(
        "traceId", "5759e988bd862e3fe1be46a994272793",
        "xrayTraceId", "1-5759e988-bd862e3fe1be46a994272793",
        "spanId", "53995c3f42cd8ad8",
        "service", "orders & billing/v2",
        "start", "1700000000123",
        "end", "1700000000456"));
    assertThat(href).isEqualTo("http://127.0.0.1:3100/logs/orders%20%26%20billing%2Fv2"
        + "?t=5759e988bd862e3fe1be46a994272793&x=1-5759e988-bd862e3fe1be46a994272793&s=53995c3f42cd8ad8"
        + "&from=1700000000123&to=1700000000456#orders%20%26%20billing%2Fv2");
  }

  @Test
  void encodesEverythingButUnreservedCharacters() {
    assertThat(LogsUrlTemplate.encode("\"><script>alert(1)</script>"))
        .isEqualTo("%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
    assertThat(LogsUrlTemplate.encode("a-b.c_d~e")).isEqualTo("a-b.c_d~e");
    assertThat(LogsUrlTemplate.encode("!'*?=#+ ")).isEqualTo("%21%27%2A%3F%3D%23%2B%20");
    assertThat(LogsUrlTemplate.encode("café")).isEqualTo("caf%C3%A9");
    assertThat(LogsUrlTemplate.encode("javascript:x")).isEqualTo("javascript%3Ax");
  }

  @Test
  void aMissingValueIsLeftEmpty() {
    assertThat(LogsUrlTemplate.parse("http://h/?s={spanId}&t={traceId}").expand(Map.of("traceId", "abc")))
        .isEqualTo("http://h/?s=&t=abc");
  }

  @Test
  void w3cTraceIdDropsTheVersionAndTheDashes() {
    assertThat(LogsUrlTemplate.w3cTraceId("1-5759e988-bd862e3fe1be46a994272793"))
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(LogsUrlTemplate.w3cTraceId("5759e988bd862e3fe1be46a994272793")).isEmpty();
    assertThat(LogsUrlTemplate.w3cTraceId("1-5759e988-bd862e3fe1be46a99427279")).isEmpty();
  }

  @Test
  void onlyAbsoluteHttpAndHttpsUrls() {
    assertThat(LogsUrlTemplate.parse("HTTPS://Logs.Example.com/?q={traceId}").text()).startsWith("HTTPS://");
    for (String bad : new String[] {"javascript:alert(1)//{traceId}", "ftp://host/{traceId}", "/explore?q={traceId}",
        "localhost:3000/explore", "data:text/html,{traceId}", " http://h/", ""}) {
      assertThatThrownBy(() -> LogsUrlTemplate.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--logs-url must be an absolute http:// or https:// URL");
    }
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http:///path"))
        .hasMessageContaining("--logs-url needs a host name");
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://host/a path?q={traceId}"))
        .hasMessageStartingWith("--logs-url is not a valid URL: Illegal character in path");
  }

  @Test
  void unknownPlaceholdersAreRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://h/?q={trace_id}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--logs-url: unknown placeholder {trace_id}; the placeholders are {traceId}, {xrayTraceId},"
            + " {spanId}, {service}, {start}, {end} (write a literal brace as %7B or %7D)");
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://h/?q={}"))
        .hasMessageContaining("unknown placeholder {}");
    // A Loki selector typed with literal braces: the message says how to write them.
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://h/?q={job=\"app\"}"))
        .hasMessageContaining("unknown placeholder {job=\"app\"}").hasMessageContaining("%7B");
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://h/?q={traceId"))
        .hasMessageContaining("unmatched brace at index 12").hasMessageContaining("{traceId}, {xrayTraceId}");
    assertThatThrownBy(() -> LogsUrlTemplate.parse("http://h/?q=traceId}"))
        .hasMessageContaining("unmatched brace at index 19");
  }

  @Test
  void theSchemeAndHostAreLiteral() {
    for (String bad : new String[] {"http://{service}.logs.example.com/", "http://logs{service}/x", "http://h:{start}/",
        "http://{traceId}"}) {
      assertThatThrownBy(() -> LogsUrlTemplate.parse(bad))
          .as(bad)
          .hasMessageContaining("placeholders may be used in the path, query or fragment, not in the scheme or host");
    }
    assertThat(LogsUrlTemplate.parse("http://h?q={traceId}").parts()).hasSize(2);
    assertThat(LogsUrlTemplate.parse("http://h#{traceId}").parts()).hasSize(2);
  }

  @Test
  void theReadmesGrafanaExampleIsAccepted() {
    LogsUrlTemplate grafana = LogsUrlTemplate.parse("http://localhost:3000/explore?orgId=1&left=%7B%22datasource%22:"
        + "%22loki%22,%22queries%22:%5B%7B%22refId%22:%22A%22,%22expr%22:%22%7Bservice_name%3D%5C%22{service}%5C%22%7D"
        + "%20%7C%3D%20%5C%22{traceId}%5C%22%22%7D%5D,%22range%22:%7B%22from%22:%22{start}%22,%22to%22:%22{end}%22%7D%7D");
    assertThat(grafana.parts()).filteredOn(p -> p.placeholder() != null).extracting(Part::placeholder)
        .containsExactly("service", "traceId", "start", "end");
  }
}
