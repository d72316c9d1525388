package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.radiograph.UdpDaemon;
import dev.radiograph.spring.aws.AwsApplication;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter and radiograph-aws-sdk-v2 on the class path, nothing else: a DynamoDB call made in
 * a request is a subsegment of that request's segment, and DynamoDB (a loopback server speaking
 * its JSON protocol) receives the request's trace.
 */
class AwsSdkTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aDynamoDbCallInARequestIsASubsegmentOfItsSegment() throws Exception {
    List<String> traceHeaders = new CopyOnWriteArrayList<>();
    HttpServer dynamo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    dynamo.createContext("/", exchange -> {
      traceHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id")));
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"Item\":{\"status\":{\"S\":\"shipped\"}}}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "ddb-req-7");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    dynamo.start();
    try (UdpDaemon daemon = new UdpDaemon()) {
      ConfigurableApplicationContext app = TestApplications.start(AwsApplication.class, Map.of(),
          "spring.application.name=orders",
          "radiograph.daemon-address=" + daemon.address(),
          "radiograph.sampling=false",
          "test.dynamodb-endpoint=http://127.0.0.1:" + dynamo.getAddress().getPort());
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + TestApplications.port(app) + "/orders/7")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("shipped");
        JsonNode segment = daemon.receive(2, Duration.ofSeconds(10)).stream()
            .filter(document -> document.at("/http/request/url").asText().contains("/orders/7"))
            .findFirst().orElseThrow();
        JsonNode call = findCall(segment, "DynamoDb");
        assertThat(call).as("a DynamoDb subsegment in %s", segment).isNotNull();
        assertThat(call.get("namespace").asText()).isEqualTo("aws");
        assertThat(call.at("/aws/operation").asText()).isEqualTo("GetItem");
        assertThat(call.at("/aws/table_name").asText()).isEqualTo("orders");
        assertThat(call.at("/aws/region").asText()).isEqualTo("eu-west-1");
        assertThat(call.at("/aws/request_id").asText()).isEqualTo("ddb-req-7");
        assertThat(traceHeaders).singleElement().asString()
            .contains("Root=" + segment.get("trace_id").asText())
            .contains("Parent=" + call.get("id").asText());
      } finally {
        TestApplications.stop(app);
      }
    } finally {
      dynamo.stop(0);
    }
  }

  private static JsonNode findCall(JsonNode entity, String name) {
    for (JsonNode child : entity.path("subsegments")) {
      if (child.path("name").asText().equals(name)) {
        return child;
      }
      JsonNode deeper = findCall(child, name);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }
}
