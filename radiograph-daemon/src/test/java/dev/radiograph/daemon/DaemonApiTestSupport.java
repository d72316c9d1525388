package dev.radiograph.daemon;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Small HTTP helpers for daemon tests. */
final class DaemonApiTestSupport {
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
}
