package dev.radiograph.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.daemon.Daemon;
import dev.radiograph.daemon.DaemonConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's services, traced with core, produce cross-service traces in a real daemon. */
class DemoServicesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void checkoutsBecomeTracesAcrossThreeServices(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"version\":2,\"rules\":[{\"description\":\"health\",\"host\":\"*\","
        + "\"http_method\":\"*\",\"url_path\":\"/health\",\"fixed_target\":0,\"rate\":0.0}],"
        + "\"default\":{\"fixed_target\":0,\"rate\":1.0}}");
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .rulesFile(rules.toString()).build());
        DemoServices services = new DemoServices("tcp:127.0.0.1:" + daemon.httpPort() + " udp:127.0.0.1:" + daemon.udpPort())) {
      DemoTraffic traffic = new DemoTraffic(services.storefront(), 1);
      traffic.close(); // this test drives the requests itself
      int ok = 0;
      for (int i = 0; i < 40; i++) {
        if (traffic.checkout() > 0) {
          ok++;
        }
      }
      assertThat(ok).isEqualTo(40);
      // 3 segments per checkout at most; wait for a good share of them.
      assertThat(daemon.awaitDocuments(60, Duration.ofSeconds(15))).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      long now = System.currentTimeMillis() / 1000;
      JsonNode graph = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/ServiceGraph"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"StartTime\":" + (now - 300) + ",\"EndTime\":" + (now + 60) + "}"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      Set<String> names = new HashSet<>();
      for (JsonNode node : graph.get("Services")) {
        names.add(node.get("Name").asText());
      }
      assertThat(names).contains("storefront", "orders", "inventory", "postgres@orders-db");
      JsonNode summaries = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/TraceSummaries"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"StartTime\":" + (now - 300) + ",\"EndTime\":" + (now + 60)
              + ",\"FilterExpression\":\"service(\\\"orders\\\") and service(\\\"inventory\\\")\"}"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(summaries.get("TraceSummaries").size()).isPositive();
      JsonNode first = summaries.at("/TraceSummaries/0");
      assertThat(first.at("/EntryPoint/Name").asText()).isEqualTo("storefront");
    }
  }
}
