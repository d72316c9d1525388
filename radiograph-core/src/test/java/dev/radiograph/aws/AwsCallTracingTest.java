package dev.radiograph.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.RecordingTest;
import dev.radiograph.Segment;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shared AWS call subsegment, checked on the documents a real UDP socket receives. */
class AwsCallTracingTest extends RecordingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aCallIsAnAwsSubsegmentNamedAfterTheServiceWithTheAwsBlock() throws IOException {
    Segment segment = recorder.beginSegment("orders");
    AwsCallTracing.Call call = AwsCallTracing.begin(recorder, AwsOperation.builder("DynamoDb", "GetItem")
        .region("eu-west-1").accountId("123456789012").resource("table_name", "orders").build());
    Map<String, String> headers = new HashMap<>();
    call.propagate(headers::put);
    String subsegmentId = recorder.currentSubsegment().id();
    call.end(AwsOutcome.builder().status(200).contentLength(87).requestId("REQ1").retries(0).build());
    assertThat(recorder.currentEntity()).isSameAs(segment);
    recorder.endSegment();

    JsonNode doc = daemon.receiveOne(WAIT);
    JsonNode call0 = doc.at("/subsegments/0");
    assertThat(call0.get("name").asText()).isEqualTo("DynamoDb");
    assertThat(call0.get("namespace").asText()).isEqualTo("aws");
    assertThat(call0.at("/aws/operation").asText()).isEqualTo("GetItem");
    assertThat(call0.at("/aws/region").asText()).isEqualTo("eu-west-1");
    assertThat(call0.at("/aws/account_id").asText()).isEqualTo("123456789012");
    assertThat(call0.at("/aws/table_name").asText()).isEqualTo("orders");
    assertThat(call0.at("/aws/request_id").asText()).isEqualTo("REQ1");
    assertThat(call0.at("/aws/retries").asInt()).isEqualTo(0);
    assertThat(call0.at("/aws/id_2").isMissingNode()).isTrue();
    assertThat(call0.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(call0.at("/http/response/content_length").asInt()).isEqualTo(87);
    assertThat(call0.has("error")).isFalse();
    assertThat(call0.has("fault")).isFalse();
    assertThat(call0.has("throttle")).isFalse();
    assertThat(headers).containsOnlyKeys(TraceHeader.HEADER_NAME);
    assertThat(headers.get(TraceHeader.HEADER_NAME))
        .isEqualTo("Root=" + doc.get("trace_id").asText() + ";Parent=" + subsegmentId + ";Sampled=1");
    assertThat(call0.get("id").asText()).isEqualTo(subsegmentId);
  }

  @Test
  void theStatusMappingSharedByTheAwsSdks() throws IOException {
    recorder.beginSegment("orders");
    end("DynamoDb", AwsOutcome.builder().status(400).errorCode("ThrottlingException")
        .failure(new IllegalStateException("Rate exceeded")).retries(3));
    end("S3", AwsOutcome.builder().status(503).errorCode("SlowDown").id2("ID2")
        .failure(new IllegalStateException("Please reduce your request rate")));
    end("Sqs", AwsOutcome.builder().status(429));
    end("DynamoDb", AwsOutcome.builder().status(400).errorCode("ProvisionedThroughputExceededException")
        .failure(new IllegalStateException("throughput")));
    end("Lambda", AwsOutcome.builder().status(404).errorCode("ResourceNotFoundException")
        .failure(new IllegalStateException("Function not found")));
    end("Sns", AwsOutcome.builder().status(500).errorCode("InternalError")
        .failure(new IllegalStateException("We encountered an internal error")));
    AwsCallTracing.begin(recorder, AwsOperation.builder("Kinesis", "PutRecord").build())
        .end(AwsOutcome.clientFailure(new ConnectException("Connection refused")));
    recorder.endSegment();

    List<JsonNode> calls = UdpDaemon.subsegments(daemon.receiveOne(WAIT));
    assertFlags(calls.get(0), true, true, false);
    assertThat(calls.get(0).at("/aws/retries").asInt()).isEqualTo(3);
    assertThat(calls.get(0).at("/cause/exceptions/0/remote").asBoolean()).isTrue();
    assertFlags(calls.get(1), true, true, false); // S3 throttles with 503 SlowDown: not a fault
    assertThat(calls.get(1).at("/aws/id_2").asText()).isEqualTo("ID2");
    assertFlags(calls.get(2), true, true, false);
    assertFlags(calls.get(3), true, true, false);
    assertFlags(calls.get(4), false, true, false);
    assertThat(calls.get(4).at("/cause/exceptions/0/remote").asBoolean()).isTrue();
    assertThat(calls.get(4).at("/cause/exceptions/0/message").asText()).isEqualTo("Function not found");
    // The service's error code is the type, as X-Ray's console shows AWS errors.
    assertThat(calls.get(4).at("/cause/exceptions/0/type").asText()).isEqualTo("ResourceNotFoundException");
    assertFlags(calls.get(5), false, false, true);
    assertThat(calls.get(5).at("/cause/exceptions/0/remote").asBoolean()).isTrue();
    JsonNode refused = calls.get(6);
    assertFlags(refused, false, false, true);
    assertThat(refused.at("/cause/exceptions/0/type").asText()).isEqualTo("java.net.ConnectException");
    assertThat(refused.at("/cause/exceptions/0/remote").isMissingNode()).isTrue();
    assertThat(refused.has("http")).isFalse();
  }

  @Test
  void resourcesAreNamesAndIdsNeverPayloads() throws IOException {
    recorder.beginSegment("orders");
    AwsCallTracing.begin(recorder, AwsOperation.builder("DynamoDb", "BatchGetItem")
            .resource("table_names", List.of("orders", "customers"))
            .resource("item", Map.of("card", "payload-card"))
            .resource("body", "payload-body".getBytes())
            .resource("keys", List.of(Map.of("id", "payload-key")))
            .resource("operation", "Hijacked")
            .resource("bad key", "x")
            .resource("key", "k".repeat(AwsFields.MAX_VALUE_LENGTH + 10))
            .resource("consistent_read", true)
            .build())
        .end(AwsOutcome.builder().status(200).resource("message_id", "m-1").resource("request_id", "spoofed")
            .requestId("REQ2").build());
    recorder.endSegment();

    JsonNode doc = daemon.receiveOne(WAIT);
    JsonNode aws = doc.at("/subsegments/0/aws");
    List<String> fields = new ArrayList<>();
    aws.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("operation", "table_names", "key", "consistent_read", "message_id",
        "request_id");
    assertThat(aws.get("operation").asText()).isEqualTo("BatchGetItem");
    assertThat(aws.get("table_names").toString()).isEqualTo("[\"orders\",\"customers\"]");
    assertThat(aws.get("key").asText()).hasSize(AwsFields.MAX_VALUE_LENGTH);
    assertThat(aws.get("request_id").asText()).isEqualTo("REQ2");
    assertThat(doc.toString()).doesNotContain("payload-").doesNotContain("Hijacked");
  }

  @Test
  void anAsynchronousCallLeavesTheCallerCurrentAndEndsOnAnotherThread() throws Exception {
    Segment segment = recorder.beginSegment("orders");
    AwsCallTracing.Call call = AwsCallTracing.beginAsync(recorder, AwsOperation.builder("Sqs", "SendMessage")
        .resource("queue_url", "http://127.0.0.1:9324/000000000000/orders").build());
    assertThat(recorder.currentEntity()).isSameAs(segment);
    Map<String, String> headers = new HashMap<>();
    CompletableFuture.runAsync(() -> {
      call.propagate(headers::put);
      call.end(AwsOutcome.builder().status(200).resource("message_id", "m-2").build());
    }).get();
    recorder.endSegment();

    JsonNode doc = daemon.receiveOne(WAIT);
    JsonNode send = doc.at("/subsegments/0");
    assertThat(send.at("/aws/queue_url").asText()).endsWith("/orders");
    assertThat(send.at("/aws/message_id").asText()).isEqualTo("m-2");
    assertThat(send.has("in_progress")).isFalse();
    assertThat(headers.get(TraceHeader.HEADER_NAME)).contains("Parent=" + send.get("id").asText());
  }

  @Test
  void anUnsampledCallPropagatesSampledZeroAndOutsideASegmentTheStrategyApplies() throws IOException {
    recorder.beginSegment("orders", TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
    AwsCallTracing.Call unsampled = AwsCallTracing.begin(recorder, AwsOperation.builder("S3", "GetObject").build());
    Map<String, String> headers = new HashMap<>();
    unsampled.propagate(headers::put);
    unsampled.end(AwsOutcome.builder().status(200).build());
    recorder.endSegment();
    assertThat(headers.get(TraceHeader.HEADER_NAME))
        .startsWith("Root=1-5759e988-bd862e3fe1be46a994272793").endsWith("Sampled=0");

    Map<String, String> outside = new HashMap<>();
    AwsCallTracing.Call orphan = AwsCallTracing.begin(recorder, AwsOperation.builder("S3", "GetObject").build());
    orphan.propagate(outside::put); // LOG_ERROR: logged, no trace to continue
    orphan.end(AwsOutcome.builder().status(200).build());
    assertThat(outside).isEmpty();
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();

    try (Recorder strict = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build()) {
      assertThatThrownBy(() -> AwsCallTracing.begin(strict, AwsOperation.builder("S3", "GetObject").build()))
          .isInstanceOf(SegmentNotFoundException.class);
    }
  }

  private void end(String service, AwsOutcome.Builder outcome) {
    AwsCallTracing.begin(recorder, AwsOperation.builder(service, "Call").build()).end(outcome.build());
  }

  private static void assertFlags(JsonNode call, boolean throttle, boolean error, boolean fault) {
    assertThat(call.path("throttle").asBoolean()).as("throttle of %s", call).isEqualTo(throttle);
    assertThat(call.path("error").asBoolean()).as("error of %s", call).isEqualTo(error);
    assertThat(call.path("fault").asBoolean()).as("fault of %s", call).isEqualTo(fault);
  }
}
