package dev.radiograph.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Small HTTP and document helpers for daemon tests. */
public final class DaemonApiTestSupport {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DaemonApiTestSupport() {}

  static String post(Daemon daemon, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static String get(Daemon daemon, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The entities in a document: itself and every subsegment nested in it. */
  public static int entities(JsonNode entity) {
    int n = 1;
    for (JsonNode sub : entity.path("subsegments")) {
      n += entities(sub);
    }
    return n;
  }
}
