package dev.radiograph.vertx;

import dev.radiograph.UdpDaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.context.ThreadLocalSegmentContext;
import dev.radiograph.config.SettingKey;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How the tracer is installed: tracing options (service loader), or a factory with a recorder. */
class RadiographTracerFactoryTest {

  @Test
  void tracingOptionsAloneInstallTheTracerWithARecorderOnTheVertxContext() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon()) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setTracingOptions(new RadiographTracingOptions()
          .setTracingName("from-options")
          .setDaemonAddress(daemon.address())
          .setSetting(SettingKey.SAMPLING, "false")));
      try {
        AtomicReference<String> seenInHandler = new AtomicReference<>();
        HttpServer server = vertx.createHttpServer()
            .requestHandler(request -> vertx.setTimer(5, timer -> {
              seenInHandler.set(Radiograph.currentSegment().name());
              request.response().end("ok");
            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/hello")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seenInHandler.get()).isEqualTo("from-options");
        assertThat(Radiograph.recorder().segmentContext()).isInstanceOf(VertxSegmentContext.class);
        Radiograph.recorder().flush(Duration.ofSeconds(5));
        List<JsonNode> documents = daemon.receive(1, Duration.ofSeconds(5));
        assertThat(documents).hasSize(1);
        assertThat(documents.get(0).get("name").asText()).isEqualTo("from-options");
        assertThat(documents.get(0).at("/http/request/url").asText()).endsWith("/hello");
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void genericJsonTracingOptionsCarryTheSettings() {
    JsonObject json = new JsonObject()
        .put("tracing-name", "json-service")
        .put("radiograph.daemon-address", "127.0.0.1:2999")
        .put("enabled", false);
    VertxTracer<Object, Object> tracer = new RadiographTracerFactory().tracer(new TracingOptions(json));
    try {
      Recorder recorder = ((RadiographTracer) tracer).recorder();
      assertThat(recorder.config().tracingName()).isEqualTo("json-service");
      assertThat(recorder.segmentContext()).isInstanceOf(VertxSegmentContext.class);
    } finally {
      tracer.close();
    }
  }

  @Test
  void optionsCopyAndWriteTheirSettings() {
    RadiographTracingOptions options = new RadiographTracingOptions(
        new JsonObject().put("tracing-name", "a").put("radiograph.sampling", "false"));
    RadiographTracingOptions copy = options.copy().setDaemonAddress("127.0.0.1:2001");

    assertThat(options.getSettings()).containsExactly(Map.entry("tracing-name", "a"), Map.entry("sampling", "false"));
    assertThat(copy.toJson().getMap()).containsOnly(
        Map.entry("tracing-name", "a"), Map.entry("sampling", "false"), Map.entry("daemon-address", "127.0.0.1:2001"));
    assertThat(copy.setSetting(SettingKey.SAMPLING, null).getSettings()).doesNotContainKey("sampling");
  }

  @Test
  void anUnknownSettingIsRefusedWhereItIsGiven() {
    assertThatThrownBy(() -> new RadiographTracingOptions(new JsonObject().put("tracingName", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"tracingName\"");
  }

  @Test
  void aRecorderKeepingItsEntityInAThreadLocalIsRefused() {
    Recorder threadLocal = Recorder.builder()
        .segmentContext(new ThreadLocalSegmentContext())
        .environment(Map.of())
        .systemProperties(new Properties())
        .enabled(false)
        .build();
    try {
      assertThatThrownBy(() -> new RadiographTracerFactory(threadLocal))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ThreadLocalSegmentContext")
          .hasMessageContaining("Recorder.builder() without segmentContext(...)");
    } finally {
      threadLocal.close();
    }
  }

  @Test
  void aPlainRecorderBuilderKeepsTheEntityOnTheVertxContext() {
    // radiograph-vertx's SegmentContextProvider: nothing to remember when building a recorder.
    Recorder plain = Recorder.builder()
        .environment(Map.of())
        .systemProperties(new Properties())
        .enabled(false)
        .build();
    try {
      assertThat(plain.segmentContext()).isInstanceOf(VertxSegmentContext.class);
      new RadiographTracerFactory(plain); // accepted
    } finally {
      plain.close();
    }
  }
}
