package dev.radiograph.javalin;

import static dev.radiograph.javalin.TracedServer.child;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.rendering.FileRenderer;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code ctx.render(...)} is a subsegment named after the template, whichever renderer the
 * application configured (JTE and Thymeleaf, through Javalin's own {@code FileRenderer} shape),
 * from a handler, an error handler, or a {@code ctx.future()} stage on another thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TemplateRenderingTest {
  private final Map<String, TracedServer> servers = new HashMap<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @BeforeAll
  void start() throws Exception {
    // JTE is configured before the plugin is registered, Thymeleaf after: both are traced.
    servers.put("jte", TracedServer.start((config, recorder) -> {
      config.fileRenderer(new JteRenderer());
      routes(config, "jte");
      config.registerPlugin(new RadiographPlugin(recorder));
    }));
    servers.put("html", TracedServer.start((config, recorder) -> {
      config.registerPlugin(new RadiographPlugin(recorder));
      routes(config, "html");
      config.fileRenderer(new ThymeleafRenderer());
    }));
  }

  private void routes(JavalinConfig config, String extension) {
    config.routes.get("/greet/{name}", ctx -> ctx.render("greeting." + extension, Map.of("name", ctx.pathParam("name"))));
    config.routes.get("/greet-later/{name}", ctx -> ctx.future(() -> CompletableFuture
        .supplyAsync(() -> ctx.pathParam("name"), pool) // a thread that carries no context
        .thenAccept(name -> ctx.render("greeting." + extension, Map.of("name", name)))));
    config.routes.get("/broken", ctx -> ctx.render("missing." + extension));
    config.routes.error(404, ctx -> ctx.render("not-found." + extension, Map.of("path", ctx.path())));
  }

  @AfterAll
  void stop() {
    servers.values().forEach(TracedServer::close);
    pool.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jte", "html"})
  void aRenderedTemplateIsASubsegmentNamedAfterIt(String engine) throws Exception {
    TracedServer server = servers.get(engine);
    HttpResponse<String> response = server.get("/greet/Ada");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Hello, Ada!");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/greet/{name}");
    assertThat(segment.get("subsegments")).hasSize(1);
    JsonNode rendering = child(segment, "greeting." + engine);
    assertThat(rendering.has("fault")).isFalse();
    assertThat(rendering.get("start_time").asDouble()).isGreaterThanOrEqualTo(segment.get("start_time").asDouble());
    assertThat(rendering.get("end_time").asDouble()).isLessThanOrEqualTo(segment.get("end_time").asDouble());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jte", "html"})
  void aTemplateRenderedByAnErrorHandlerIsASubsegmentToo(String engine) throws Exception {
    TracedServer server = servers.get(engine);
    HttpResponse<String> response = server.get("/nowhere");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Nothing at /nowhere");

    JsonNode segment = server.segment(response);
    assertThat(segment.get("error").asBoolean()).isTrue();
    child(segment, "not-found." + engine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jte", "html"})
  void aTemplateRenderedInAFutureStageLandsUnderTheRequest(String engine) throws Exception {
    TracedServer server = servers.get(engine);
    HttpResponse<String> response = server.get("/greet-later/Grace");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Hello, Grace!");

    JsonNode segment = server.segment(response);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/greet-later/{name}");
    child(segment, "greeting." + engine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jte", "html"})
  void aTemplateThatFailsIsAFaultOnItsSubsegment(String engine) throws Exception {
    TracedServer server = servers.get(engine);
    HttpResponse<String> response = server.get("/broken");
    assertThat(response.statusCode()).isEqualTo(500);

    JsonNode segment = server.segment(response);
    assertThat(segment.get("fault").asBoolean()).isTrue();
    JsonNode rendering = child(segment, "missing." + engine);
    assertThat(rendering.get("fault").asBoolean()).isTrue();
    assertThat(rendering.at("/cause/exceptions/0/type").asText()).isNotEmpty();
  }

  @Test
  void renderingIsNotTracedWhenTurnedOff() throws Exception {
    try (TracedServer server = TracedServer.start((config, recorder) -> {
      config.fileRenderer(new JteRenderer());
      config.routes.get("/greet/{name}", ctx -> ctx.render("greeting.jte", Map.of("name", ctx.pathParam("name"))));
      config.registerPlugin(new RadiographPlugin(radiograph -> radiograph.recorder(recorder).traceRendering(false)));
    })) {
      HttpResponse<String> response = server.get("/greet/Linus");
      assertThat(response.body()).contains("Hello, Linus!");
      assertThat(server.segment(response).has("subsegments")).isFalse();
    }
  }

  @Test
  void aRendererWrappedByHandIsNotWrappedTwice() throws Exception {
    FileRenderer traced = RadiographPlugin.tracedRenderer(new JteRenderer());
    assertThat(RadiographPlugin.tracedRenderer(traced)).isSameAs(traced);
    try (TracedServer server = TracedServer.start((config, recorder) -> {
      config.fileRenderer(traced);
      config.routes.get("/greet/{name}", ctx -> ctx.render("greeting.jte", Map.of("name", ctx.pathParam("name"))));
      config.registerPlugin(new RadiographPlugin(recorder));
    })) {
      JsonNode segment = server.segment(server.get("/greet/Barbara"));
      assertThat(segment.get("subsegments")).hasSize(1);
      assertThat(child(segment, "greeting.jte").has("subsegments")).isFalse();
    }
  }
}
