package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.radiograph.Recorder;
import dev.radiograph.http.HttpClientTracing;
import dev.radiograph.http.HttpServerTracing;
import dev.radiograph.http.ServerRequestAdapter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One trace across worlds: an OpenTelemetry service ("web") calls a Radiograph service ("orders")
 * with {@code traceparent}, which calls another OpenTelemetry service ("inventory"). The daemon
 * holds one trace with the three segments, and the service map draws both edges.
 */
class OneTraceAcrossWorldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TextMapGetter<HttpExchange> EXCHANGE_HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpExchange exchange) {
      return exchange.getRequestHeaders().keySet();
    }

    @Override
    public String get(HttpExchange exchange, String key) {
      return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
    }
  };

  /** Reads a JDK {@link HttpExchange} for {@link HttpServerTracing}. */
  private enum ExchangeAdapter implements ServerRequestAdapter<HttpExchange> {
    INSTANCE;

    @Override
    public String method(HttpExchange exchange) {
      return exchange.getRequestMethod();
    }

    @Override
    public String url(HttpExchange exchange) {
      return "http://" + host(exchange) + exchange.getRequestURI();
    }

    @Override
    public String path(HttpExchange exchange) {
      return exchange.getRequestURI().getPath();
    }

    @Override
    public String remoteAddress(HttpExchange exchange) {
      return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public String header(HttpExchange exchange, String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }
  }

  private static SdkTracerProvider openTelemetry(String service, Daemon daemon) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + daemon.otlpHttpPort() + "/v1/traces").build()))
        .build();
  }

  private static HttpServer server() throws Exception {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
  }

  private static void respond(HttpExchange exchange, int status) throws java.io.IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Test
  void anOpenTelemetryServiceARadiographServiceAndAnotherOpenTelemetryServiceShareOneTrace() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .otlpHttp("127.0.0.1:0").build());
        Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:" + daemon.udpPort()).tracingName("orders")
            .sampling(false).environment(Map.of()).systemProperties(new Properties()).build()) {
      SdkTracerProvider webProvider = openTelemetry("web", daemon);
      SdkTracerProvider inventoryProvider = openTelemetry("inventory", daemon);
      W3CTraceContextPropagator w3c = W3CTraceContextPropagator.getInstance();

      HttpServer inventory = server();
      Tracer inventoryTracer = inventoryProvider.get("inventory");
      inventory.createContext("/stock", exchange -> {
        Context parent = w3c.extract(Context.root(), exchange, EXCHANGE_HEADERS);
        Span span = inventoryTracer.spanBuilder("GET /stock").setParent(parent).setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "GET").setAttribute("http.response.status_code", 200L).startSpan();
        span.end();
        respond(exchange, 200);
      });
      inventory.start();
      URI stock = URI.create("http://127.0.0.1:" + inventory.getAddress().getPort() + "/stock");

      HttpServer orders = server();
      orders.createContext("/orders", exchange -> {
        HttpServerTracing.Request traced = HttpServerTracing.begin(recorder, ExchangeAdapter.INSTANCE, exchange);
        int status = 500;
        try {
          HttpRequest.Builder call = HttpRequest.newBuilder(stock);
          HttpClientTracing.Call outgoing = HttpClientTracing.begin(recorder, "inventory", "GET", stock, call::header);
          HttpResponse<Void> answer = HTTP.send(call.build(), HttpResponse.BodyHandlers.discarding());
          outgoing.end(answer.statusCode(), null);
          status = 200;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          traced.end(status, -1, null);
          respond(exchange, status);
        }
      });
      orders.start();
      URI ordersUri = URI.create("http://127.0.0.1:" + orders.getAddress().getPort() + "/orders");

      String traceId;
      try {
        Tracer web = webProvider.get("web");
        Span page = web.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = page.makeCurrent()) {
          Span client = web.spanBuilder("GET").setSpanKind(SpanKind.CLIENT)
              .setAttribute("http.request.method", "GET").setAttribute("url.full", ordersUri.toString())
              .setAttribute("peer.service", "orders").startSpan();
          HttpRequest.Builder request = HttpRequest.newBuilder(ordersUri);
          w3c.inject(Context.current().with(client), request, HttpRequest.Builder::header);
          int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          client.setAttribute("http.response.status_code", (long) status);
          client.end();
        }
        page.end();
        String w3cId = page.getSpanContext().getTraceId();
        traceId = "1-" + w3cId.substring(0, 8) + "-" + w3cId.substring(8);
        recorder.flush(Duration.ofSeconds(10));
        webProvider.forceFlush().join(10, TimeUnit.SECONDS);
        inventoryProvider.forceFlush().join(10, TimeUnit.SECONDS);
      } finally {
        orders.stop(0);
        inventory.stop(0);
        webProvider.shutdown().join(10, TimeUnit.SECONDS);
        inventoryProvider.shutdown().join(10, TimeUnit.SECONDS);
      }
      // web: server + client span; orders: one document; inventory: its server span.
      assertThat(daemon.awaitDocuments(4, Duration.ofSeconds(10))).isTrue();

      JsonNode trace = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[\"" + traceId + "\"]}"));
      Set<String> segments = new HashSet<>();
      for (JsonNode segment : trace.at("/Traces/0/Segments")) {
        segments.add(JSON.readTree(segment.get("Document").asText()).get("name").asText());
      }
      assertThat(segments).containsExactlyInAnyOrder("web", "orders", "inventory");

      long now = System.currentTimeMillis() / 1000;
      JsonNode graph = JSON.readTree(DaemonApiTestSupport.post(daemon, "/ServiceGraph",
          "{\"StartTime\":" + (now - 600) + ",\"EndTime\":" + (now + 60) + "}"));
      Map<Integer, String> names = new HashMap<>();
      for (JsonNode service : graph.get("Services")) {
        names.put(service.get("ReferenceId").asInt(), service.get("Name").asText());
      }
      Set<String> edges = new HashSet<>();
      for (JsonNode service : graph.get("Services")) {
        for (JsonNode edge : service.path("Edges")) {
          edges.add(service.get("Name").asText() + " -> " + names.get(edge.get("ReferenceId").asInt()));
        }
      }
      assertThat(edges).contains("web -> orders", "orders -> inventory");
    }
  }
}
