package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Large segments are split so that every datagram fits and every subsegment arrives once. */
class StreamingTest {

  /** Walks a document (and its nested subsegments), noting each entity's id and parent. */
  private static void collect(JsonNode entity, String parentId, Map<String, String> parentOf, List<String> seen) {
    String id = entity.get("id").asText();
    seen.add(id);
    String declaredParent = entity.has("parent_id") && entity.has("type") ? entity.get("parent_id").asText() : parentId;
    parentOf.put(id, declaredParent);
    JsonNode subs = entity.get("subsegments");
    if (subs != null) {
      for (JsonNode sub : subs) {
        collect(sub, id, parentOf, seen);
      }
    }
  }

  @Test
  void thousandSubsegmentsArriveCompleteEachExactlyOnce() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().build()) {
      Segment segment = recorder.beginSegment("big");
      Map<String, String> expectedParent = new HashMap<>();
      for (int i = 0; i < 1000; i++) {
        Subsegment sub = recorder.beginSubsegment("sub-" + i);
        sub.putAnnotation("index", i);
        sub.putMetadata("payload", "p".repeat(100));
        expectedParent.put(sub.id(), segment.id());
        if (i % 10 == 0) { // some nesting too
          Subsegment child = recorder.beginSubsegment("child-" + i);
          expectedParent.put(child.id(), sub.id());
          recorder.endSubsegment();
        }
        recorder.endSubsegment();
      }
      recorder.endSegment();
      assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();

      List<JsonNode> docs = daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(1500));
      assertThat(docs.size()).as("streamed in several datagrams").isGreaterThan(5);
      Map<String, String> parentOf = new HashMap<>();
      List<String> seen = new java.util.ArrayList<>();
      for (JsonNode doc : docs) {
        assertThat(doc.get("trace_id").asText()).isEqualTo(segment.traceId().toString());
        if (doc.has("type")) {
          assertThat(doc.get("type").asText()).isEqualTo("subsegment");
          assertThat(doc.get("end_time").isNumber()).isTrue();
          collect(doc, doc.get("parent_id").asText(), parentOf, seen);
        } else {
          collect(doc, null, parentOf, seen);
        }
      }
      Set<String> unique = new HashSet<>(seen);
      assertThat(seen).as("no entity sent twice").hasSameSizeAs(unique);
      assertThat(unique).contains(segment.id());
      assertThat(unique.size()).isEqualTo(1 + 1000 + 100);
      expectedParent.forEach((id, parent) -> assertThat(parentOf.get(id)).as("parent of %s", id).isEqualTo(parent));
      assertThat(daemon.rawDatagrams()).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(65_507));
    }
  }

  @Test
  void segmentTooLargeForOneDatagramIsSplitWithoutLoss() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().streamingThreshold(10_000).build()) {
      Segment segment = recorder.beginSegment("wide");
      for (int i = 0; i < 60; i++) {
        Subsegment sub = recorder.beginSubsegment("sub-" + i);
        sub.putMetadata("blob", "b".repeat(3000)); // ~180 KB in all
        recorder.endSubsegment();
      }
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(10));
      List<JsonNode> docs = daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(1000));
      Map<String, String> parentOf = new HashMap<>();
      List<String> seen = new java.util.ArrayList<>();
      for (JsonNode doc : docs) {
        collect(doc, doc.has("type") ? doc.get("parent_id").asText() : null, parentOf, seen);
      }
      assertThat(seen).hasSize(61).doesNotHaveDuplicates();
      assertThat(daemon.rawDatagrams()).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(65_507));
      assertThat(recorder.truncatedDocuments()).isZero();
    }
  }

  @Test
  void entityTooLargeOnItsOwnIsShrunkNotLost() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().build()) {
      Segment segment = recorder.beginSegment("huge");
      segment.putMetadata("blob", "x".repeat(200_000));
      segment.putAnnotation("kept", "yes");
      recorder.endSegment();
      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.get("id").asText()).isEqualTo(segment.id());
      assertThat(doc.has("metadata")).isFalse();
      assertThat(doc.at("/annotations/kept").asText()).isEqualTo("yes");
      assertThat(recorder.truncatedDocuments()).isEqualTo(1);
    }
  }
}
