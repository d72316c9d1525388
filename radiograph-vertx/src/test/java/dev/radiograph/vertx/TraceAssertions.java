package dev.radiograph.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading received documents: subsegments by URL, and the headers a call carried downstream. */
final class TraceAssertions {
  private TraceAssertions() {}

  /** The direct subsegments of {@code entity}. */
  static List<JsonNode> subsegments(JsonNode entity) {
    List<JsonNode> result = new ArrayList<>();
    JsonNode subsegments = entity.get("subsegments");
    if (subsegments != null) {
      subsegments.forEach(result::add);
    }
    return result;
  }

  /** The one direct subsegment of {@code entity} whose http url ends with {@code suffix}. */
  static JsonNode callTo(JsonNode entity, String urlSuffix) {
    List<JsonNode> matches = new ArrayList<>();
    for (JsonNode subsegment : subsegments(entity)) {
      if (subsegment.at("/http/request/url").asText().endsWith(urlSuffix)) {
        matches.add(subsegment);
      }
    }
    assertThat(matches).as("subsegments calling ...%s", urlSuffix).hasSize(1);
    return matches.get(0);
  }

  /** Asserts that the downstream service received headers naming {@code call} as its parent. */
  static void assertPropagated(Map<String, String> received, JsonNode document, JsonNode call) {
    assertThat(received).as("headers received downstream").isNotNull();
    TraceHeader header = TraceHeader.parse(received.get(TraceHeader.HEADER_NAME));
    assertThat(header.root()).hasToString(document.get("trace_id").asText());
    assertThat(header.parentId()).isEqualTo(call.get("id").asText());
    assertThat(header.sampled()).isEqualTo(TraceHeader.Sampled.SAMPLED);
    assertThat(received.get(TraceHeader.TRACEPARENT_HEADER))
        .isEqualTo("00-" + document.get("trace_id").asText().substring(2).replace("-", "") + "-"
            + call.get("id").asText() + "-01");
  }
}
