package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls to AWS services become the service map's inferred nodes as X-Ray draws them: one per
 * resource, named after it and typed {@code AWS::DynamoDB::Table}, {@code AWS::SQS::Queue}, ...
 */
class AwsServiceGraphTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double START = 1465510300.0; // long ago: its own time range
  private static final double HOPS = START + 10_000; // another range of its own
  private static Daemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    String segment = "{\"name\":\"orders\",\"id\":\"1000000000000001\",\"trace_id\":\"1-5759e99c-000000000000000000000001\","
        + "\"start_time\":" + START + ",\"end_time\":" + (START + 1) + ",\"subsegments\":["
        + call("2000000000000001", "DynamoDb", "{\"operation\":\"GetItem\",\"table_name\":\"orders\"}", "")
        + "," + call("2000000000000002", "DynamoDb", "{\"operation\":\"PutItem\",\"table_name\":\"customers\"}", ",\"throttle\":true,\"error\":true")
        + "," + call("2000000000000003", "Sqs", "{\"operation\":\"SendMessage\",\"queue_url\":\"http://127.0.0.1:9324/000000000000/order-events\"}", "")
        + "," + call("2000000000000004", "Sns", "{\"operation\":\"Publish\",\"topic_arn\":\"arn:aws:sns:us-east-1:123456789012:orders-topic\"}", "")
        + "," + call("2000000000000005", "S3", "{\"operation\":\"PutObject\",\"bucket_name\":\"invoices\",\"key\":\"7.pdf\"}", "")
        + "," + call("2000000000000006", "Lambda", "{\"operation\":\"Invoke\",\"function_name\":\"arn:aws:lambda:us-east-1:123456789012:function:billing\"}", "")
        + "," + call("2000000000000007", "Kms", "{\"operation\":\"Decrypt\"}", "")
        + "]}";
    String answer = DaemonApiTestSupport.post(daemon, "/TraceSegments",
        JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(segment))));
    assertThat(JSON.readTree(answer).get("UnprocessedTraceSegments")).isEmpty();

    // A producer whose message a worker consumed, continuing the trace, and a function it invoked.
    String trace = "1-5759e99c-000000000000000000000002";
    String producer = "{\"name\":\"shop\",\"id\":\"1000000000000002\",\"trace_id\":\"" + trace + "\","
        + "\"start_time\":" + HOPS + ",\"end_time\":" + (HOPS + 1) + ",\"subsegments\":["
        + call("3000000000000001", "Sqs", "{\"operation\":\"SendMessage\",\"queue_url\":\"http://127.0.0.1:9324/000000000000/shop-events\"}", "")
        + "," + call("3000000000000002", "Lambda", "{\"operation\":\"Invoke\",\"function_name\":\"pricing\"}", "")
        + "]}";
    String worker = "{\"name\":\"shop-worker\",\"id\":\"1000000000000003\",\"trace_id\":\"" + trace + "\","
        + "\"parent_id\":\"3000000000000001\",\"start_time\":" + (HOPS + 2) + ",\"end_time\":" + (HOPS + 3) + "}";
    String function = "{\"name\":\"pricing\",\"id\":\"1000000000000004\",\"trace_id\":\"" + trace + "\","
        + "\"parent_id\":\"3000000000000002\",\"origin\":\"AWS::Lambda::Function\",\"start_time\":" + HOPS
        + ",\"end_time\":" + (HOPS + 0.5) + "}";
    answer = DaemonApiTestSupport.post(daemon, "/TraceSegments",
        JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(producer, worker, function))));
    assertThat(JSON.readTree(answer).get("UnprocessedTraceSegments")).isEmpty();

    // A service first seen as a call whose segment did not arrive, then sending its own segment.
    String unanswered = "{\"name\":\"shop\",\"id\":\"1000000000000005\",\"trace_id\":\"1-5759e99c-000000000000000000000003\","
        + "\"start_time\":" + HOPS + ",\"end_time\":" + (HOPS + 1) + ",\"subsegments\":[{\"name\":\"shop-worker\","
        + "\"id\":\"3000000000000003\",\"namespace\":\"remote\",\"start_time\":" + HOPS + ",\"end_time\":" + (HOPS + 0.5) + "}]}";
    answer = DaemonApiTestSupport.post(daemon, "/TraceSegments",
        JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(unanswered))));
    assertThat(JSON.readTree(answer).get("UnprocessedTraceSegments")).isEmpty();
  }

  private static String call(String id, String service, String aws, String flags) {
    return "{\"name\":\"" + service + "\",\"id\":\"" + id + "\",\"namespace\":\"aws\",\"start_time\":" + START
        + ",\"end_time\":" + (START + 0.1) + ",\"aws\":" + aws + flags + "}";
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @Test
  void eachAwsResourceIsANodeNamedAndTypedAsXrayDoesIt() throws Exception {
    JsonNode graph = JSON.readTree(DaemonApiTestSupport.post(daemon, "/ServiceGraph",
        "{\"StartTime\":" + (long) (START - 60) + ",\"EndTime\":" + (long) (START + 60) + "}"));
    Map<String, String> typeOf = new HashMap<>();
    Map<String, JsonNode> byName = new HashMap<>();
    List<String> ordersNodes = new java.util.ArrayList<>();
    for (JsonNode service : graph.get("Services")) {
      String name = service.get("Name").asText();
      if (name.equals("orders")) {
        ordersNodes.add(service.get("Type").asText());
        if (service.get("Type").asText().equals("service")) {
          byName.put(name, service);
        }
        continue;
      }
      typeOf.put(name, service.get("Type").asText());
      byName.put(name, service);
    }
    // The service and the table it reads share a name and stay two nodes, as in X-Ray.
    assertThat(ordersNodes).containsExactlyInAnyOrder("service", "AWS::DynamoDB::Table");
    assertThat(typeOf).containsEntry("customers", "AWS::DynamoDB::Table")
        .containsEntry("order-events", "AWS::SQS::Queue")
        .containsEntry("orders-topic", "AWS::SNS::Topic")
        .containsEntry("invoices", "AWS::S3::Bucket")
        .containsEntry("billing", "AWS::Lambda::Function")
        .containsEntry("Kms", "AWS::Kms"); // no resource recorded: named after the service
    assertThat(byName.get("customers").at("/SummaryStatistics/ErrorStatistics/ThrottleCount").asInt()).isEqualTo(1);
    assertThat(byName.get("orders").get("Edges")).hasSize(7); // one per resource, the orders table included
  }

  @Test
  void aQueueStandsBetweenTheProducerAndTheWorkerThatContinuedItsTrace() throws Exception {
    JsonNode graph = JSON.readTree(DaemonApiTestSupport.post(daemon, "/ServiceGraph",
        "{\"StartTime\":" + (long) (HOPS - 60) + ",\"EndTime\":" + (long) (HOPS + 60) + "}"));
    Map<Integer, String> nameOf = new HashMap<>();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode service : graph.get("Services")) {
      nameOf.put(service.get("ReferenceId").asInt(), service.get("Name").asText());
      byName.put(service.get("Name").asText() + "/" + service.get("Type").asText(), service);
    }
    assertThat(byName.keySet()).containsExactlyInAnyOrder("shop/service", "shop-events/AWS::SQS::Queue",
        "shop-worker/service", "pricing/AWS::Lambda::Function");
    // shop-worker: called directly once (its segment lost), a service all the same.
    assertThat(callees(byName.get("shop/service"), nameOf))
        .containsExactlyInAnyOrder("shop-events", "pricing", "shop-worker");
    assertThat(callees(byName.get("shop-events/AWS::SQS::Queue"), nameOf)).containsExactly("shop-worker");
    assertThat(byName.get("shop-worker/service").path("Edges")).isEmpty();
  }

  private static List<String> callees(JsonNode service, Map<Integer, String> nameOf) {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode edge : service.path("Edges")) {
      names.add(nameOf.get(edge.get("ReferenceId").asInt()));
    }
    return names;
  }
}
