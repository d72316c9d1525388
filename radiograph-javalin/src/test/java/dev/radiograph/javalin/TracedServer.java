package dev.radiograph.javalin;

import dev.radiograph.UdpDaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A real Javalin server on 127.0.0.1 and a random port, traced by a recorder that sends to a real
 * UDP socket; requests go over real HTTP.
 */
final class TracedServer implements AutoCloseable {
  static final String SERVICE = "javalin-test";
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(10);

  final UdpDaemon daemon;
  final Recorder recorder;
  final Javalin app;

  private TracedServer(UdpDaemon daemon, Recorder recorder, Javalin app) {
    this.daemon = daemon;
    this.recorder = recorder;
    this.app = app;
  }

  /**
   * Starts a server; {@code setup} configures it with the test's recorder and registers the
   * plugin itself, so that tests choose where the plugin stands among the application's settings.
   */
  static TracedServer start(BiConsumer<JavalinConfig, Recorder> setup) throws IOException {
    UdpDaemon daemon = new UdpDaemon();
    Recorder recorder = daemon.recorderBuilder().tracingName(SERVICE).build();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.startupWatcherEnabled = false;
      setup.accept(config, recorder);
    });
    app.start("127.0.0.1", 0);
    return new TracedServer(daemon, recorder, app);
  }

  String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(WAIT);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The trace id the server answered in {@code X-Amzn-Trace-Id}. */
  static String rootOf(HttpResponse<?> response) {
    String header = response.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow();
    return TraceHeader.parse(header).root().toString();
  }

  /** Waits for the segment document of trace {@code traceId}. */
  JsonNode segment(String traceId) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (JsonNode document : daemon.documents()) {
        if (!document.has("type") && document.get("trace_id").asText().equals(traceId)) {
          return document;
        }
      }
      if (System.nanoTime() > deadline) {
        return fail("no segment for trace " + traceId);
      }
      daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(200));
    }
  }

  /** Waits for the segment of {@code response}'s trace. */
  JsonNode segment(HttpResponse<?> response) throws IOException {
    return segment(rootOf(response));
  }

  /** The one subsegment named {@code name} directly under {@code entity}. */
  static JsonNode child(JsonNode entity, String name) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode child : entity.path("subsegments")) {
      if (child.get("name").asText().equals(name)) {
        found.add(child);
      }
    }
    assertThat(found).as("subsegments named %s under %s", name, entity.get("name")).hasSize(1);
    return found.get(0);
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      recorder.close();
      daemon.close();
    }
  }
}
