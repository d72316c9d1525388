package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceID;
import com.amazonaws.xray.internal.UnsignedXrayClient;
import com.amazonaws.xray.strategy.DefaultStreamingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.CentralizedSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.GetSamplingRulesRequest;
import com.amazonaws.xray.strategy.sampling.GetSamplingRulesResponse;
import com.amazonaws.xray.strategy.sampling.GetSamplingTargetsRequest;
import com.amazonaws.xray.strategy.sampling.GetSamplingTargetsResponse;
import com.amazonaws.xray.strategy.sampling.LocalizedSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.SamplingRequest;
import com.amazonaws.xray.strategy.sampling.SamplingResponse;
import com.amazonaws.xray.strategy.sampling.rule.CentralizedRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiograph.daemon.store.StoreStats;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.BatchGetTracesResponse;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.GetServiceGraphResponse;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesRequest;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsResponse;
import software.amazon.awssdk.services.xray.model.SamplingBoostStatisticsDocument;
import software.amazon.awssdk.services.xray.model.SamplingRule;
import software.amazon.awssdk.services.xray.model.SamplingRuleRecord;
import software.amazon.awssdk.services.xray.model.SamplingStatisticsDocument;
import software.amazon.awssdk.services.xray.model.SamplingTargetDocument;
import software.amazon.awssdk.services.xray.model.Service;
import software.amazon.awssdk.services.xray.model.Trace;
import software.amazon.awssdk.services.xray.model.TraceSummary;
import software.amazon.awssdk.services.xray.model.UnprocessedTraceSegment;

/**
 * The daemon with AWS's own clients on both sides. The official X-Ray SDK for Java
 * ({@code aws-xray-recorder-sdk-core}) sends its segments over UDP and takes its sampling
 * decisions from the daemon's sampling API with its {@link CentralizedSamplingStrategy}; the AWS
 * SDK for Java v2 {@link XRayClient}, pointed at the daemon, reads the traces, the service graph
 * and the sampling rules and targets back and puts documents of its own.
 *
 * <p>The scenario: a service {@code shop} handles six order requests and three health checks.
 * The daemon's rules file never samples {@code /health} and samples everything else; the SDK's
 * local fallback samples everything, so an unsampled health check can only come from the
 * daemon's rules. Each order calls {@code inventory} (a second service, its segment recorded on
 * another thread, as a downstream process would) and {@code payments.example.com} (a remote call
 * without a segment of its own); order 2 is alice's, order 3 answers 404, order 4 fails with an
 * exception from the payment call.
 */
@Timeout(120)
class InteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String RULES = "{\"version\":2,\"rules\":[{\"description\":\"never-health\",\"host\":\"*\","
      + "\"http_method\":\"*\",\"url_path\":\"/health\",\"fixed_target\":0,\"rate\":0.0}],"
      + "\"default\":{\"fixed_target\":1,\"rate\":1.0}}";
  /** The SDK's local fallback: samples everything, /health included. */
  private static final String FALLBACK = "{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":1000,\"rate\":1.0}}";
  private static final int ORDERS = 6;
  private static final String UNKNOWN_TRACE = "1-5759e988-bd862e3fe1be46a994272793";

  @TempDir
  static Path dir;

  private static Daemon daemon;
  private static URL fallbackRules;
  private static CentralizedSamplingStrategy sampling;
  private static UnsignedXrayClient sdkSamplingClient;
  private static AWSXRayRecorder recorder;
  private static XRayClient xray;
  private static ExecutorService inventoryThread;
  private static Instant from;
  private static final List<Order> orders = new ArrayList<>();
  private static final List<SamplingResponse> healthDecisions = new ArrayList<>();
  private static StoreStats afterSdk;

  /** What the test recorded for one order request. */
  record Order(int index, String traceId, String shopId, String inventoryCallId, String inventoryId,
      String paymentsId, String method, int status, String customer) {
    String url() {
      return "http://shop.local/orders/" + index;
    }
  }

  @BeforeAll
  static void recordWithTheOfficialSdk() throws Exception {
    Assumptions.assumeTrue(blank(System.getenv(DaemonConfiguration.DAEMON_ADDRESS_ENVIRONMENT_VARIABLE_KEY)),
        "AWS_XRAY_DAEMON_ADDRESS is set: the X-Ray SDK would send there whatever address the test gives it");
    Path rules = Files.writeString(dir.resolve("sampling-rules.json"), RULES);
    fallbackRules = Files.writeString(dir.resolve("fallback-rules.json"), FALLBACK).toUri().toURL();
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .rulesFile(rules.toString()).build());
    from = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    String address = "tcp:127.0.0.1:" + daemon.httpPort() + " udp:127.0.0.1:" + daemon.udpPort();

    // CentralizedSamplingStrategy takes no DaemonConfiguration: its UnsignedXrayClient reads the
    // daemon's TCP address from AWS_XRAY_DAEMON_ADDRESS or this system property when constructed.
    // So the property is set for that moment only; the emitter gets its address from setDaemonAddress.
    sampling = withDaemonAddressProperty(address, () -> new CentralizedSamplingStrategy(fallbackRules));
    sdkSamplingClient = withDaemonAddressProperty(address, UnsignedXrayClient::new);
    DaemonConfiguration daemonConfig = new DaemonConfiguration();
    daemonConfig.setDaemonAddress(address);
    assertThat(daemonConfig.getEndpointForTCPConnection()).isEqualTo(daemon.baseUrl());
    assertThat(daemonConfig.getAddressForEmitter().getPort()).isEqualTo(daemon.udpPort());
    recorder = AWSXRayRecorderBuilder.standard()
        .withEmitter(Emitter.create(daemonConfig))
        .withSamplingStrategy(sampling)
        .build();
    xray = DaemonApiTestSupport.xrayClient(daemon);
    inventoryThread = Executors.newSingleThreadExecutor();

    // The first shouldTrace starts the SDK's rule poller, which asks the daemon for its rules at
    // once, on its own thread; until they arrive the local fallback decides (with no rule name).
    SamplingResponse first = await("the X-Ray SDK's rule poller to load the daemon's rules",
        () -> sampling.shouldTrace(request("GET", "/orders/0")), r -> r.getRuleName().isPresent());
    assertThat(first.getRuleName()).contains("Default");

    for (int i = 0; i < ORDERS; i++) {
      if (i == 1 || i == 3 || i == 5) {
        healthCheck(); // before the last order, so a stray health segment would arrive before it
      }
      orders.add(order(i));
    }
    assertThat(daemon.awaitDocuments(2 * ORDERS, WAIT))
        .as("the daemon received the shop and inventory segment of every order").isTrue();
    afterSdk = daemon.store().stats();
  }

  @AfterAll
  static void stop() {
    if (sampling != null) {
      sampling.shutdown();
    }
    if (inventoryThread != null) {
      inventoryThread.shutdownNow();
    }
    if (xray != null) {
      xray.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private static SamplingRequest request(String method, String path) {
    return new SamplingRequest("shop", "shop.local", path, method, null);
  }

  private static void healthCheck() {
    SamplingResponse decision = sampling.shouldTrace(request("GET", "/health"));
    healthDecisions.add(decision);
    Segment segment = decision.isSampled() ? recorder.beginSegment("shop") : recorder.beginNoOpSegment();
    segment.putHttp("request", Map.of("method", "GET", "url", "http://shop.local/health"));
    segment.putHttp("response", Map.of("status", 200));
    recorder.endSegment();
  }

  private static Order order(int i) throws Exception {
    String method = i % 2 == 1 ? "POST" : "GET";
    String path = "/orders/" + i;
    int status = i == 3 ? 404 : i == 4 ? 500 : i == 1 ? 201 : 200;
    String customer = i == 2 ? "alice" : i == 4 ? "dave" : "bob";
    SamplingResponse decision = sampling.shouldTrace(request(method, path));
    assertThat(decision.isSampled()).as("order %d is sampled", i).isTrue();
    assertThat(decision.getRuleName()).contains("Default");

    Segment shop = recorder.beginSegment("shop");
    shop.setRuleName(decision.getRuleName().get());
    shop.putHttp("request", Map.of("method", method, "url", "http://shop.local" + path,
        "client_ip", "10.0.0." + (i + 1), "user_agent", "interop-test"));
    shop.putAnnotation("customer", customer);
    shop.putAnnotation("items", i);
    shop.putAnnotation("express", i % 2 == 0);
    shop.setUser(customer);
    shop.putMetadata("order", "lines", List.of("sku-" + i));

    Subsegment inventoryCall = recorder.beginSubsegment("inventory");
    inventoryCall.setNamespace("remote");
    inventoryCall.putHttp("request", Map.of("method", "GET", "url", "http://inventory.local/stock/" + i, "traced", true));
    TraceID traceId = shop.getTraceId();
    String callId = inventoryCall.getId();
    String inventoryId = inventoryThread.submit(() -> inventory(traceId, callId, i)).get(10, TimeUnit.SECONDS);
    inventoryCall.putHttp("response", Map.of("status", 200));
    recorder.endSubsegment();

    Subsegment payments = recorder.beginSubsegment("payments.example.com");
    payments.setNamespace("remote");
    payments.putHttp("request", Map.of("method", "POST", "url", "https://payments.example.com/charge"));
    RuntimeException failure = null;
    if (i == 4) {
      IllegalStateException declined = new IllegalStateException("card declined");
      payments.addException(declined);
      payments.putHttp("response", Map.of("status", 503));
      failure = new RuntimeException("checkout failed", declined);
    } else {
      payments.putHttp("response", Map.of("status", 200));
    }
    String paymentsId = payments.getId();
    recorder.endSubsegment();

    if (failure != null) {
      shop.addException(failure);
    }
    if (status == 404) {
      shop.setError(true);
    }
    shop.putHttp("response", Map.of("status", status, "content_length", 42));
    recorder.endSegment();
    return new Order(i, traceId.toString(), shop.getId(), callId, inventoryId, paymentsId, method, status, customer);
  }

  /** The downstream service, continuing the trace from the caller's subsegment. */
  private static String inventory(TraceID traceId, String parentId, int i) {
    Segment inventory = recorder.beginSegment("inventory", traceId, parentId);
    inventory.putHttp("request", Map.of("method", "GET", "url", "http://inventory.local/stock/" + i));
    inventory.putAnnotation("sku", "sku-" + i);
    Subsegment db = recorder.beginSubsegment("inventory-db@db.local");
    db.setNamespace("remote");
    db.putSql("url", "jdbc:postgresql://db.local:5432/inventory");
    db.putSql("sanitized_query", "SELECT count FROM stock WHERE sku = ?");
    db.putSql("database_type", "PostgreSQL");
    recorder.endSubsegment();
    inventory.putHttp("response", Map.of("status", 200));
    recorder.endSegment();
    return inventory.getId();
  }

  // ------------------------------------------------------------------ the official X-Ray SDK

  @Test
  void theSdkTakesItsSamplingDecisionsFromTheDaemonsRules() throws Exception {
    assertThat(healthDecisions).hasSize(3).allSatisfy(d -> {
      assertThat(d.isSampled()).isFalse();
      assertThat(d.getRuleName()).contains("never-health");
    });
    for (int i = 0; i < 5; i++) {
      SamplingResponse health = sampling.shouldTrace(request("GET", "/health"));
      assertThat(health.isSampled()).isFalse();
      assertThat(health.getRuleName()).contains("never-health");
      SamplingResponse other = sampling.shouldTrace(request("DELETE", "/orders/" + i));
      assertThat(other.isSampled()).isTrue();
      assertThat(other.getRuleName()).contains("Default");
    }
    // The same SDK on its local fallback alone would have sampled the health checks.
    assertThat(new LocalizedSamplingStrategy(fallbackRules).shouldTrace(request("GET", "/health")).isSampled()).isTrue();
  }

  @Test
  void theSdksOwnSamplingClientReadsTheDaemonsRulesAndTargets() {
    // The client the SDK's RulePoller and TargetPoller use (the TargetPoller first reports after
    // 10 s, so the test calls the client directly rather than waiting for it).
    GetSamplingRulesResponse rules = sdkSamplingClient.getSamplingRules(GetSamplingRulesRequest.create(null));
    List<GetSamplingRulesResponse.SamplingRule> records = rules.getSamplingRuleRecords().stream()
        .map(GetSamplingRulesResponse.SamplingRuleRecord::getSamplingRule).collect(Collectors.toList());
    assertThat(records).extracting(GetSamplingRulesResponse.SamplingRule::getRuleName)
        .containsExactly("never-health", "Default");
    assertThat(records).allMatch(CentralizedRule::isValid);
    assertThat(records.get(0).getUrlPath()).isEqualTo("/health");
    assertThat(records.get(0).getReservoirSize()).isZero();
    assertThat(records.get(0).getFixedRate()).isEqualTo(0.0);

    Date now = new Date();
    GetSamplingTargetsResponse targets = sdkSamplingClient.getSamplingTargets(GetSamplingTargetsRequest.create(List.of(
        GetSamplingTargetsRequest.SamplingStatisticsDocument.newBuilder()
            .setRuleName("never-health").setClientId(CentralizedSamplingStrategy.getClientID())
            .setRequestCount(3).setSampledCount(0).setBorrowCount(0).setTimestamp(now).build(),
        GetSamplingTargetsRequest.SamplingStatisticsDocument.newBuilder()
            .setRuleName("Default").setClientId(CentralizedSamplingStrategy.getClientID())
            .setRequestCount(6).setSampledCount(6).setBorrowCount(1).setTimestamp(now).build())));
    Map<String, GetSamplingTargetsResponse.SamplingTargetDocument> byRule = targets.getDocuments().stream()
        .collect(Collectors.toMap(GetSamplingTargetsResponse.SamplingTargetDocument::getRuleName, Function.identity()));
    assertThat(byRule).containsOnlyKeys("never-health", "Default");
    assertThat(byRule.get("never-health").getFixedRate()).isEqualTo(0.0);
    assertThat(byRule.get("never-health").getReservoirQuota()).isZero();
    assertThat(byRule.get("Default").getFixedRate()).isEqualTo(1.0);
    assertThat(byRule.get("Default").getReservoirQuota()).isEqualTo(1);
    assertThat(byRule.get("Default").getReservoirQuotaTtl()).isAfter(new Date(now.getTime() - 1000));
    assertThat(byRule.get("Default").getIntervalSecs()).isEqualTo(10);
    assertThat(targets.getLastRuleModification()).isNotNull();
    assertThat(targets.getUnprocessedStatistics()).isEmpty();
  }

  @Test
  void theDaemonStoredEverySampledSegmentAndNoHealthCheck() throws Exception {
    assertThat(afterSdk.accepted()).isEqualTo(2 * ORDERS);
    assertThat(afterSdk.received()).isEqualTo(2 * ORDERS);
    assertThat(afterSdk.storedTraces()).isEqualTo(ORDERS);
    assertThat(afterSdk.rejectedMalformed()).isZero();
    assertThat(afterSdk.rejectedOversize()).isZero();
    JsonNode stats = JSON.readTree(get("/radiograph/stats"));
    assertThat(stats.get("accepted").asLong()).isGreaterThanOrEqualTo(2 * ORDERS);
    assertThat(summaries("http.url CONTAINS \"/health\"")).isEmpty();
    assertThat(summaries("service(\"shop\")")).extracting(TraceSummary::id)
        .containsExactlyInAnyOrderElementsOf(orders.stream().map(Order::traceId).collect(Collectors.toList()));
  }

  @Test
  void subsegmentsTheSdkStreamsOnTheirOwnAreReturnedUnderTheirParent() throws Exception {
    try (Daemon streamed = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
        XRayClient client = XRayClient.builder()
            .endpointOverride(URI.create(streamed.baseUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build()) {
      DaemonConfiguration config = new DaemonConfiguration();
      config.setDaemonAddress("tcp:127.0.0.1:" + streamed.httpPort() + " udp:127.0.0.1:" + streamed.udpPort());
      // Streams completed subsegments as soon as the segment holds more than one.
      AWSXRayRecorder streaming = AWSXRayRecorderBuilder.standard()
          .withEmitter(Emitter.create(config))
          .withSamplingStrategy(new AllSamplingStrategy())
          .withStreamingStrategy(new DefaultStreamingStrategy(1))
          .build();
      Segment root = streaming.beginSegment("reports");
      for (int i = 0; i < 3; i++) {
        streaming.beginSubsegment("part-" + i);
        streaming.beginSubsegment("query-" + i).setNamespace("remote");
        streaming.endSubsegment();
        streaming.endSubsegment();
      }
      streaming.endSegment();
      String traceId = root.getTraceId().toString();

      List<software.amazon.awssdk.services.xray.model.Segment> segments = await("the streamed trace to be complete",
          () -> {
            List<Trace> traces = client.batchGetTraces(b -> b.traceIds(traceId)).traces();
            return traces.isEmpty() ? List.<software.amazon.awssdk.services.xray.model.Segment>of() : traces.get(0).segments();
          },
          list -> list.size() == 1 && subsegmentCount(list.get(0).document()) == 3);
      assertThat(streamed.store().stats().accepted()).as("the SDK sent subsegments on their own").isGreaterThan(1);
      JsonNode document = JSON.readTree(segments.get(0).document());
      assertThat(document.get("id").asText()).isEqualTo(root.getId());
      List<String> parts = new ArrayList<>();
      for (JsonNode part : document.get("subsegments")) {
        parts.add(part.get("name").asText());
        assertThat(part.has("type")).isFalse();
        assertThat(part.has("parent_id")).isFalse();
        assertThat(part.at("/subsegments/0/name").asText()).isEqualTo(part.get("name").asText().replace("part", "query"));
      }
      assertThat(parts).containsExactlyInAnyOrder("part-0", "part-1", "part-2");
    }
  }

  private static int subsegmentCount(String document) {
    try {
      JsonNode subsegments = JSON.readTree(document).get("subsegments");
      return subsegments == null ? 0 : subsegments.size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ AWS SDK v2: reading back

  @Test
  void traceSummariesWithFilterExpressionsAndThePaginator() {
    Instant to = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    software.amazon.awssdk.services.xray.model.GetTraceSummariesResponse response = xray.getTraceSummaries(b -> b
        .startTime(from).endTime(to).filterExpression("annotation.customer = \"alice\""));
    assertThat(response.tracesProcessedCount()).isEqualTo(1);
    assertThat(response.approximateTime()).isEqualTo(to);
    assertThat(response.nextToken()).isNull();
    List<TraceSummary> alice = response.traceSummaries();
    assertThat(alice).hasSize(1);
    TraceSummary summary = alice.get(0);
    Order order = orders.get(2);
    assertThat(summary.id()).isEqualTo(order.traceId());
    assertThat(summary.hasFault()).isFalse();
    assertThat(summary.hasError()).isFalse();
    // The X-Ray SDK for Java times entities to the millisecond: a fast request may take 0 s.
    assertThat(summary.duration()).isGreaterThanOrEqualTo(summary.responseTime());
    assertThat(summary.responseTime()).isGreaterThanOrEqualTo(0.0);
    assertThat(summary.startTime()).isBetween(from, Instant.now());
    assertThat(summary.http().httpURL()).isEqualTo(order.url());
    assertThat(summary.http().httpMethod()).isEqualTo("GET");
    assertThat(summary.http().httpStatus()).isEqualTo(200);
    assertThat(summary.http().clientIp()).isEqualTo("10.0.0.3");
    assertThat(summary.http().userAgent()).isEqualTo("interop-test");
    assertThat(summary.annotations().get("customer")).singleElement()
        .satisfies(v -> assertThat(v.annotationValue().stringValue()).isEqualTo("alice"));
    assertThat(summary.annotations().get("items")).singleElement()
        .satisfies(v -> assertThat(v.annotationValue().numberValue()).isEqualTo(2.0));
    assertThat(summary.annotations().get("express")).singleElement()
        .satisfies(v -> assertThat(v.annotationValue().booleanValue()).isTrue());
    assertThat(summary.users()).extracting(u -> u.userName()).containsExactly("alice");
    assertThat(summary.entryPoint().name()).isEqualTo("shop");
    assertThat(summary.entryPoint().names()).containsExactly("shop");
    assertThat(summary.entryPoint().type()).isNotBlank();
    assertThat(summary.isPartial()).isFalse();
    assertThat(summary.serviceIds()).extracting(s -> s.name()).contains("shop", "inventory");

    List<TraceSummary> faults = summaries("fault");
    assertThat(faults).extracting(TraceSummary::id).containsExactly(orders.get(4).traceId());
    assertThat(faults.get(0).hasFault()).isTrue();
    assertThat(faults.get(0).http().httpStatus()).isEqualTo(500);
    assertThat(summaries("error")).extracting(TraceSummary::id).containsExactly(orders.get(3).traceId());
    assertThat(summaries("annotation.items >= 4 AND http.method = \"GET\""))
        .extracting(TraceSummary::id).containsExactly(orders.get(4).traceId());

    List<String> paged = xray.getTraceSummariesPaginator(GetTraceSummariesRequest.builder()
            .startTime(from).endTime(Instant.now().plusSeconds(60)).filterExpression("service(\"inventory\")").build())
        .traceSummaries().stream().map(TraceSummary::id).collect(Collectors.toList());
    assertThat(paged).containsExactlyInAnyOrderElementsOf(orders.stream().map(Order::traceId).collect(Collectors.toList()));
  }

  @Test
  void batchGetTracesReturnsTheSdksSegmentDocuments() throws Exception {
    Order alice = orders.get(2);
    Order failed = orders.get(4);
    BatchGetTracesResponse response = xray.batchGetTraces(b -> b.traceIds(alice.traceId(), failed.traceId(), UNKNOWN_TRACE));
    assertThat(response.unprocessedTraceIds()).containsExactly(UNKNOWN_TRACE);
    Map<String, Trace> traces = response.traces().stream().collect(Collectors.toMap(Trace::id, Function.identity()));
    assertThat(traces).containsOnlyKeys(alice.traceId(), failed.traceId());

    for (Order order : List.of(alice, failed)) {
      Trace trace = traces.get(order.traceId());
      assertThat(trace.limitExceeded()).isFalse();
      Map<String, JsonNode> byName = new HashMap<>();
      double start = Double.MAX_VALUE;
      double end = 0;
      for (software.amazon.awssdk.services.xray.model.Segment segment : trace.segments()) {
        JsonNode document = JSON.readTree(segment.document());
        start = Math.min(start, document.get("start_time").asDouble());
        end = Math.max(end, document.get("end_time").asDouble());
        assertThat(document.get("id").asText()).isEqualTo(segment.id());
        assertThat(document.get("trace_id").asText()).isEqualTo(order.traceId());
        byName.put(document.get("name").asText(), document);
      }
      assertThat(byName).containsOnlyKeys("shop", "inventory");
      assertThat(trace.duration()).isCloseTo(end - start, within(1e-6));

      JsonNode shop = byName.get("shop");
      assertThat(shop.get("id").asText()).isEqualTo(order.shopId());
      assertThat(shop.has("parent_id")).isFalse();
      assertThat(shop.get("start_time").asDouble()).isLessThanOrEqualTo(shop.get("end_time").asDouble());
      assertThat(shop.at("/http/request/method").asText()).isEqualTo(order.method());
      assertThat(shop.at("/http/request/url").asText()).isEqualTo(order.url());
      assertThat(shop.at("/http/response/status").asInt()).isEqualTo(order.status());
      assertThat(shop.at("/annotations/customer").asText()).isEqualTo(order.customer());
      assertThat(shop.at("/annotations/items").asInt()).isEqualTo(order.index());
      assertThat(shop.at("/user").asText()).isEqualTo(order.customer());
      assertThat(shop.at("/metadata/order/lines/0").asText()).isEqualTo("sku-" + order.index());
      assertThat(shop.at("/aws/xray/rule_name").asText()).isEqualTo("Default");
      assertThat(shop.at("/aws/xray/sdk").asText()).contains("X-Ray for Java");
      List<String> subsegmentNames = new ArrayList<>();
      for (JsonNode sub : shop.get("subsegments")) {
        subsegmentNames.add(sub.get("name").asText());
        assertThat(sub.get("namespace").asText()).isEqualTo("remote");
      }
      assertThat(subsegmentNames).containsExactly("inventory", "payments.example.com");
      assertThat(shop.at("/subsegments/0/id").asText()).isEqualTo(order.inventoryCallId());
      assertThat(shop.at("/subsegments/0/http/request/traced").asBoolean()).isTrue();
      assertThat(shop.at("/subsegments/1/id").asText()).isEqualTo(order.paymentsId());

      JsonNode inventory = byName.get("inventory");
      assertThat(inventory.get("id").asText()).isEqualTo(order.inventoryId());
      assertThat(inventory.get("parent_id").asText()).isEqualTo(order.inventoryCallId());
      assertThat(inventory.at("/subsegments/0/name").asText()).isEqualTo("inventory-db@db.local");
      assertThat(inventory.at("/subsegments/0/sql/sanitized_query").asText()).isEqualTo("SELECT count FROM stock WHERE sku = ?");
    }

    List<String> paged = xray.batchGetTracesPaginator(b -> b.traceIds(orders.stream().map(Order::traceId)
        .collect(Collectors.toList()))).traces().stream().map(Trace::id).collect(Collectors.toList());
    assertThat(paged).containsExactlyInAnyOrderElementsOf(orders.stream().map(Order::traceId).collect(Collectors.toList()));

    JsonNode shop = null;
    for (software.amazon.awssdk.services.xray.model.Segment segment : traces.get(failed.traceId()).segments()) {
      JsonNode document = JSON.readTree(segment.document());
      if (document.get("name").asText().equals("shop")) {
        shop = document;
      }
    }
    assertThat(shop).isNotNull();
    assertThat(shop.get("fault").asBoolean()).isTrue();
    JsonNode payments = shop.at("/subsegments/1");
    assertThat(payments.get("fault").asBoolean()).isTrue();
    assertThat(payments.at("/http/response/status").asInt()).isEqualTo(503);
    JsonNode declined = payments.at("/cause/exceptions/0");
    assertThat(declined.get("message").asText()).isEqualTo("card declined");
    assertThat(declined.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
    assertThat(declined.get("stack").size()).isPositive();
    assertThat(declined.at("/stack/0/label").asText()).isNotEmpty();
    JsonNode checkout = shop.at("/cause/exceptions/0");
    assertThat(checkout.get("message").asText()).isEqualTo("checkout failed");
    assertThat(checkout.get("type").asText()).isEqualTo(RuntimeException.class.getName());
    assertThat(checkout.get("cause").asText()).as("refers to the payment call's exception").isEqualTo(declined.get("id").asText());
  }

  @Test
  void serviceGraphHasTheServicesAndEdgesWithCounts() {
    GetServiceGraphResponse graph = xray.getServiceGraph(b -> b.startTime(from).endTime(Instant.now().plusSeconds(60)));
    assertThat(graph.startTime()).isEqualTo(from);
    Map<String, Service> byName = graph.services().stream().collect(Collectors.toMap(Service::name, Function.identity()));
    Map<Integer, String> names = graph.services().stream().collect(Collectors.toMap(Service::referenceId, Service::name));
    assertThat(byName).containsKeys("shop", "inventory", "payments.example.com", "inventory-db@db.local");

    Service shop = byName.get("shop");
    assertThat(shop.root()).isTrue();
    assertThat(shop.names()).containsExactly("shop");
    assertThat(shop.type()).isNotBlank();
    assertThat(shop.state()).isEqualTo("active");
    assertThat(shop.startTime()).isBetween(from, Instant.now());
    assertThat(shop.endTime()).isAfterOrEqualTo(shop.startTime());
    assertThat(shop.durationHistogram()).isNotEmpty();
    assertThat(graph.endTime()).isAfter(graph.startTime());
    assertThat(graph.containsOldGroupVersions()).isFalse();
    assertThat(shop.summaryStatistics().totalCount()).isEqualTo(ORDERS);
    assertThat(shop.summaryStatistics().okCount()).isEqualTo(ORDERS - 2);
    assertThat(shop.summaryStatistics().faultStatistics().totalCount()).isEqualTo(1);
    assertThat(shop.summaryStatistics().errorStatistics().totalCount()).isEqualTo(1);
    assertThat(shop.summaryStatistics().totalResponseTime()).isGreaterThanOrEqualTo(0.0);
    assertThat(shop.responseTimeHistogram()).isNotEmpty();
    assertThat(shop.responseTimeHistogram().stream().mapToLong(h -> h.count()).sum()).isEqualTo(ORDERS);
    Map<String, Edge> shopEdges = shop.edges().stream()
        .collect(Collectors.toMap(e -> names.get(e.referenceId()), Function.identity()));
    assertThat(shopEdges).containsOnlyKeys("inventory", "payments.example.com");
    assertThat(shopEdges.get("inventory").summaryStatistics().totalCount()).isEqualTo(ORDERS);
    assertThat(shopEdges.get("inventory").summaryStatistics().okCount()).isEqualTo(ORDERS);
    assertThat(shopEdges.get("payments.example.com").summaryStatistics().totalCount()).isEqualTo(ORDERS);
    assertThat(shopEdges.get("payments.example.com").summaryStatistics().faultStatistics().totalCount()).isEqualTo(1);
    assertThat(shopEdges.get("inventory").responseTimeHistogram()).isNotEmpty();
    assertThat(shopEdges.get("inventory").startTime()).isNotNull();

    Service inventory = byName.get("inventory");
    assertThat(inventory.root()).isFalse();
    assertThat(inventory.summaryStatistics().totalCount()).isEqualTo(ORDERS);
    assertThat(inventory.edges()).singleElement().satisfies(e -> {
      assertThat(names.get(e.referenceId())).isEqualTo("inventory-db@db.local");
      assertThat(e.summaryStatistics().totalCount()).isEqualTo(ORDERS);
    });
    assertThat(byName.get("payments.example.com").summaryStatistics().totalCount()).isEqualTo(ORDERS);
    assertThat(byName.get("payments.example.com").edges()).isEmpty();

    List<String> paged = xray.getServiceGraphPaginator(b -> b.startTime(from).endTime(Instant.now().plusSeconds(60)))
        .services().stream().map(Service::name).collect(Collectors.toList());
    assertThat(paged).containsExactlyInAnyOrderElementsOf(byName.keySet());
  }

  @Test
  void badRequestsComeBackAsTheSdksInvalidRequestException() {
    assertThatThrownBy(() -> summaries("responsetime >"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequestException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("FilterExpression");
        });
    assertThatThrownBy(() -> xray.getTraceSummaries(b -> b.startTime(Instant.now()).endTime(from)))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("EndTime"));
    assertThatThrownBy(() -> xray.getSamplingTargets(b -> b.samplingStatisticsDocuments(
            java.util.Collections.nCopies(26, SamplingStatisticsDocument.builder().ruleName("Default").clientID(hex(24))
                .timestamp(Instant.now()).requestCount(1).sampledCount(1).borrowCount(0).build()))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void samplingRulesAndTargetsThroughTheV2Client() throws Exception {
    List<SamplingRule> rules = xray.getSamplingRules(b -> { }).samplingRuleRecords().stream()
        .map(SamplingRuleRecord::samplingRule).collect(Collectors.toList());
    assertThat(rules).extracting(SamplingRule::ruleName).containsExactly("never-health", "Default");
    SamplingRule health = rules.get(0);
    assertThat(health.urlPath()).isEqualTo("/health");
    assertThat(health.host()).isEqualTo("*");
    assertThat(health.httpMethod()).isEqualTo("*");
    assertThat(health.serviceName()).isEqualTo("*");
    assertThat(health.fixedRate()).isEqualTo(0.0);
    assertThat(health.reservoirSize()).isZero();
    assertThat(health.version()).isEqualTo(1);
    assertThat(health.ruleARN()).endsWith("never-health");
    assertThat(rules.get(1).fixedRate()).isEqualTo(1.0);
    assertThat(rules.get(1).reservoirSize()).isEqualTo(1);
    assertThat(rules.get(0).priority()).isLessThan(rules.get(1).priority());
    assertThat(xray.getSamplingRules(b -> { }).samplingRuleRecords()).allSatisfy(r -> {
      assertThat(r.createdAt()).isNotNull();
      assertThat(r.modifiedAt()).isNotNull();
    });

    long before = JSON.readTree(get("/radiograph/stats")).at("/sampling/never-health/requests").asLong();
    Instant now = Instant.now();
    String client = hex(24);
    software.amazon.awssdk.services.xray.model.GetSamplingTargetsResponse targets = xray.getSamplingTargets(b -> b.samplingStatisticsDocuments(
        SamplingStatisticsDocument.builder().ruleName("never-health").clientID(client).timestamp(now)
            .requestCount(7).sampledCount(0).borrowCount(0).build(),
        SamplingStatisticsDocument.builder().ruleName("Default").clientID(client).timestamp(now)
            .requestCount(4).sampledCount(4).borrowCount(1).build(),
        SamplingStatisticsDocument.builder().ruleName("no-such-rule").clientID(client).timestamp(now)
            .requestCount(1).sampledCount(1).borrowCount(0).build()));
    Map<String, SamplingTargetDocument> byRule = targets.samplingTargetDocuments().stream()
        .collect(Collectors.toMap(SamplingTargetDocument::ruleName, Function.identity()));
    assertThat(byRule).containsOnlyKeys("never-health", "Default");
    assertThat(byRule.get("never-health").fixedRate()).isEqualTo(0.0);
    assertThat(byRule.get("never-health").reservoirQuota()).isZero();
    assertThat(byRule.get("Default").fixedRate()).isEqualTo(1.0);
    assertThat(byRule.get("Default").reservoirQuota()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(1);
    assertThat(byRule.get("Default").reservoirQuotaTTL()).isAfter(now.minusSeconds(1));
    assertThat(byRule.get("Default").interval()).isEqualTo(10);
    assertThat(targets.lastRuleModification()).isNotNull().isBefore(now.plusSeconds(1));
    assertThat(targets.unprocessedStatistics()).singleElement()
        .satisfies(u -> assertThat(u.ruleName()).isEqualTo("no-such-rule"));
    long after = JSON.readTree(get("/radiograph/stats")).at("/sampling/never-health/requests").asLong();
    assertThat(after - before).isEqualTo(7);
  }

  @Test
  void samplingBoostShapesThroughTheV2Client() throws Exception {
    // The daemon's rules-file extension: a rule with X-Ray's SamplingRateBoost.
    Path boostRules = Files.writeString(dir.resolve("boost-rules.json"), "{\"version\":2,\"rules\":[{\"description\":\"orders\","
        + "\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"/orders*\",\"fixed_target\":2,\"rate\":0.1,"
        + "\"sampling_rate_boost\":{\"max_rate\":0.8,\"cooldown_window_minutes\":2}}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.05}}");
    try (Daemon boosted = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .rulesFile(boostRules.toString()).build());
        XRayClient client = XRayClient.builder()
            .endpointOverride(URI.create(boosted.baseUrl()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build()) {
      SamplingRule orders = client.getSamplingRules(b -> { }).samplingRuleRecords().get(0).samplingRule();
      assertThat(orders.ruleName()).isEqualTo("orders");
      assertThat(orders.samplingRateBoost().maxRate()).isEqualTo(0.8);
      assertThat(orders.samplingRateBoost().cooldownWindowMinutes()).isEqualTo(2);
      Instant now = Instant.now();
      String clientId = hex(24);
      software.amazon.awssdk.services.xray.model.GetSamplingTargetsResponse targets = client.getSamplingTargets(b -> b
          .samplingStatisticsDocuments(SamplingStatisticsDocument.builder().ruleName("orders").clientID(clientId)
              .timestamp(now).requestCount(10).sampledCount(3).borrowCount(0).build())
          .samplingBoostStatisticsDocuments(SamplingBoostStatisticsDocument.builder().ruleName("orders")
              .serviceName("shop").timestamp(now).anomalyCount(2).totalCount(10).sampledAnomalyCount(1).build()));
      SamplingTargetDocument target = targets.samplingTargetDocuments().get(0);
      assertThat(target.ruleName()).isEqualTo("orders");
      assertThat(target.reservoirQuota()).isEqualTo(2);
      assertThat(target.samplingBoost().boostRate()).isEqualTo(0.8);
      assertThat(target.samplingBoost().boostRateTTL()).isAfter(now.plusSeconds(60));
      assertThat(targets.unprocessedBoostStatistics()).isEmpty();
    }
  }

  // ------------------------------------------------------------------ AWS SDK v2: writing

  @Test
  void putTraceSegmentsStoresADocumentThatBatchGetTracesReturns() throws Exception {
    long now = System.currentTimeMillis();
    String traceId = "1-" + Long.toHexString(now / 1000) + "-" + hex(24);
    String id = hex(16);
    ObjectNode document = JSON.createObjectNode()
        .put("name", "batch-importer")
        .put("id", id)
        .put("trace_id", traceId)
        .put("start_time", (now - 1500) / 1000.0)
        .put("end_time", (now - 1000) / 1000.0);
    document.putObject("annotations").put("source", "put");
    document.putArray("subsegments").addObject()
        .put("id", hex(16)).put("name", "S3").put("namespace", "aws")
        .put("start_time", (now - 1400) / 1000.0).put("end_time", (now - 1100) / 1000.0)
        .putObject("aws").put("operation", "GetObject").put("region", "us-east-1");
    String text = JSON.writeValueAsString(document);

    PutTraceSegmentsResponse put = xray.putTraceSegments(b -> b.traceSegmentDocuments(text,
        "{\"name\":\"no-trace-id\",\"id\":\"0123456789abcdef\",\"start_time\":1,\"end_time\":2}"));
    assertThat(put.unprocessedTraceSegments()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo("0123456789abcdef");
      assertThat(u.errorCode()).isNotBlank();
      assertThat(u.message()).isNotBlank();
    });

    BatchGetTracesResponse read = xray.batchGetTraces(b -> b.traceIds(traceId));
    assertThat(read.unprocessedTraceIds()).isEmpty();
    assertThat(read.traces()).singleElement().satisfies(trace -> {
      assertThat(trace.id()).isEqualTo(traceId);
      assertThat(trace.duration()).isCloseTo(0.5, within(0.01));
      assertThat(trace.segments()).singleElement().satisfies(segment -> {
        assertThat(segment.id()).isEqualTo(id);
        assertThat(JSON.readTree(segment.document())).isEqualTo(document);
      });
    });
    assertThat(summaries("annotation.source = \"put\"")).extracting(TraceSummary::id).containsExactly(traceId);
    List<UnprocessedTraceSegment> none = xray.putTraceSegments(b -> b.traceSegmentDocuments(text)).unprocessedTraceSegments();
    assertThat(none).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private static List<TraceSummary> summaries(String filter) {
    return xray.getTraceSummaries(b -> b.startTime(from).endTime(Instant.now().plusSeconds(60)).filterExpression(filter))
        .traceSummaries();
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** Polls {@code probe} every 50 ms until {@code done}, for at most {@link #WAIT}. */
  private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up after " + WAIT.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(50);
      last = probe.get();
    }
    return last;
  }

  private static <T> T withDaemonAddressProperty(String address, Supplier<T> create) {
    String key = DaemonConfiguration.DAEMON_ADDRESS_SYSTEM_PROPERTY_KEY;
    String previous = System.getProperty(key);
    System.setProperty(key, address);
    try {
      return create.get();
    } finally {
      if (previous == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, previous);
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String hex(int digits) {
    StringBuilder sb = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return sb.toString();
  }
}
