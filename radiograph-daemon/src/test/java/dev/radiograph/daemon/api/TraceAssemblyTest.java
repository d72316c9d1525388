package dev.radiograph.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.store.DocumentSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Putting subsegments sent on their own back under their parents, on documents as the daemon parses them. */
class TraceAssemblyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272793";

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build());
  }

  private static String id(int n) {
    return String.format("%016x", 0x1000L + n);
  }

  private static DocumentSummary segment(String id, String inner) {
    return DocumentSummary.parse("{\"name\":\"root\",\"id\":\"" + id + "\",\"trace_id\":\"" + TRACE + "\","
        + "\"start_time\":1,\"end_time\":2" + inner + "}");
  }

  private static DocumentSummary subsegment(String id, String parent, String inner) {
    return DocumentSummary.parse("{\"type\":\"subsegment\",\"name\":\"sub-" + id + "\",\"id\":\"" + id + "\",\"trace_id\":\""
        + TRACE + "\",\"parent_id\":\"" + parent + "\",\"start_time\":1,\"end_time\":2" + inner + "}");
  }

  private static int count(JsonNode entity) {
    int n = 1;
    for (JsonNode sub : entity.path("subsegments")) {
      n += count(sub);
    }
    return n;
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }

  @Test
  void aCopySentOnItsOwnReplacesTheInProgressOneAndLosesItsOwnFields() throws Exception {
    String child = id(1);
    Map<String, String> result = TraceAssembly.assemble(List.of(
        segment(id(0), ",\"subsegments\":[{\"name\":\"sub\",\"id\":\"" + child + "\",\"start_time\":1,\"in_progress\":true}]"),
        subsegment(child, id(0), "")));
    assertThat(result).containsOnlyKeys(id(0));
    JsonNode subs = JSON.readTree(result.get(id(0))).get("subsegments");
    assertThat(subs).hasSize(1);
    assertThat(subs.get(0).get("end_time").asInt()).isEqualTo(2);
    assertThat(subs.get(0).has("type")).isFalse();
    assertThat(subs.get(0).has("parent_id")).isFalse();
  }

  @Test
  void parentsThatLeadBackToThemselvesAreReturnedOnTheirOwn() {
    Map<String, String> result = TraceAssembly.assemble(List.of(subsegment(id(1), id(2), ""), subsegment(id(2), id(1), "")));
    assertThat(result).hasSize(1); // one of the two holds the other; neither is lost
    assertThat(result.values().iterator().next()).contains(id(1)).contains(id(2));
  }

  @Test
  void aChainSentOneByOneIsReturnedInPiecesWithinTheNestingLimit() throws Exception {
    int links = 1000;
    List<DocumentSummary> documents = new ArrayList<>();
    documents.add(segment(id(0), ""));
    for (int i = 1; i <= links; i++) {
      documents.add(subsegment(id(i), id(i - 1), ""));
    }
    Map<String, String> result = TraceAssembly.assemble(documents);
    int entities = 0;
    for (String document : result.values()) {
      JsonNode node = JSON.readTree(document);
      assertThat(depth(node)).isLessThanOrEqualTo(Json.MAX_DEPTH);
      entities += count(node);
    }
    assertThat(entities).isEqualTo(links + 1);
    assertThat(result).hasSizeGreaterThan(1).containsKey(id(0));
  }

  @Test
  void manySiblingsSentOnTheirOwnAllComeBackUnderTheirParent() throws Exception {
    int siblings = 5000;
    List<DocumentSummary> documents = new ArrayList<>();
    documents.add(segment(id(0), ""));
    for (int i = 1; i <= siblings; i++) {
      documents.add(subsegment(id(i), id(0), ""));
    }
    Map<String, String> result = TraceAssembly.assemble(documents);
    assertThat(result).containsOnlyKeys(id(0));
    assertThat(count(JSON.readTree(result.get(id(0))))).isEqualTo(siblings + 1);
  }

  @Test
  void documentsWithNothingToAttachAreReturnedAsReceived() {
    DocumentSummary only = segment(id(0), ",\"annotations\":{\"n\":1.50}");
    assertThat(TraceAssembly.assemble(List.of(only))).containsEntry(id(0), only.text());
  }
}
