package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * EventBridge (JSON protocol) against a loopback server: {@code PutEvents} names its bus from
 * inside the batch's entries, where the request carries it; never the events' details.
 */
class EventBridgeTracingTest extends AwsSdkScenario {
  private static final String ANSWER = "{\"Entries\":[{\"EventId\":\"e-1\"},{\"EventId\":\"e-2\"}],\"FailedEntryCount\":0}";

  @Test
  void putEventsNamesTheBusesOfItsEntries() throws IOException {
    try (FakeAwsServer events = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200,
            "application/x-amz-json-1.1", ANSWER, "x-amzn-RequestId", "eb-req-1"));
         EventBridgeClient client = configured(EventBridgeClient.builder(), events.endpoint(), recorder)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("publisher");
      client.putEvents(b -> b.entries(entry("orders-bus"), entry("orders-bus")));
      client.putEvents(b -> b.entries(entry("orders-bus"), entry("audit-bus")));
      client.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("shop").detailType("t")
          .detail("{\"card\":\"secret-card\"}").build()));
      recorder.endSegment();

      JsonNode segment = daemon.receive(1, WAIT).get(0);
      JsonNode one = segment.at("/subsegments/0");
      assertThat(one.get("name").asText()).isEqualTo("EventBridge");
      assertThat(one.at("/aws/operation").asText()).isEqualTo("PutEvents");
      assertThat(one.at("/aws/event_bus_name").asText()).isEqualTo("orders-bus");
      assertThat(one.at("/aws/request_id").asText()).isEqualTo("eb-req-1");
      JsonNode two = segment.at("/subsegments/1");
      assertThat(two.at("/aws/event_bus_name").isArray()).isTrue();
      assertThat(two.at("/aws/event_bus_name/0").asText()).isEqualTo("orders-bus");
      assertThat(two.at("/aws/event_bus_name/1").asText()).isEqualTo("audit-bus");
      JsonNode defaultBus = segment.at("/subsegments/2");
      assertThat(defaultBus.at("/aws").has("event_bus_name")).as("no bus named: the default bus").isFalse();
      assertThat(segment.toString()).doesNotContain("secret-");
    }
  }

  private static PutEventsRequestEntry entry(String bus) {
    return PutEventsRequestEntry.builder().eventBusName(bus).source("shop").detailType("order placed")
        .detail("{\"card\":\"secret-card\"}").build();
  }
}
