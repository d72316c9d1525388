package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a recorder sends, as received on a real UDP socket and parsed by a real JSON parser. */
class RecorderEmissionTest extends RecordingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void anAsyncSubsegmentLeavesTheCallersEntityCurrentAndEndsFromAnotherThread() throws Exception {
    Segment segment = recorder.beginSegment("api");
    Subsegment call = recorder.beginAsyncSubsegment("async-call");
    assertThat(recorder.currentEntity()).isSameAs(segment);
    assertThat(call.parent()).isSameAs(segment);
    Thread completer = new Thread(call::close);
    completer.start();
    completer.join(5_000);
    recorder.endSegment();
    JsonNode doc = daemon.receive(1, WAIT).get(0);
    assertThat(doc.at("/subsegments/0/name").asText()).isEqualTo("async-call");
    assertThat(doc.at("/subsegments/0/in_progress").isMissingNode()).isTrue();
  }

  @Test
  void segmentWithSubsegmentsArrivesAsOneValidDocument() throws IOException {
    long before = System.currentTimeMillis();
    Segment segment = recorder.beginSegment("checkout");
    for (int i = 0; i < 3; i++) {
      Subsegment sub = recorder.beginSubsegment("step-" + i);
      sub.putAnnotation("step", i);
      sub.putAnnotation("label", "s" + i);
      sub.putAnnotation("odd", i % 2 == 1);
      recorder.endSubsegment();
    }
    segment.putAnnotation("ratio", 0.25);
    recorder.endSegment();
    long after = System.currentTimeMillis();

    List<JsonNode> docs = daemon.receive(1, WAIT);
    assertThat(docs).hasSize(1);
    JsonNode doc = docs.get(0);
    assertThat(doc.get("name").asText()).isEqualTo("checkout");
    assertThat(doc.get("id").asText()).matches("[0-9a-f]{16}");
    assertThat(doc.get("trace_id").asText()).matches("1-[0-9a-f]{8}-[0-9a-f]{24}");
    assertThat(doc.get("trace_id").asText()).isEqualTo(segment.traceId().toString());
    assertThat(doc.has("parent_id")).isFalse();
    assertThat(doc.has("in_progress")).isFalse();
    double start = doc.get("start_time").asDouble();
    double end = doc.get("end_time").asDouble();
    assertThat(start).isBetween(before / 1000.0 - 1, after / 1000.0 + 1);
    assertThat(end).isGreaterThanOrEqualTo(start).isLessThanOrEqualTo(after / 1000.0 + 1);
    // Microsecond precision: six decimals in the text.
    assertThat(new String(daemon.rawDatagrams().get(0), java.nio.charset.StandardCharsets.UTF_8))
        .containsPattern("\"start_time\":\\d{10}\\.\\d{6},")
        .containsPattern("\"end_time\":\\d{10}\\.\\d{6},");
    assertThat(doc.at("/annotations/ratio").isDouble()).isTrue();
    assertThat(doc.at("/aws/xray/sdk").asText()).isEqualTo("Radiograph for Java");

    JsonNode subs = doc.get("subsegments");
    assertThat(subs).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode sub = subs.get(i);
      assertThat(sub.get("name").asText()).isEqualTo("step-" + i);
      assertThat(sub.get("id").asText()).matches("[0-9a-f]{16}").isNotEqualTo(doc.get("id").asText());
      assertThat(sub.has("trace_id")).as("embedded subsegments carry no trace_id").isFalse();
      assertThat(sub.at("/annotations/step").isIntegralNumber()).isTrue();
      assertThat(sub.at("/annotations/step").asInt()).isEqualTo(i);
      assertThat(sub.at("/annotations/label").isTextual()).isTrue();
      assertThat(sub.at("/annotations/odd").isBoolean()).isTrue();
      assertThat(sub.get("start_time").asDouble()).isGreaterThanOrEqualTo(start);
      assertThat(sub.get("end_time").asDouble()).isLessThanOrEqualTo(end);
    }
  }

  @Test
  void continuesTheIncomingTraceAndLinksToTheCaller() throws IOException {
    TraceHeader incoming = TraceHeader.parse(
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1");
    Segment segment = recorder.beginSegment("api", incoming);
    Subsegment call = recorder.beginSubsegment("downstream");
    TraceHeader outgoing = call.traceHeader();
    recorder.endSubsegment();
    recorder.endSegment();

    assertThat(outgoing.root()).isEqualTo(incoming.root());
    assertThat(outgoing.parentId()).isEqualTo(call.id());
    assertThat(outgoing.sampled()).isEqualTo(TraceHeader.Sampled.SAMPLED);
    assertThat(outgoing.lineage()).isEqualTo("a87bd80c:1");

    JsonNode doc = daemon.receive(1, WAIT).get(0);
    assertThat(doc.get("trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(doc.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
    assertThat(doc.get("id").asText()).isEqualTo(segment.id());
    assertThat(doc.at("/subsegments/0/id").asText()).isEqualTo(call.id());
  }

  @Test
  void unsampledRequestSendsNothingButPropagatesTheTrace() throws IOException {
    TraceHeader incoming = TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
    Segment segment = recorder.beginSegment("api", incoming);
    Subsegment sub = recorder.beginSubsegment("db");
    sub.putAnnotation("ignored", 1);
    assertThat(sub.isSampled()).isFalse();
    assertThat(recorder.currentSubsegment()).isSameAs(sub);
    TraceHeader outgoing = recorder.currentSubsegment().traceHeader();
    recorder.endSubsegment();
    recorder.endSegment();

    assertThat(segment.isSampled()).isFalse();
    assertThat(outgoing.root().toString()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(outgoing.sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
    assertThat(recorder.currentEntity()).isNull();
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void httpBlockAndStatusMapping() throws IOException {
    Segment segment = recorder.beginSegment("web");
    segment.putHttp("method", "GET");
    segment.putHttp("url", "http://localhost/users/7?q=1");
    segment.putHttp("client_ip", "10.0.0.1");
    segment.putHttp("x_forwarded_for", true);
    segment.putHttp("status", 429);
    segment.putHttp("content_length", 12L);
    segment.putHttp("bogus", "dropped");
    segment.setUser("alice");
    segment.putService("version", "1.2.3");
    recorder.endSegment();

    JsonNode doc = daemon.receive(1, WAIT).get(0);
    assertThat(doc.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(doc.at("/http/request/x_forwarded_for").asBoolean()).isTrue();
    assertThat(doc.at("/http/response/status").asInt()).isEqualTo(429);
    assertThat(doc.at("/http/response/content_length").asInt()).isEqualTo(12);
    assertThat(doc.at("/http/request/bogus").isMissingNode()).isTrue();
    assertThat(doc.get("throttle").asBoolean()).isTrue();
    assertThat(doc.get("error").asBoolean()).isTrue();
    assertThat(doc.has("fault")).isFalse();
    assertThat(doc.get("user").asText()).isEqualTo("alice");
    assertThat(doc.at("/service/version").asText()).isEqualTo("1.2.3");
  }

  @Test
  void statusCodesMapToErrorFaultThrottle() {
    Map<Integer, String> expected = Map.of(200, "", 404, "error", 429, "error throttle", 500, "fault", 503, "fault");
    expected.forEach((status, flags) -> {
      Segment segment = recorder.beginSegment("s");
      segment.putHttp("status", status);
      String actual = (segment.isError() ? "error " : "") + (segment.isThrottle() ? "throttle " : "")
          + (segment.isFault() ? "fault " : "");
      assertThat(actual.trim()).as("status %d", status).isEqualTo(flags);
      recorder.endSegment();
    });
  }

  @Test
  void traceLambdaRecordsTheExceptionEndsTheSubsegmentAndRethrows() throws IOException {
    recorder.beginSegment("jobs");
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(() -> recorder.trace("work", () -> {
      throw failure;
    })).isSameAs(failure);
    String value = recorder.trace("compute", () -> "done");
    int annotated = recorder.trace("annotated", sub -> {
      sub.putAnnotation("k", "v");
      return 42;
    });
    assertThat(value).isEqualTo("done");
    assertThat(annotated).isEqualTo(42);
    Segment segment = recorder.currentSegment();
    segment.addException(failure); // the same exception reaching the segment: referenced by id
    recorder.endSegment();

    JsonNode doc = daemon.receive(1, WAIT).get(0);
    JsonNode work = doc.at("/subsegments/0");
    assertThat(work.get("fault").asBoolean()).isTrue();
    JsonNode exception = work.at("/cause/exceptions/0");
    assertThat(exception.get("id").asText()).matches("[0-9a-f]{16}");
    assertThat(exception.get("message").asText()).isEqualTo("boom");
    assertThat(exception.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(exception.at("/stack/0/label").asText()).contains("RecorderEmissionTest");
    assertThat(exception.at("/stack/0/path").asText()).isEqualTo("RecorderEmissionTest.java");
    assertThat(exception.at("/stack/0/line").asInt()).isPositive();
    assertThat(work.at("/cause/working_directory").isTextual()).isTrue();
    assertThat(doc.get("cause").isTextual()).as("segment cause refers to the recorded exception").isTrue();
    assertThat(doc.get("cause").asText()).isEqualTo(exception.get("id").asText());
    assertThat(doc.at("/subsegments/1/fault").isMissingNode()).isTrue();
    assertThat(doc.at("/subsegments/2/annotations/k").asText()).isEqualTo("v");
  }

  @Test
  void exceptionChainsLinkCausesAndCapStacks() throws IOException {
    recorder.beginSegment("chain");
    RuntimeException root = new RuntimeException("root");
    RuntimeException middle = new RuntimeException("middle", root);
    RuntimeException top = new RuntimeException("top", middle);
    recorder.currentSegment().addException(top, true);
    Subsegment deep = recorder.beginSubsegment("deep");
    deep.addException(deepException(200));
    recorder.endSubsegment();
    recorder.endSegment();

    JsonNode doc = daemon.receive(1, WAIT).get(0);
    JsonNode exceptions = doc.at("/cause/exceptions");
    assertThat(exceptions).hasSize(3);
    assertThat(exceptions.get(0).get("remote").asBoolean()).isTrue();
    assertThat(exceptions.get(0).get("cause").asText()).isEqualTo(exceptions.get(1).get("id").asText());
    assertThat(exceptions.get(1).get("cause").asText()).isEqualTo(exceptions.get(2).get("id").asText());
    assertThat(exceptions.get(2).has("cause")).isFalse();
    JsonNode deepException = doc.at("/subsegments/0/cause/exceptions/0");
    assertThat(deepException.get("stack")).hasSize(50);
    assertThat(deepException.get("truncated").asInt()).isGreaterThan(150);
  }

  @Test
  void longCauseChainsAreCutWithSkippedCount() throws IOException {
    recorder.beginSegment("long-chain");
    Throwable chain = new RuntimeException("0");
    for (int i = 1; i < 15; i++) {
      chain = new RuntimeException(Integer.toString(i), chain);
    }
    recorder.currentSegment().addException(chain);
    recorder.endSegment();
    JsonNode exceptions = daemon.receive(1, WAIT).get(0).at("/cause/exceptions");
    assertThat(exceptions).hasSize(10);
    assertThat(exceptions.get(9).get("skipped").asInt()).isEqualTo(5);
  }

  private static RuntimeException deepException(int depth) {
    if (depth == 0) {
      return new RuntimeException("deep");
    }
    return deepException(depth - 1);
  }

  @Test
  void invalidInputIsSanitizedOrDropped() throws IOException {
    Segment segment = recorder.beginSegment("bad<name>\u0007" + "x".repeat(300));
    segment.putAnnotation("bad key", "dropped");
    segment.putAnnotation("ok_key", "v".repeat(2000));
    segment.putAnnotation("nan", Double.NaN);
    for (int i = 0; i < 60; i++) {
      segment.putAnnotation("a" + i, i);
    }
    segment.putMetadata("AWS.reserved", "k", "dropped");
    segment.putMetadata("app", "weird", "quote\" backslash\\ newline\n tab\t nul\u0000 emoji\uD83D\uDE00 lone\uD800");
    recorder.endSegment();

    JsonNode doc = daemon.receive(1, WAIT).get(0);
    assertThat(doc.get("name").asText()).startsWith("bad_name__").hasSize(200);
    JsonNode annotations = doc.get("annotations");
    assertThat(annotations.has("bad key")).isFalse();
    assertThat(annotations.has("nan")).isFalse();
    assertThat(annotations.get("ok_key").asText()).hasSize(1000);
    assertThat(annotations.size()).isEqualTo(50);
    assertThat(doc.at("/metadata/AWS.reserved").isMissingNode()).isTrue();
    assertThat(doc.at("/metadata/app/weird").asText())
        .isEqualTo("quote\" backslash\\ newline\n tab\t nul\u0000 emoji\uD83D\uDE00 lone\uFFFD");
  }

  @Test
  void metadataKeepsJsonTypesAndRecords() throws IOException {
    record Order(String id, int items, List<String> tags) {}
    Segment segment = recorder.beginSegment("meta");
    segment.putMetadata("order", new Order("o-1", 3, List.of("a", "b")));
    segment.putMetadata("numbers", new int[] {1, 2, 3});
    segment.putMetadata("map", Map.of("nested", Map.of("x", true)));
    segment.putMetadata("nothing", null);
    recorder.endSegment();

    JsonNode meta = daemon.receive(1, WAIT).get(0).at("/metadata/default");
    assertThat(meta.at("/order/id").asText()).isEqualTo("o-1");
    assertThat(meta.at("/order/items").asInt()).isEqualTo(3);
    assertThat(meta.at("/order/tags/1").asText()).isEqualTo("b");
    assertThat(meta.at("/numbers/2").asInt()).isEqualTo(3);
    assertThat(meta.at("/map/nested/x").asBoolean()).isTrue();
    assertThat(meta.get("nothing").isNull()).isTrue();
  }

  @Test
  void segmentWaitsForSubsegmentsStillRunning() throws Exception {
    Segment segment = recorder.beginSegment("async");
    Subsegment background = recorder.beginSubsegment("background");
    recorder.setCurrentEntity(segment);
    recorder.endSegment();
    assertThat(daemon.receiveAll(Duration.ofMillis(200))).as("not sent while a subsegment runs").isEmpty();
    background.close();
    JsonNode doc = daemon.receive(1, WAIT).get(0);
    assertThat(doc.at("/subsegments/0/name").asText()).isEqualTo("background");
    assertThat(doc.at("/subsegments/0/end_time").isNumber()).isTrue();
  }

  @Test
  void subsegmentEndedAfterItsSegmentWasSentIsSentOnItsOwn() throws Exception {
    Segment segment = recorder.beginSegment("fire-and-forget");
    recorder.endSegment();
    // Late work that still holds the segment (captured context) begins and ends a subsegment.
    recorder.setCurrentEntity(segment);
    Subsegment late = recorder.beginSubsegment("late");
    recorder.setCurrentEntity(null);
    late.close();
    recorder.flush(WAIT);
    // Serialization happens on the sender thread: the late subsegment is either in the segment's
    // document (when it ended first) or sent on its own; either way exactly once, complete.
    TraceTree tree = TraceTree.of(daemon.receive(2, Duration.ofMillis(800))).assertNoDuplicates();
    List<JsonNode> lateDocs = tree.named("late");
    assertThat(lateDocs).hasSize(1);
    assertThat(lateDocs.get(0).get("end_time").isNumber()).isTrue();
    assertThat(tree.parentOf(lateDocs.get(0))).isEqualTo(segment.id());
  }

  @Test
  void subsegmentEndedAfterItsSegmentWasWrittenIsSentOnItsOwn() throws Exception {
    Segment segment = recorder.beginSegment("fire-and-forget");
    recorder.endSegment();
    recorder.flush(WAIT); // the segment's document is written and sent
    recorder.setCurrentEntity(segment);
    Subsegment late = recorder.beginSubsegment("late");
    recorder.setCurrentEntity(null);
    late.close();
    List<JsonNode> docs = daemon.receive(2, WAIT);
    assertThat(docs).hasSize(2);
    JsonNode lateDoc = docs.get(1);
    assertThat(lateDoc.get("type").asText()).isEqualTo("subsegment");
    assertThat(lateDoc.get("parent_id").asText()).isEqualTo(segment.id());
    assertThat(lateDoc.get("trace_id").asText()).isEqualTo(segment.traceId().toString());
  }

  @Test
  void closingTwiceAndEndingWithoutContextIsHarmless() throws IOException {
    Segment segment = recorder.beginSegment("twice");
    segment.close();
    segment.close();
    recorder.endSegment(); // nothing current: logged, not thrown
    recorder.endSubsegment();
    assertThat(daemon.receive(1, WAIT)).hasSize(1);
    assertThat(daemon.receiveAll(Duration.ofMillis(200))).hasSize(1);
  }
}
