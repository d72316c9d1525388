package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Segment;
import java.net.URI;
import java.util.List;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A producer and a worker through a real SQS server (ElasticMQ, in this JVM, on a random loopback
 * port): the message keeps the producer's {@code AWSTraceHeader}, and the worker's segment
 * continues the producer's trace from it.
 */
class ElasticMqTest extends AwsSdkScenario {
  private static SQSRestServer server;
  private static URI endpoint;

  @BeforeAll
  static void startSqs() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
  }

  @AfterAll
  static void stopSqs() {
    server.stopAndWait();
  }

  @Test
  void theWorkerContinuesTheProducersTraceFromTheMessage() throws Exception {
    try (SqsClient client = configured(SqsClient.builder(), endpoint, recorder)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      String queue = client.createQueue(b -> b.queueName("order-events")).queueUrl();
      recorder.beginSegment("orders");
      client.sendMessage(b -> b.queueUrl(queue).messageBody("order 7 placed"));
      recorder.endSegment();

      List<Message> received = client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)
          .waitTimeSeconds(5).messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER)).messages();
      assertThat(received).hasSize(1);
      try (Segment worker = SqsMessageTracing.beginSegment(recorder, "worker", received.get(0).attributesAsStrings())) {
        assertThat(worker.isSampled()).isTrue();
      }

      // Outside any segment, the create and receive calls are not recorded: two documents.
      List<JsonNode> documents = daemon.receive(2, WAIT);
      JsonNode producer = documents.stream().filter(d -> d.get("name").asText().equals("orders")).findFirst().orElseThrow();
      JsonNode consumer = documents.stream().filter(d -> d.get("name").asText().equals("worker")).findFirst().orElseThrow();
      JsonNode send = producer.at("/subsegments/0");
      assertThat(send.at("/aws/operation").asText()).isEqualTo("SendMessage");
      assertThat(send.at("/aws/queue_url").asText()).isEqualTo(queue);
      assertThat(send.at("/aws/message_id").asText()).isEqualTo(received.get(0).messageId());
      assertThat(consumer.get("trace_id").asText()).isEqualTo(producer.get("trace_id").asText());
      assertThat(consumer.get("parent_id").asText()).isEqualTo(send.get("id").asText());
    }
  }
}
