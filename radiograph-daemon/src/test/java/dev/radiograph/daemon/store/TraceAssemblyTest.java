package dev.radiograph.daemon.store;

import static dev.radiograph.daemon.DaemonApiTestSupport.entities;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streamed subsegments go back under their parents; hostile parent links are cut, not followed. */
class TraceAssemblyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "1-5759e988-000000000000000000000001";

  private static DocumentSummary doc(int id, String parent, boolean subsegment, String extra) {
    return DocumentSummary.parse(String.format(Locale.ROOT,
        "{\"name\":\"n%d\",\"id\":\"%016x\",\"trace_id\":\"%s\",\"start_time\":1000,\"end_time\":1001%s%s%s}",
        id, id, TRACE, parent == null ? "" : ",\"parent_id\":\"" + parent + "\"",
        subsegment ? ",\"type\":\"subsegment\"" : "", extra));
  }

  private static String hex(int id) {
    return String.format(Locale.ROOT, "%016x", id);
  }

  @Test
  void aStreamedSubsegmentReplacesItsInProgressCopyInPlace() throws Exception {
    MemoryTraceStore store = new MemoryTraceStore(10, Long.MAX_VALUE);
    store.add(doc(1, null, false, ",\"subsegments\":[{\"name\":\"early\",\"id\":\"" + hex(2)
        + "\",\"start_time\":1000,\"in_progress\":true},{\"name\":\"other\",\"id\":\"" + hex(3)
        + "\",\"start_time\":1000,\"end_time\":1000.5}]"));
    store.add(doc(2, hex(1), true, ""));
    store.add(doc(4, hex(2), true, "")); // nested under the streamed one
    Map<String, String> segments = TraceAssembly.segments(store.get(TRACE));
    assertThat(segments).containsOnlyKeys(hex(1));
    JsonNode root = JSON.readTree(segments.get(hex(1)));
    assertThat(root.at("/subsegments/0/name").asText()).isEqualTo("n2");
    assertThat(root.at("/subsegments/0/in_progress").isMissingNode()).isTrue();
    assertThat(root.at("/subsegments/0/type").isMissingNode()).isTrue();
    assertThat(root.at("/subsegments/0/subsegments/0/name").asText()).isEqualTo("n4");
    assertThat(root.at("/subsegments/1/name").asText()).isEqualTo("other");
    assertThat(entities(root)).isEqualTo(4);
  }

  @Test
  void parentsThatFormACycleAreReturnedOnTheirOwn() throws Exception {
    MemoryTraceStore store = new MemoryTraceStore(10, Long.MAX_VALUE);
    store.add(doc(1, hex(2), true, ""));
    store.add(doc(2, hex(3), true, ""));
    store.add(doc(3, hex(1), true, ""));
    store.add(doc(5, hex(5), true, "")); // its own parent
    Map<String, String> segments = TraceAssembly.segments(store.get(TRACE));
    int total = 0;
    for (String text : segments.values()) {
      total += entities(JSON.readTree(text));
    }
    assertThat(total).as("every document once, none lost in the cycle").isEqualTo(4);
    assertThat(segments).containsKey(hex(5));
  }

  @Test
  void aChainDeeperThanTheLimitIsCut() throws Exception {
    MemoryTraceStore store = new MemoryTraceStore(10, Long.MAX_VALUE);
    store.add(doc(1, null, false, ""));
    int chain = TraceAssembly.MAX_DEPTH + 50;
    for (int i = 2; i <= chain; i++) {
      store.add(doc(i, hex(i - 1), true, ""));
    }
    Map<String, String> segments = TraceAssembly.segments(store.get(TRACE));
    assertThat(segments).hasSize(2).containsKey(hex(1));
    int total = 0;
    for (String text : segments.values()) {
      total += entities(JSON.readTree(text));
    }
    assertThat(total).isEqualTo(chain);
  }

  @Test
  void fortyThousandStreamedSubsegmentsAreAssembledUnderOneSegment() throws Exception {
    MemoryTraceStore store = new MemoryTraceStore(10, Long.MAX_VALUE);
    for (int i = 2; i <= 40_001; i++) {
      store.add(doc(i, hex(1), true, ""));
    }
    store.add(doc(1, null, false, ""));
    Map<String, String> segments = TraceAssembly.segments(store.get(TRACE));
    assertThat(segments).containsOnlyKeys(hex(1));
    assertThat(entities(JSON.readTree(segments.get(hex(1))))).isEqualTo(40_001);
  }
}
