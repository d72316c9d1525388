package dev.radiograph.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shared server and client tracing steps, checked on the documents a real socket receives. */
class HttpTracingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void serverAndClientTracingFillTheHttpBlocksAndPropagate() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:" + socket.getLocalPort())
            .tracingName("api").sampling(false).environment(Map.of()).systemProperties(new Properties()).build()) {
      socket.setSoTimeout(5000);
      HttpServerTracing.Request request = HttpServerTracing.begin(recorder, PlainRequest.ADAPTER, new PlainRequest(
          "GET", "http://api.local:8080/users/7", "/users/7", "10.0.0.9", Map.of(
              "Host", "api.local:8080",
              "User-Agent", "curl/8",
              "X-Forwarded-For", "203.0.113.5, 10.0.0.1",
              "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?")));
      assertThat(request.responseHeader()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
      Map<String, String> headers = new HashMap<>();
      HttpClientTracing.Call call = HttpClientTracing.begin(recorder, "GET", URI.create("http://users.internal/u/7"), headers::put);
      assertThat(headers.get(TraceHeader.HEADER_NAME)).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=" + call.subsegment().id());
      assertThat(headers.get(TraceHeader.TRACEPARENT_HEADER)).isEqualTo(
          "00-5759e988bd862e3fe1be46a994272793-" + call.subsegment().id() + "-01");
      call.end(503, null);
      HttpClientTracing.Call failed = HttpClientTracing.begin(recorder, "POST", URI.create("http://down.internal/"), headers::put);
      failed.end(-1, new java.net.ConnectException("refused"));
      request.end(-1, 12, new IllegalStateException("boom"));
      assertThat(recorder.currentEntity()).isNull();

      DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
      socket.receive(packet);
      String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      JsonNode doc = JSON.readTree(text.substring(text.indexOf('\n') + 1));
      assertThat(doc.get("name").asText()).isEqualTo("api");
      assertThat(doc.at("/http/request/client_ip").asText()).isEqualTo("203.0.113.5");
      assertThat(doc.at("/http/request/x_forwarded_for").asBoolean()).isTrue();
      assertThat(doc.at("/http/request/method").asText()).isEqualTo("GET");
      assertThat(doc.at("/http/request/url").asText()).isEqualTo("http://api.local:8080/users/7");
      assertThat(doc.at("/http/request/user_agent").asText()).isEqualTo("curl/8");
      assertThat(doc.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
      assertThat(doc.at("/http/response/status").asInt()).isEqualTo(500);
      assertThat(doc.at("/http/response/content_length").asInt()).isEqualTo(12);
      assertThat(doc.get("fault").asBoolean()).isTrue();
      assertThat(doc.at("/cause/exceptions/0/message").asText()).isEqualTo("boom");
      JsonNode users = doc.at("/subsegments/0");
      assertThat(users.get("name").asText()).isEqualTo("users.internal");
      assertThat(users.get("namespace").asText()).isEqualTo("remote");
      assertThat(users.at("/http/request/traced").asBoolean()).isTrue();
      assertThat(users.at("/http/response/status").asInt()).isEqualTo(503);
      assertThat(users.get("fault").asBoolean()).isTrue();
      JsonNode down = doc.at("/subsegments/1");
      assertThat(down.at("/cause/exceptions/0/type").asText()).isEqualTo("java.net.ConnectException");
    }
  }

  @Test
  void withoutForwardedForTheClientIsThePeerAndATraceparentIsContinued() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:" + socket.getLocalPort())
            .setting(dev.radiograph.config.SettingKey.DYNAMIC_NAMING, "*.shop.test")
            .sampling(false).environment(Map.of()).systemProperties(new Properties()).build()) {
      socket.setSoTimeout(5000);
      HttpServerTracing.Request request = HttpServerTracing.begin(recorder, PlainRequest.ADAPTER, new PlainRequest(
          "GET", "http://eu.shop.test/", "/", "::1", Map.of(
              "Host", "eu.shop.test:8443",
              "traceparent", "00-6759e988bd862e3fe1be46a994272794-00f067aa0ba902b7-01")));
      request.end(200, -1, null);

      DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
      socket.receive(packet);
      String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      JsonNode doc = JSON.readTree(text.substring(text.indexOf('\n') + 1));
      assertThat(doc.get("name").asText()).as("dynamic naming matches the host without its port").isEqualTo("eu.shop.test");
      assertThat(doc.get("trace_id").asText()).isEqualTo("1-6759e988-bd862e3fe1be46a994272794");
      assertThat(doc.get("parent_id").asText()).isEqualTo("00f067aa0ba902b7");
      assertThat(doc.at("/http/request/client_ip").asText()).isEqualTo("::1");
      assertThat(doc.at("/http/request/x_forwarded_for").isMissingNode()).isTrue();
      assertThat(doc.at("/http/request/user_agent").isMissingNode()).isTrue();
      assertThat(doc.at("/http/response/content_length").isMissingNode()).isTrue();
    }
  }

  @Test
  void asyncCallsLeaveTheCallerCurrent() {
    try (Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:9").sampling(false)
        .environment(Map.of()).systemProperties(new Properties()).build()) {
      recorder.beginSegment("caller");
      HttpClientTracing.Call call = HttpClientTracing.beginAsync(recorder, "GET", URI.create("http://x/"), (k, v) -> { });
      assertThat(recorder.currentEntity()).isSameAs(recorder.currentSegment());
      call.end(200, null);
      assertThat(call.subsegment().isInProgress()).isFalse();
      recorder.endSegment();
    }
  }

  @Test
  void hostsAndForwardedFor() {
    assertThat(HttpServerTracing.hostWithoutPort("api.local:8080")).isEqualTo("api.local");
    assertThat(HttpServerTracing.hostWithoutPort("[::1]:8080")).isEqualTo("[::1]");
    assertThat(HttpServerTracing.hostWithoutPort("::1")).as("a bare IPv6 address has no port to cut").isEqualTo("[::1]");
    assertThat(HttpServerTracing.hostWithoutPort("[fe80::1%eth0]:8080")).isEqualTo("[fe80::1%eth0]");
    assertThat(HttpServerTracing.hostWithoutPort("localhost")).isEqualTo("localhost");
    assertThat(HttpServerTracing.hostWithoutPort("localhost:abc")).as("garbage on the wire").isNull();
    assertThat(HttpServerTracing.hostWithoutPort(null)).isNull();
    assertThat(HttpServerTracing.firstForwardedFor(" 1.2.3.4 , 5.6.7.8")).isEqualTo("1.2.3.4");
    assertThat(HttpServerTracing.firstForwardedFor(" ")).isNull();
  }
}
