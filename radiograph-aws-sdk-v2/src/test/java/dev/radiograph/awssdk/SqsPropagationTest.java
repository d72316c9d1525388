package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS (JSON 1.0) against a loopback server that keeps what was sent and hands it back on
 * {@code ReceiveMessage}, as a queue does: the producer's trace header travels in the
 * {@code AWSTraceHeader} system attribute and the consumer's segment continues the trace.
 */
class SqsPropagationTest extends AwsSdkScenario {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUEUE = "http://127.0.0.1:9324/000000000000/orders";

  private FakeAwsServer sqs;

  @BeforeEach
  void startSqs() throws IOException {
    sqs = FakeAwsServer.start(SqsPropagationTest::answer);
  }

  @AfterEach
  void stopSqs() {
    sqs.close();
  }

  /** Answers sends with their ids and checksums, and receives with the last message sent. */
  private static FakeAwsServer.Reply answer(FakeAwsServer.Received request) {
    try {
      String target = request.header("X-Amz-Target");
      ObjectNode body = (ObjectNode) JSON.readTree(request.body());
      ObjectNode reply = JSON.createObjectNode();
      if ("AmazonSQS.SendMessage".equals(target)) {
        reply.put("MessageId", "sqs-msg-1").put("MD5OfMessageBody", md5(body.get("MessageBody").asText()));
      } else if ("AmazonSQS.SendMessageBatch".equals(target)) {
        ArrayNode successful = reply.putArray("Successful");
        for (JsonNode entry : body.get("Entries")) {
          successful.addObject().put("Id", entry.get("Id").asText()).put("MessageId", "m-" + entry.get("Id").asText())
              .put("MD5OfMessageBody", md5(entry.get("MessageBody").asText()));
        }
      } else {
        throw new IllegalStateException("unexpected " + target);
      }
      return FakeAwsServer.Reply.of(200, "application/x-amz-json-1.0", reply.toString(), "x-amzn-RequestId", "sqs-req");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String md5(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      return String.format("%032x", new BigInteger(1, digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sentBody(FakeAwsServer.Received request) throws IOException {
    return JSON.readTree(request.body());
  }

  @Test
  void sendMessageCarriesAwsTraceHeaderAndTheConsumerContinuesTheTrace() throws Exception {
    try (SqsClient client = configured(SqsClient.builder(), sqs.endpoint(), recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("orders-service");
      client.sendMessage(b -> b.queueUrl(QUEUE).messageBody("secret-order-body"));
      recorder.endSegment();
    }
    JsonNode producer = daemon.receiveOne(WAIT);
    JsonNode send = producer.at("/subsegments/0");
    assertThat(send.get("name").asText()).isEqualTo("Sqs");
    assertThat(send.at("/aws/operation").asText()).isEqualTo("SendMessage");
    assertThat(send.at("/aws/queue_url").asText()).isEqualTo(QUEUE);
    assertThat(send.at("/aws/message_id").asText()).isEqualTo("sqs-msg-1");
    assertThat(producer.toString()).doesNotContain("secret-");

    FakeAwsServer.Received received = sqs.received().get(0);
    String attribute = sentBody(received).at("/MessageSystemAttributes/AWSTraceHeader/StringValue").asText();
    assertThat(sentBody(received).at("/MessageSystemAttributes/AWSTraceHeader/DataType").asText()).isEqualTo("String");
    assertThat(attribute).isEqualTo(received.header(TraceHeader.HEADER_NAME));
    assertThat(parentOf(attribute)).isEqualTo(send.get("id").asText());

    // What ReceiveMessage hands the worker: the system attributes as strings.
    Message message = Message.builder().body("secret-order-body")
        .attributesWithStrings(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER.toString(), attribute)).build();
    try (Segment worker = SqsMessageTracing.beginSegment(recorder, "worker", message.attributesAsStrings())) {
      assertThat(recorder.currentSegment()).isSameAs(worker);
    }
    JsonNode consumer = daemon.receive(2, WAIT).get(1);
    assertThat(consumer.get("name").asText()).isEqualTo("worker");
    assertThat(consumer.get("trace_id").asText()).isEqualTo(producer.get("trace_id").asText());
    assertThat(consumer.get("parent_id").asText()).isEqualTo(send.get("id").asText());
  }

  @Test
  void aBatchCarriesTheHeaderOnEachEntryAndTheCallersOwnHeaderWins() throws Exception {
    String own = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    try (SqsAsyncClient client = configured(SqsAsyncClient.builder(), sqs.endpoint(), recorder)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build()) {
      recorder.beginSegment("orders-service");
      client.sendMessageBatch(b -> b.queueUrl(QUEUE).entries(
          SendMessageBatchRequestEntry.builder().id("a").messageBody("one").build(),
          SendMessageBatchRequestEntry.builder().id("b").messageBody("two")
              .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                  MessageSystemAttributeValue.builder().dataType("String").stringValue(own).build()))
              .build())).get(10, TimeUnit.SECONDS);
      recorder.endSegment();
    }
    JsonNode batch = onlyCall();
    assertThat(batch.at("/aws/operation").asText()).isEqualTo("SendMessageBatch");
    JsonNode entries = sentBody(sqs.received().get(0)).get("Entries");
    assertThat(parentOf(entries.at("/0/MessageSystemAttributes/AWSTraceHeader/StringValue").asText()))
        .isEqualTo(batch.get("id").asText());
    assertThat(entries.at("/1/MessageSystemAttributes/AWSTraceHeader/StringValue").asText()).isEqualTo(own);
  }

  @Test
  void anUnsampledSendPropagatesSampledZeroAndAMessageWithoutHeaderStartsATrace() throws Exception {
    try (SqsClient client = configured(SqsClient.builder(), sqs.endpoint(), recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("orders-service",
          TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
      client.sendMessage(b -> b.queueUrl(QUEUE).messageBody("x"));
      recorder.endSegment();
    }
    String attribute = sentBody(sqs.received().get(0)).at("/MessageSystemAttributes/AWSTraceHeader/StringValue").asText();
    assertThat(attribute).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793").endsWith("Sampled=0");

    try (Segment worker = SqsMessageTracing.beginSegment(recorder, "worker", Map.of())) {
      assertThat(worker.traceId().toString()).isNotEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    }
    List<JsonNode> docs = daemon.receive(1, WAIT);
    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).get("name").asText()).isEqualTo("worker");
    assertThat(docs.get(0).has("parent_id")).isFalse();
    assertThat(UdpDaemon.subsegments(docs.get(0))).isEmpty();
  }
}
