package dev.radiograph.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/** What the tests of both clients check about a recorded call and the headers it sent. */
final class CallAssertions {
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

  /** An address on loopback where nothing listens. */
  static URI closedPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + "/nobody-listens");
  }
}
