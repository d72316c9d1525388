package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.SettingKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** DynamoDB (JSON 1.0 over {@code X-Amz-Target}), sync and async, against a loopback server. */
class DynamoDbTracingTest extends AwsSdkScenario {
  private static final String JSON = "application/x-amz-json-1.0";
  private static final GetItemRequest GET_ORDER = GetItemRequest.builder().tableName("orders")
      .key(Map.of("id", AttributeValue.fromS("secret-key-value"))).build();

  private FakeAwsServer dynamo;

  @BeforeEach
  void startDynamo() throws IOException {
    dynamo = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200, JSON,
        "{\"Item\":{\"id\":{\"S\":\"secret-item-value\"}}}", "x-amzn-RequestId", "ddb-req-1"));
  }

  /** An error as DynamoDB answers it: the error type in {@code __type}, a message. */
  private static FakeAwsServer.Reply dynamoError(int status, String type, String... headers) {
    return FakeAwsServer.Reply.of(status, JSON,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + type + "\"}", headers);
  }

  @AfterEach
  void stopDynamo() {
    dynamo.close();
  }

  private DynamoDbClient syncClient() {
    return configured(DynamoDbClient.builder(), dynamo.endpoint(), recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  private DynamoDbAsyncClient asyncClient() {
    return configured(DynamoDbAsyncClient.builder(), dynamo.endpoint(), recorder)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
  }

  @Test
  void aGetItemIsADynamoDbSubsegmentWithTheTableAndTheServerSawItsTraceHeader() throws IOException {
    try (DynamoDbClient client = syncClient()) {
      Segment segment = recorder.beginSegment("orders-service");
      client.getItem(GET_ORDER);
      assertThat(recorder.currentEntity()).isSameAs(segment);
      recorder.endSegment();
    }
    JsonNode doc = daemon.receiveOne(WAIT);
    JsonNode call = doc.at("/subsegments/0");
    assertThat(call.get("name").asText()).isEqualTo("DynamoDb");
    assertThat(call.get("namespace").asText()).isEqualTo("aws");
    assertThat(call.at("/aws/operation").asText()).isEqualTo("GetItem");
    assertThat(call.at("/aws/region").asText()).isEqualTo("us-east-1");
    assertThat(call.at("/aws/table_name").asText()).isEqualTo("orders");
    assertThat(call.at("/aws/request_id").asText()).isEqualTo("ddb-req-1");
    assertThat(call.at("/aws/retries").asInt()).isEqualTo(0);
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(call.at("/http/response/content_length").asInt()).isPositive();
    assertFlags(call, false, false, false);
    assertThat(doc.toString()).doesNotContain("secret-");

    FakeAwsServer.Received received = dynamo.received().get(0);
    assertThat(received.header("X-Amz-Target")).isEqualTo("DynamoDB_20120810.GetItem");
    assertThat(received.header(TraceHeader.HEADER_NAME))
        .isEqualTo("Root=" + doc.get("trace_id").asText() + ";Parent=" + call.get("id").asText() + ";Sampled=1");
  }

  @Test
  void theAwsFieldsSettingAddsTheUsersFieldsForThatRecorder(@TempDir Path dir) throws IOException {
    Path fields = dir.resolve("fields.properties");
    Files.writeString(fields, "DynamoDb.GetItem=projection:ProjectionExpression,consistent_read:ConsistentRead\n");
    try (Recorder withFields = daemon.recorderBuilder().setting(SettingKey.AWS_FIELDS, fields.toString()).build();
         DynamoDbClient client = configured(DynamoDbClient.builder(), dynamo.endpoint(), withFields)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      withFields.beginSegment("orders-service");
      client.getItem(GET_ORDER.toBuilder().projectionExpression("id, placed_at").consistentRead(true).build());
      withFields.endSegment();
    }
    JsonNode call = onlyCall();
    assertThat(call.at("/aws/table_name").asText()).isEqualTo("orders"); // the built-in fields stay
    assertThat(call.at("/aws/projection").asText()).isEqualTo("id, placed_at");
    assertThat(call.at("/aws/consistent_read").asBoolean()).isTrue();
  }

  @Test
  void batchOperationsNameTheirTables() throws IOException {
    dynamo.answerNext(FakeAwsServer.Reply.of(200, JSON, "{\"Responses\":{}}"));
    try (DynamoDbClient client = syncClient()) {
      recorder.beginSegment("orders-service");
      KeysAndAttributes keys = KeysAndAttributes.builder().keys(Map.of("id", AttributeValue.fromS("secret-1"))).build();
      client.batchGetItem(b -> b.requestItems(Map.of("orders", keys, "customers", keys)));
      recorder.endSegment();
    }
    JsonNode call = onlyCall();
    assertThat(call.at("/aws/operation").asText()).isEqualTo("BatchGetItem");
    List<String> tables = new ArrayList<>();
    call.at("/aws/table_names").forEach(t -> tables.add(t.asText()));
    assertThat(tables).containsExactlyInAnyOrder("orders", "customers");
    assertThat(call.toString()).doesNotContain("secret-");
  }

  @Test
  void a500ThenA200CountsOneRetryAndEachAttemptCarriesTheHeader() throws IOException {
    dynamo.answerNext(dynamoError(500, "InternalServerError"));
    try (DynamoDbClient client = syncClient()) {
      inSegment("orders-service", () -> client.getItem(GET_ORDER));
    }
    JsonNode call = onlyCall();
    assertThat(call.at("/aws/retries").asInt()).isEqualTo(1);
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    assertFlags(call, false, false, false);
    assertThat(dynamo.received()).hasSize(2)
        .allSatisfy(r -> assertThat(parentOf(r.header(TraceHeader.HEADER_NAME))).isEqualTo(call.get("id").asText()));
  }

  @Test
  void throttlingIsThrottleAndErrorAndNotFoundIsAnErrorWithTheRemoteException() throws IOException {
    dynamo.answerNext(dynamoError(400, "ThrottlingException"), dynamoError(400, "ThrottlingException"),
        dynamoError(400, "ThrottlingException", "x-amzn-RequestId", "ddb-throttled"),
        dynamoError(404, "ResourceNotFoundException",
            "x-amzn-RequestId", "ddb-missing"));
    try (DynamoDbClient client = syncClient()) {
      recorder.beginSegment("orders-service");
      assertThatThrownBy(() -> client.getItem(GET_ORDER)).isInstanceOf(DynamoDbException.class);
      assertThatThrownBy(() -> client.getItem(GET_ORDER)).isInstanceOf(ResourceNotFoundException.class);
      recorder.endSegment();
    }
    List<JsonNode> calls = UdpDaemon.subsegments(daemon.receiveOne(WAIT));
    JsonNode throttle = calls.get(0);
    assertFlags(throttle, true, true, false);
    assertThat(throttle.at("/aws/retries").asInt()).isEqualTo(2);
    assertThat(throttle.at("/aws/request_id").asText()).isEqualTo("ddb-throttled");
    assertThat(throttle.at("/http/response/status").asInt()).isEqualTo(400);
    assertThat(throttle.at("/cause/exceptions/0/remote").asBoolean()).isTrue();
    assertThat(throttle.at("/cause/exceptions/0/type").asText()).isEqualTo("ThrottlingException");

    JsonNode missing = calls.get(1);
    assertFlags(missing, false, true, false);
    assertThat(missing.at("/aws/retries").asInt()).isEqualTo(0);
    assertThat(missing.at("/aws/request_id").asText()).isEqualTo("ddb-missing");
    assertThat(missing.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(missing.at("/cause/exceptions/0/remote").asBoolean()).isTrue();
    // The AWS error code is the exception's type, as X-Ray's console shows AWS errors.
    assertThat(missing.at("/cause/exceptions/0/type").asText()).isEqualTo("ResourceNotFoundException");
  }

  @Test
  void anUnreachableEndpointIsAFault() throws IOException {
    try (DynamoDbClient client = configured(DynamoDbClient.builder(), FakeAwsServer.closedEndpoint(), recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("orders-service");
      assertThatThrownBy(() -> client.getItem(GET_ORDER)).isNotNull();
      recorder.endSegment();
    }
    JsonNode call = onlyCall();
    assertFlags(call, false, false, true);
    assertThat(call.has("http")).isFalse();
    assertThat(call.at("/aws/retries").asInt()).isEqualTo(2);
    assertThat(call.at("/cause/exceptions/0/remote").isMissingNode()).isTrue();
  }

  @Test
  void anAsyncCallBelongsToTheCallersSegmentAndLeavesItCurrent() throws Exception {
    try (DynamoDbAsyncClient client = asyncClient()) {
      Segment segment = recorder.beginSegment("orders-service");
      CompletableFuture<?> call = client.getItem(GET_ORDER);
      assertThat(recorder.currentEntity()).isSameAs(segment);
      call.get(10, TimeUnit.SECONDS);
      assertThat(recorder.currentEntity()).isSameAs(segment);
      recorder.endSegment();
    }
    JsonNode call = onlyCall();
    assertThat(call.at("/aws/table_name").asText()).isEqualTo("orders");
    assertThat(call.at("/aws/request_id").asText()).isEqualTo("ddb-req-1");
    assertThat(call.has("in_progress")).isFalse();
    assertThat(parentOf(dynamo.received().get(0).header(TraceHeader.HEADER_NAME))).isEqualTo(call.get("id").asText());
  }

  @Test
  void anAsyncFailureIsRecordedOnTheCall() throws Exception {
    dynamo.answerNext(dynamoError(404, "ResourceNotFoundException"));
    try (DynamoDbAsyncClient client = asyncClient()) {
      recorder.beginSegment("orders-service");
      CompletableFuture<?> call = client.getItem(GET_ORDER);
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ResourceNotFoundException.class);
      recorder.endSegment();
    }
    JsonNode call = onlyCall();
    assertFlags(call, false, true, false);
    assertThat(call.at("/cause/exceptions/0/remote").asBoolean()).isTrue();
  }

  @Test
  void twoHundredConcurrentAsyncCallsFromTwoHundredSegmentsEachLandUnderItsOwnSegment() throws Exception {
    int count = 200;
    Map<String, String> segmentOfTrace = new HashMap<>();
    try (DynamoDbAsyncClient client = asyncClient()) {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Segment segment = recorder.beginSegment("orders-" + i);
        segments.add(segment);
        segmentOfTrace.put(segment.traceId().toString(), segment.id());
        calls.add(client.getItem(GET_ORDER));
        recorder.setCurrentEntity(null); // the next request's segment starts on a clean thread
      }
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      segments.forEach(Segment::close);
    }
    List<JsonNode> docs = daemon.receive(count, WAIT.multipliedBy(3));
    assertThat(docs).hasSize(count);
    for (JsonNode doc : docs) {
      assertThat(doc.get("id").asText()).isEqualTo(segmentOfTrace.get(doc.get("trace_id").asText()));
      assertThat(doc.path("subsegments")).hasSize(1);
      assertThat(doc.at("/subsegments/0/name").asText()).isEqualTo("DynamoDb");
      assertThat(doc.at("/subsegments/0/aws/request_id").asText()).isEqualTo("ddb-req-1");
    }
    assertThat(dynamo.received()).hasSize(count);
  }
}
