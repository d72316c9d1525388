package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.emit.Emitter;
import dev.radiograph.emit.EmitterStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The SDK's OTLP export is the inverse of the daemon's OTLP ingest: the same documents, sent to
 * one daemon over UDP and to another as OTLP spans, come back from BatchGetTraces equal (on the
 * fields docs/otlp-mapping.md covers).
 */
class OtlpRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Hands every document to both emitters: one recording, two transports. */
  private static final class BothEmitters implements Emitter {
    private final Emitter first;
    private final Emitter second;

    BothEmitters(Emitter first, Emitter second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public boolean send(byte[] document) {
      return first.send(document) & second.send(document);
    }

    @Override
    public EmitterStats stats() {
      return first.stats();
    }

    @Override
    public boolean flush(Duration timeout) {
      return first.flush(timeout) & second.flush(timeout);
    }

    @Override
    public void close() {
      first.close();
      second.close();
    }
  }

  private static JsonNode trace(Daemon daemon, String traceId) throws Exception {
    JsonNode result = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[\"" + traceId + "\"]}"));
    JsonNode segments = result.at("/Traces/0/Segments");
    assertThat(segments).hasSize(1);
    return normalized(JSON.readTree(segments.get(0).get("Document").asText()), true);
  }

  /** Leaves out what the mapping does not carry and how a subsegment was sent (nested or alone). */
  private static JsonNode normalized(JsonNode entity, boolean top) {
    ObjectNode copy = entity.deepCopy();
    if (copy.has("cause")) {
      ((ObjectNode) copy.get("cause")).remove("working_directory");
    }
    if (!top) {
      copy.remove(List.of("type", "trace_id", "parent_id"));
    }
    if (copy.has("subsegments")) {
      List<JsonNode> children = new ArrayList<>();
      copy.get("subsegments").forEach(child -> children.add(normalized(child, false)));
      children.sort(Comparator.comparing(c -> c.get("id").asText()));
      ArrayNode sorted = JSON.createArrayNode();
      children.forEach(sorted::add);
      copy.set("subsegments", sorted);
    }
    return copy;
  }

  @Test
  void aDocumentSentAsOtlpComesBackAsTheDocumentSentOverUdp() throws Exception {
    try (Daemon udpDaemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
        Daemon otlpDaemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .otlpHttp("127.0.0.1:0").build())) {
      Emitter both = new BothEmitters(Emitter.udp("127.0.0.1:" + udpDaemon.udpPort()),
          Emitter.otlp(URI.create("http://127.0.0.1:" + otlpDaemon.otlpHttpPort() + "/v1/traces"), Map.of(), "orders"));
      String traceId;
      try (Recorder recorder = Recorder.builder().environment(Map.of()).systemProperties(new Properties())
          .sampling(false).emitter(both).build()) {
        Segment segment = recorder.beginSegment("orders");
        traceId = segment.traceId().toString();
        segment.putHttp("method", "POST");
        segment.putHttp("url", "http://orders.local/checkout");
        segment.putHttp("user_agent", "curl/8");
        segment.putHttp("client_ip", "10.0.0.7");
        segment.putHttp("x_forwarded_for", true);
        segment.putHttp("status", 201);
        segment.putHttp("content_length", 512);
        segment.setUser("alice");
        segment.putService("version", "1.2.3");
        segment.putAnnotation("customer", "c-42");
        segment.putAnnotation("items", 3);
        segment.putAnnotation("ratio", 0.5);
        segment.putAnnotation("vip", true);
        segment.putMetadata("cart", Map.of("total", 12.5, "lines", List.of("a", "b")));
        segment.putMetadata("billing", "invoice", Map.of("id", "inv-1"));

        Subsegment call = recorder.beginSubsegment("inventory.local");
        call.setNamespace("remote");
        call.putHttp("method", "GET");
        call.putHttp("url", "http://inventory.local/stock");
        call.putHttp("traced", true);
        call.putHttp("status", 503);
        recorder.endSubsegment();

        Subsegment throttled = recorder.beginSubsegment("rates.local");
        throttled.setNamespace("remote");
        throttled.putHttp("status", 429);
        recorder.endSubsegment();

        Subsegment db = recorder.beginSubsegment("orders@db.local");
        db.setNamespace("remote");
        db.putSql("url", "jdbc:postgresql://db.local:5432/orders");
        db.putSql("sanitized_query", "INSERT INTO orders VALUES (?, ?)");
        db.putSql("database_type", "PostgreSQL");
        db.putSql("database_version", "16.2");
        db.putSql("driver_version", "42.7");
        db.putSql("user", "app");
        recorder.endSubsegment();

        Subsegment dynamo = recorder.beginSubsegment("DynamoDB");
        dynamo.setNamespace("aws");
        dynamo.putAws("operation", "PutItem");
        dynamo.putAws("region", "eu-west-1");
        dynamo.putAws("table_name", "orders");
        dynamo.putAws("request_id", "R123");
        dynamo.putAws("retries", 1);
        recorder.endSubsegment();

        Subsegment work = recorder.beginSubsegment("price");
        work.setError(true);
        work.addException(new IllegalStateException("no price", new IllegalArgumentException("bad item")));
        Subsegment inner = recorder.beginSubsegment("lookup");
        inner.putAnnotation("cache", "miss");
        recorder.endSubsegment();
        recorder.endSubsegment();
        recorder.endSegment();
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
      }
      assertThat(udpDaemon.awaitDocuments(1, Duration.ofSeconds(10))).isTrue();
      assertThat(otlpDaemon.awaitDocuments(7, Duration.ofSeconds(10))).as(() -> "" + otlpDaemon.store().stats()).isTrue();
      JsonNode overUdp = trace(udpDaemon, traceId);
      JsonNode overOtlp = trace(otlpDaemon, traceId);
      assertThat(overUdp.path("subsegments")).hasSize(5);
      JsonNode price = null;
      for (JsonNode sub : overUdp.path("subsegments")) {
        price = sub.path("name").asText().equals("price") ? sub : price;
      }
      assertThat(price.at("/cause/exceptions")).hasSize(2);
      // Objects compare by their members, not their order.
      assertThat(overOtlp).isEqualTo(overUdp);
    }
  }
}
