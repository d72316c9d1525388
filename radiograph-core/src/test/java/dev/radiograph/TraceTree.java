package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entities of received documents, flattened: each entity once, with its parent's id as the
 * daemon would assemble it (nesting, or {@code parent_id} on a subsegment sent on its own).
 */
public final class TraceTree {
  public final Map<String, JsonNode> byId = new HashMap<>();
  public final Map<String, String> parentOf = new HashMap<>();
  public final List<String> seen = new ArrayList<>();

  public static TraceTree of(List<JsonNode> documents) {
    TraceTree tree = new TraceTree();
    for (JsonNode doc : documents) {
      String parent = doc.has("type") ? doc.get("parent_id").asText() : null;
      tree.add(doc, parent);
    }
    return tree;
  }

  private void add(JsonNode entity, String parentId) {
    String id = entity.get("id").asText();
    seen.add(id);
    JsonNode earlier = byId.get(id);
    if (earlier != null && earlier.has("end_time") && !entity.has("end_time")) {
      return; // an in-progress copy never replaces a finished one
    }
    byId.put(id, entity); // otherwise a later document replaces an earlier one, as in X-Ray
    parentOf.put(id, parentId);
    JsonNode subs = entity.get("subsegments");
    if (subs != null) {
      for (JsonNode sub : subs) {
        add(sub, id);
      }
    }
  }

  /** Asserts no entity arrived twice. */
  public TraceTree assertNoDuplicates() {
    assertThat(seen).as("entities sent more than once").doesNotHaveDuplicates();
    return this;
  }

  public List<JsonNode> named(String name) {
    List<JsonNode> result = new ArrayList<>();
    for (JsonNode node : byId.values()) {
      if (node.get("name").asText().equals(name)) {
        result.add(node);
      }
    }
    return result;
  }

  public String parentOf(JsonNode entity) {
    return parentOf.get(entity.get("id").asText());
  }
}
