package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.SettingKey;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * The global registration (the SDK's {@code execution.interceptors} resource), the explicit
 * form, both on one client, the setting, X-Ray's own calls, and calls outside any segment.
 */
class InterceptorRegistrationTest extends AwsSdkScenario {
  private static final GetItemRequest GET_ORDERS = GetItemRequest.builder().tableName("orders").key(Map.of()).build();

  private FakeAwsServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200, "application/x-amz-json-1.0", "{}",
        "x-amzn-RequestId", "req-1"));
  }

  @AfterEach
  void stop() {
    server.close();
    // Leave no closed recorder behind as the global one.
    Radiograph.setRecorder(Recorder.builder().environment(Map.of()).systemProperties(new Properties())
        .enabled(false).build());
  }

  private DynamoDbClient dynamo(boolean explicit) {
    return (explicit ? configured(DynamoDbClient.builder(), server.endpoint(), recorder)
        : configuredWithout(DynamoDbClient.builder(), server.endpoint()))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @Test
  void theDependencyAloneInstrumentsEveryClientWithTheGlobalRecorder() throws IOException {
    Radiograph.setRecorder(recorder);
    try (DynamoDbClient client = dynamo(false)) {
      inSegment("orders-service", () -> client.getItem(GET_ORDERS));
    }
    JsonNode call = onlyCall();
    assertThat(call.at("/aws/table_name").asText()).isEqualTo("orders");
    assertThat(parentOf(server.received().get(0).header(TraceHeader.HEADER_NAME))).isEqualTo(call.get("id").asText());
  }

  @Test
  void aClientWithBothInterceptorsIsRecordedOnceByTheExplicitOne() throws IOException {
    try (UdpDaemon otherDaemon = new UdpDaemon(); Recorder global = otherDaemon.recorderBuilder().build()) {
      Radiograph.setRecorder(global);
      try (DynamoDbClient client = dynamo(true)) {
        inSegment("orders-service", () -> client.getItem(GET_ORDERS));
      }
      onlyCall();
      assertThat(server.received().get(0).headers().get(TraceHeader.HEADER_NAME)).hasSize(1);
      assertThat(otherDaemon.receiveAll(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void theSettingTurnsTheGlobalRegistrationOffAndLeavesTheExplicitOneOn() throws IOException {
    try (Recorder off = daemon.recorderBuilder().setting(SettingKey.AWS_SDK_GLOBAL_INTERCEPTOR, "false").build()) {
      Radiograph.setRecorder(off);
      try (DynamoDbClient global = dynamo(false)) {
        off.beginSegment("orders-service");
        global.getItem(b -> b.tableName("orders").key(Map.of()));
        off.endSegment();
      }
      assertThat(UdpDaemon.subsegments(daemon.receiveOne(WAIT))).isEmpty();
      assertThat(server.received().get(0).header(TraceHeader.HEADER_NAME)).isNull();
    }
    try (DynamoDbClient explicit = dynamo(true)) {
      recorder.beginSegment("orders-service");
      explicit.getItem(b -> b.tableName("orders").key(Map.of()));
      recorder.endSegment();
    }
    assertThat(daemon.receive(2, WAIT).get(1).at("/subsegments/0/name").asText()).isEqualTo("DynamoDb");
  }

  @Test
  void callsToXRayItselfAreNeverTraced() throws IOException {
    server.answerNext(FakeAwsServer.Reply.of(200, "application/json", "{\"SamplingRuleRecords\":[]}"));
    try (XRayClient xray = configured(XRayClient.builder(), server.endpoint(), recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("daemon-like");
      xray.getSamplingRules(b -> { });
      recorder.endSegment();
    }
    assertThat(UdpDaemon.subsegments(daemon.receiveOne(WAIT))).isEmpty();
    assertThat(server.received().get(0).path()).isEqualTo("/GetSamplingRules");
    assertThat(server.received().get(0).header(TraceHeader.HEADER_NAME)).isNull();
  }

  @Test
  void outsideASegmentTheCallGoesOnUntracedUnderLogError() throws IOException {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.radiograph");
    java.util.List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        messages.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(capture);
    try (DynamoDbClient client = dynamo(true)) {
      client.getItem(GET_ORDERS);
    } finally {
      log.removeHandler(capture);
    }
    // The log names this test, the caller, not the SDK's interceptor chain between it and Radiograph.
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("called from " + getClass().getName()));
    assertThat(server.received()).hasSize(1);
    assertThat(server.received().get(0).header(TraceHeader.HEADER_NAME)).isNull();
    assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
  }

  /** RUNTIME_ERROR: the user asked for calls outside a segment to fail; they fail before anything is sent. */
  @Test
  void outsideASegmentUnderRuntimeErrorTheCallFailsBeforeItIsSent() {
    try (Recorder strict = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build();
         DynamoDbClient client = configured(DynamoDbClient.builder(), server.endpoint(), strict)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThatThrownBy(() -> client.getItem(GET_ORDERS))
          .satisfies(thrown -> assertThat(rootOrSelf(thrown)).isInstanceOf(SegmentNotFoundException.class));
    }
    assertThat(server.received()).isEmpty();
  }

  private static Throwable rootOrSelf(Throwable thrown) {
    Throwable t = thrown;
    while (!(t instanceof SegmentNotFoundException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
