package dev.radiograph.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.core5.util.Timeout;

/** What the tests of both clients check about a recorded call and the headers it sent. */
final class CallAssertions {
  /** The clients' connection settings: every wait of a test bounded. */
  static final ConnectionConfig BOUNDED_CONNECTIONS = ConnectionConfig.custom()
      .setConnectTimeout(Timeout.ofSeconds(2))
      .setSocketTimeout(Timeout.ofSeconds(10))
      .build();
  static final TraceHeader UNSAMPLED_UPSTREAM =
      TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");

  private CallAssertions() {}

  /** The one subsegment of a segment document. */
  static JsonNode onlyCall(JsonNode segment) {
    assertThat(segment.get("subsegments")).hasSize(1);
    return segment.get("subsegments").get(0);
  }

  /** {@code seen} carries {@code segment}'s trace, sampled, with {@code call} as the parent, in both formats. */
  static void assertSentWithParent(Backend.TraceHeadersSeen seen, JsonNode segment, JsonNode call) {
    assertThat(seen).as("the request reached the server").isNotNull();
    TraceHeader sent = TraceHeader.parse(seen.amazon());
    assertThat(sent.root()).hasToString(segment.get("trace_id").asText());
    assertThat(sent.parentId()).isEqualTo(call.get("id").asText());
    assertThat(sent.sampled()).isEqualTo(TraceHeader.Sampled.SAMPLED);
    assertThat(seen.traceparent()).isEqualTo("00-" + segment.get("trace_id").asText().substring(2).replace("-", "")
        + "-" + call.get("id").asText() + "-01");
  }

  /** A remote call recorded with its http block. */
  static void assertRemoteCall(JsonNode call, String method, URI uri, int status) {
    assertThat(call.get("name").asText()).isEqualTo("127.0.0.1");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/method").asText()).isEqualTo(method);
    assertThat(call.at("/http/request/url").asText()).isEqualTo(uri.toString());
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(status);
    assertThat(call.get("end_time").asDouble()).isGreaterThanOrEqualTo(call.get("start_time").asDouble());
  }

  /** The statuses {@link #assertStatusesMapped} expects, in order: a call to {@code id=status-N&status=N} each. */
  static final int[] MAPPED_STATUSES = {404, 429, 503};

  /**
   * The segment holds one subsegment per call answered 404, 429 and 503, mapped to error,
   * throttle and fault. The client retries 429 and 503 once by default: each of those calls was
   * two requests, both with the call's subsegment as parent, and is still one subsegment.
   */
  static void assertStatusesMapped(JsonNode segment, Backend backend) {
    JsonNode calls = segment.get("subsegments");
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).get("error").asBoolean()).isTrue();
    assertThat(calls.get(0).has("throttle")).isFalse();
    assertThat(calls.get(0).has("fault")).isFalse();
    assertThat(calls.get(1).get("throttle").asBoolean()).isTrue();
    assertThat(calls.get(1).get("error").asBoolean()).isTrue();
    assertThat(calls.get(2).get("fault").asBoolean()).isTrue();
    assertThat(calls.get(2).has("error")).isFalse();
    assertThat(backend.requests("status-404")).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      assertThat(calls.get(i).at("/http/response/status").asInt()).isEqualTo(MAPPED_STATUSES[i]);
      assertSentWithParent(backend.headers("status-" + MAPPED_STATUSES[i]), segment, calls.get(i));
    }
    assertThat(backend.requests("status-429")).as("retried once").isEqualTo(2);
    assertThat(backend.requests("status-503")).as("retried once").isEqualTo(2);
  }

  /** {@code seen} continues {@link #UNSAMPLED_UPSTREAM}'s trace with its decision, in both formats. */
  static void assertSentUnsampled(Backend.TraceHeadersSeen seen) {
    TraceHeader sent = TraceHeader.parse(seen.amazon());
    assertThat(sent.root()).isEqualTo(UNSAMPLED_UPSTREAM.root());
    assertThat(sent.sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
    assertThat(seen.traceparent()).startsWith("00-5759e988bd862e3fe1be46a994272793-").endsWith("-00");
  }

  /** Segment documents by name, asserting that the names are distinct. */
  static Map<String, JsonNode> byName(List<JsonNode> documents) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode document : documents) {
      assertThat(byName.put(document.get("name").asText(), document)).isNull();
    }
    return byName;
  }

  /**
   * Each of {@code count} calls, made inside its own segment named {@code prefix + i} to
   * {@code id=prefix + i}, was recorded under that segment and sent it on as the parent.
   */
  static void assertEachCallUnderItsOwnSegment(List<JsonNode> documents, String prefix, int count, Backend backend) {
    assertThat(documents).hasSize(count);
    Map<String, JsonNode> byName = byName(documents);
    for (int i = 0; i < count; i++) {
      JsonNode document = byName.get(prefix + i);
      assertThat(document).as(prefix + i).isNotNull();
      JsonNode call = onlyCall(document);
      assertThat(call.at("/http/request/url").asText()).contains("id=" + prefix + i + "&");
      assertSentWithParent(backend.headers(prefix + i), document, call);
    }
  }

  /** An address on loopback where nothing listens. */
  static URI closedPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + "/nobody-listens");
  }
}
