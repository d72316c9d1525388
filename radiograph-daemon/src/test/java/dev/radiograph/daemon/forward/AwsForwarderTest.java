package dev.radiograph.daemon.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * The forwarder against a real HTTP server on a random local port that plays AWS X-Ray's REST
 * JSON endpoints ({@code POST /TraceSegments}, {@code /GetSamplingRules}, {@code /SamplingTargets}).
 */
@Timeout(60)
class AwsForwarderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fast retries and a short linger, so that the tests run quickly. */
  private static final AwsForwarder.Limits FAST = AwsForwarder.Limits.DEFAULT
      .withRetries(6, Duration.ofMillis(5), Duration.ofMillis(50))
      .withLinger(Duration.ofMillis(20))
      .withCloseTimeout(Duration.ofSeconds(20));

  private FakeXRay xray;

  @BeforeEach
  void startServer() throws IOException {
    xray = new FakeXRay();
  }

  @AfterEach
  void stopServer() {
    xray.close();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedAndEveryDocumentArrivesExactlyOnce() {
    int throttled = 3;
    xray.traceSegments = (call, ids) -> call < throttled ? Answer.throttled()
        : call == throttled ? Answer.error(500, "InternalFailure", "Internal error") : Answer.ok();
    List<String> ids = new ArrayList<>();
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    for (int i = 0; i < 1_234; i++) {
      String id = segmentId(i);
      ids.add(id);
      assertThat(forwarder.offer(segment(id))).isTrue();
    }
    forwarder.close();

    // Only batches answered with success count as arrived.
    assertThat(xray.acceptedIds).hasSize(1_234).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(xray.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, AwsForwarder.MAX_BATCH_DOCUMENTS));
    AwsForwarder.Stats stats = forwarder.stats();
    assertThat(stats.accepted()).isEqualTo(1_234);
    assertThat(stats.sent()).isEqualTo(1_234);
    assertThat(stats.failed()).isZero();
    assertThat(stats.droppedFull()).isZero();
    assertThat(stats.retries()).isEqualTo(throttled + 1);
    assertThat(stats.batches()).isEqualTo(xray.successfulCalls.get()).isGreaterThanOrEqualTo(25);
    // The test client allows the SDK 3 attempts; the forwarder switches them off, so every
    // HTTP call is one of its own attempts.
    assertThat(xray.traceSegmentCalls.get()).isEqualTo(stats.batches() + stats.retries());
  }

  @Test
  void unprocessedSegmentsAreSentOnceMoreThenFailed() {
    Set<String> refusedOnce = Set.of(segmentId(3), segmentId(17), segmentId(99));
    String alwaysRefused = segmentId(42);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    xray.traceSegments = (call, ids) -> {
      List<String> unprocessed = new ArrayList<>();
      for (String id : ids) {
        if (id.equals(alwaysRefused) || (refusedOnce.contains(id) && seen.add(id))) {
          unprocessed.add(id);
        }
      }
      return Answer.ok(unprocessed);
    };
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    for (int i = 0; i < 120; i++) {
      assertThat(forwarder.offer(segment(segmentId(i)))).isTrue();
    }
    forwarder.close();

    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      expected.add(segmentId(i));
    }
    expected.remove(alwaysRefused);
    assertThat(xray.acceptedIds).hasSize(119).containsExactlyInAnyOrderElementsOf(expected);
    AwsForwarder.Stats stats = forwarder.stats();
    assertThat(stats.sent()).isEqualTo(119);
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(stats.accepted()).isEqualTo(stats.sent() + stats.failed());
    assertThat(xray.received.get(alwaysRefused)).isEqualTo(2); // the first try and one more
    assertThat(xray.received.get(segmentId(3))).isEqualTo(2);
  }

  @Test
  void nonRetryableErrorDropsTheBatchAtOnce() {
    xray.traceSegments = (call, ids) -> Answer.error(400, "InvalidRequestException", "bad segment");
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    for (int i = 0; i < 60; i++) {
      forwarder.offer(segment(segmentId(i)));
    }
    forwarder.close();

    AwsForwarder.Stats stats = forwarder.stats();
    assertThat(stats.failed()).isEqualTo(60);
    assertThat(stats.sent()).isZero();
    assertThat(stats.retries()).isZero();
    assertThat(stats.batches()).isZero();
    assertThat(xray.traceSegmentCalls.get()).isBetween(2, 60); // 50 + 10 unless a batch went out early
  }

  @Test
  void retriesAreBoundedThenTheBatchIsFailed() {
    xray.traceSegments = (call, ids) -> Answer.error(503, "ServiceUnavailable", "try later");
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST.withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20)));
    for (int i = 0; i < 10; i++) {
      forwarder.offer(segment(segmentId(i)));
    }
    long start = System.nanoTime();
    forwarder.close();

    AwsForwarder.Stats stats = forwarder.stats();
    assertThat(stats.failed()).isEqualTo(10);
    assertThat(stats.sent()).isZero();
    int calls = xray.traceSegmentCalls.get();
    assertThat(calls % 3).isZero(); // 3 attempts per batch
    assertThat(stats.retries()).isEqualTo(calls / 3 * 2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void fullBufferDropsAndCountsAndOfferNeverBlocks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    xray.traceSegments = (call, ids) -> {
      try {
        release.await(10, TimeUnit.SECONDS); // AWS hangs: the sender is stuck in its first call
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Answer.ok();
    };
    AwsForwarder forwarder = new AwsForwarder(xray.client(),
        FAST.withCapacity(100).withLinger(Duration.ofMillis(1)));
    int offered = 20_000;
    int refused = 0;
    long start = System.nanoTime();
    for (int i = 0; i < offered; i++) {
      if (!forwarder.offer(segment(segmentId(i)))) {
        refused++;
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    AwsForwarder.Stats stats = forwarder.stats();
    release.countDown();

    assertThat(elapsed).isLessThan(Duration.ofSeconds(3)); // 20,000 offers while AWS hangs
    assertThat(stats.droppedFull()).isEqualTo(refused).isGreaterThanOrEqualTo(offered - 100 - 2L * AwsForwarder.MAX_BATCH_DOCUMENTS);
    assertThat(stats.accepted() + stats.droppedFull()).isEqualTo(offered);
    assertThat(stats.accepted()).isLessThanOrEqualTo(100 + 2L * AwsForwarder.MAX_BATCH_DOCUMENTS);

    forwarder.close();
    AwsForwarder.Stats end = forwarder.stats();
    assertThat(end.sent()).isEqualTo(end.accepted());
    assertThat(xray.acceptedIds).hasSize((int) end.accepted());
    assertThat(forwarder.offer(segment(segmentId(0)))).isFalse(); // closed
  }

  @Test
  void closeWithNothingBufferedIsQuickAndIdempotent() {
    AwsForwarder forwarder = new AwsForwarder(xray.client(), AwsForwarder.Limits.DEFAULT);
    long start = System.nanoTime();
    forwarder.close();
    forwarder.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(forwarder.offer("{}")).isFalse();
    assertThat(forwarder.offer(null)).isFalse();
    assertThat(forwarder.stats()).isEqualTo(new AwsForwarder.Stats(0, 0, 0, 0, 0, 0));
  }

  @Test
  void samplingRulesRoundTrip() throws Exception {
    String answer = "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"checkout\","
        + "\"RuleARN\":\"arn:aws:xray:us-east-1:123456789012:sampling-rule/checkout\",\"ResourceARN\":\"*\","
        + "\"Priority\":100,\"FixedRate\":0.25,\"ReservoirSize\":5,\"ServiceName\":\"shop\",\"ServiceType\":\"*\","
        + "\"Host\":\"*\",\"HTTPMethod\":\"POST\",\"URLPath\":\"/checkout*\",\"Version\":1,"
        + "\"Attributes\":{\"tier\":\"gold\"},\"SamplingRateBoost\":{\"MaxRate\":0.5,\"CooldownWindowMinutes\":2}},"
        + "\"CreatedAt\":1.530000000123E9,\"ModifiedAt\":1530000100},"
        + "{\"SamplingRule\":{\"RuleName\":\"Default\",\"RuleARN\":\"arn:aws:xray:us-east-1:123456789012:sampling-rule/Default\","
        + "\"ResourceARN\":\"*\",\"Priority\":10000,\"FixedRate\":0.05,\"ReservoirSize\":1,\"ServiceName\":\"*\","
        + "\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\",\"Version\":1,\"Attributes\":{}},"
        + "\"CreatedAt\":0.0,\"ModifiedAt\":1.5E9}],\"NextToken\":\"page-2\"}";
    xray.answers.put("/GetSamplingRules", Answer.json(answer));
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    String result;
    try {
      result = forwarder.proxyGetSamplingRules("{\"NextToken\":\"page-1\"}");
    } finally {
      forwarder.close();
    }

    assertThat(xray.bodies.get("/GetSamplingRules")).isEqualTo(JSON.readTree("{\"NextToken\":\"page-1\"}"));
    JsonNode out = JSON.readTree(result);
    assertThat(out.get("NextToken").asText()).isEqualTo("page-2");
    assertThat(out.get("SamplingRuleRecords")).hasSize(2);
    JsonNode record = out.get("SamplingRuleRecords").get(0);
    JsonNode rule = record.get("SamplingRule");
    JsonNode expectedRule = JSON.readTree(answer).get("SamplingRuleRecords").get(0).get("SamplingRule");
    assertThat(fieldNames(rule)).containsExactlyElementsOf(fieldNames(expectedRule));
    assertThat(rule.get("RuleName").asText()).isEqualTo("checkout");
    assertThat(rule.get("HTTPMethod").asText()).isEqualTo("POST");
    assertThat(rule.get("URLPath").asText()).isEqualTo("/checkout*");
    assertThat(rule.get("Priority").asInt()).isEqualTo(100);
    assertThat(rule.get("FixedRate").asDouble()).isEqualTo(0.25);
    assertThat(rule.get("ReservoirSize").asInt()).isEqualTo(5);
    assertThat(rule.get("Version").asInt()).isEqualTo(1);
    assertThat(rule.get("Attributes").get("tier").asText()).isEqualTo("gold");
    assertThat(rule.get("SamplingRateBoost").get("MaxRate").asDouble()).isEqualTo(0.5);
    assertThat(rule.get("SamplingRateBoost").get("CooldownWindowMinutes").asInt()).isEqualTo(2);
    assertThat(record.get("CreatedAt").decimalValue()).isEqualByComparingTo("1530000000.123");
    assertThat(record.get("ModifiedAt").decimalValue()).isEqualByComparingTo("1530000100");
    JsonNode defaultRule = out.get("SamplingRuleRecords").get(1).get("SamplingRule");
    assertThat(defaultRule.get("FixedRate").asDouble()).isEqualTo(0.05);
    assertThat(defaultRule.get("Priority").asInt()).isEqualTo(10000);
    assertThat(out.get("SamplingRuleRecords").get(1).get("ModifiedAt").decimalValue()).isEqualByComparingTo("1500000000");
  }

  @Test
  void samplingTargetsRoundTrip() throws Exception {
    xray.answers.put("/SamplingTargets", Answer.json("{\"SamplingTargetDocuments\":[{\"RuleName\":\"checkout\","
        + "\"FixedRate\":0.1,\"ReservoirQuota\":3,\"ReservoirQuotaTTL\":1.7000001E9,\"Interval\":10,"
        + "\"SamplingBoost\":{\"BoostRate\":0.4,\"BoostRateTTL\":1700000200}}],"
        + "\"LastRuleModification\":1699999999,"
        + "\"UnprocessedStatistics\":[{\"RuleName\":\"gone\",\"ErrorCode\":\"400\",\"Message\":\"Unknown rule\"}],"
        + "\"UnprocessedBoostStatistics\":[]}"));
    String request = "{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"checkout\",\"ClientID\":\"0123456789abcdef01234567\","
        + "\"Timestamp\":1700000000.5,\"RequestCount\":12,\"SampledCount\":4,\"BorrowCount\":1},"
        + "{\"RuleName\":\"gone\",\"ClientID\":\"0123456789abcdef01234567\",\"Timestamp\":1700000000,"
        + "\"RequestCount\":1,\"SampledCount\":0,\"BorrowCount\":0}],"
        + "\"SamplingBoostStatisticsDocuments\":[{\"RuleName\":\"checkout\",\"ServiceName\":\"shop\","
        + "\"Timestamp\":1700000000,\"AnomalyCount\":2,\"TotalCount\":12,\"SampledAnomalyCount\":1}]}";
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    String result;
    try {
      result = forwarder.proxySamplingTargets(request);
    } finally {
      forwarder.close();
    }

    // What reached "AWS" is the request the SDK sent: the same members and values.
    JsonNode sentToAws = xray.bodies.get("/SamplingTargets");
    JsonNode statistics = sentToAws.get("SamplingStatisticsDocuments");
    assertThat(statistics).hasSize(2);
    assertThat(statistics.get(0).get("RuleName").asText()).isEqualTo("checkout");
    assertThat(statistics.get(0).get("ClientID").asText()).isEqualTo("0123456789abcdef01234567");
    assertThat(statistics.get(0).get("Timestamp").decimalValue()).isEqualByComparingTo("1700000000.5");
    assertThat(statistics.get(0).get("RequestCount").asInt()).isEqualTo(12);
    assertThat(statistics.get(0).get("SampledCount").asInt()).isEqualTo(4);
    assertThat(statistics.get(0).get("BorrowCount").asInt()).isEqualTo(1);
    JsonNode boost = sentToAws.get("SamplingBoostStatisticsDocuments").get(0);
    assertThat(boost.get("ServiceName").asText()).isEqualTo("shop");
    assertThat(boost.get("AnomalyCount").asInt()).isEqualTo(2);
    assertThat(boost.get("TotalCount").asInt()).isEqualTo(12);
    assertThat(boost.get("SampledAnomalyCount").asInt()).isEqualTo(1);

    JsonNode out = JSON.readTree(result);
    JsonNode target = out.get("SamplingTargetDocuments").get(0);
    assertThat(target.get("RuleName").asText()).isEqualTo("checkout");
    assertThat(target.get("FixedRate").asDouble()).isEqualTo(0.1);
    assertThat(target.get("ReservoirQuota").asInt()).isEqualTo(3);
    assertThat(target.get("ReservoirQuotaTTL").decimalValue()).isEqualByComparingTo("1700000100");
    assertThat(target.get("Interval").asInt()).isEqualTo(10);
    assertThat(target.get("SamplingBoost").get("BoostRate").asDouble()).isEqualTo(0.4);
    assertThat(target.get("SamplingBoost").get("BoostRateTTL").decimalValue()).isEqualByComparingTo("1700000200");
    assertThat(out.get("LastRuleModification").decimalValue()).isEqualByComparingTo("1699999999");
    assertThat(out.get("UnprocessedStatistics").get(0).get("RuleName").asText()).isEqualTo("gone");
    assertThat(out.get("UnprocessedStatistics").get(0).get("ErrorCode").asText()).isEqualTo("400");
    assertThat(out.get("UnprocessedStatistics").get(0).get("Message").asText()).isEqualTo("Unknown rule");
    assertThat(out.get("UnprocessedBoostStatistics")).isEmpty();
  }

  @Test
  void samplingProxyErrorsCarryTheXRayErrorAnswer() throws Exception {
    xray.answers.put("/SamplingTargets", Answer.error(400, "InvalidRequestException", "ClientID is invalid"));
    AwsForwarder forwarder = new AwsForwarder(xray.client(), FAST);
    try {
      assertThatThrownBy(() -> forwarder.proxySamplingTargets("{\"SamplingStatisticsDocuments\":[]}"))
          .isInstanceOfSatisfying(SamplingProxyException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.errorType()).isEqualTo("InvalidRequestException");
            assertThat(e.getMessage()).isEqualTo("ClientID is invalid");
          });
      int calls = xray.calls.get();
      assertThatThrownBy(() -> forwarder.proxyGetSamplingRules("{\"NextToken\": 7}"))
          .isInstanceOfSatisfying(SamplingProxyException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.errorType()).isEqualTo("InvalidRequestException");
            assertThat(e.getMessage()).contains("NextToken");
          });
      assertThatThrownBy(() -> forwarder.proxySamplingTargets("{\"SamplingStatisticsDocuments\":[{\"RequestCount\":1.5}]}"))
          .isInstanceOfSatisfying(SamplingProxyException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
      assertThatThrownBy(() -> forwarder.proxySamplingTargets("{not json"))
          .isInstanceOfSatisfying(SamplingProxyException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            JsonNode body = readTree(e.toJson());
            assertThat(body.get("__type").asText()).isEqualTo("InvalidRequestException");
            assertThat(body.get("message").asText()).isNotEmpty();
          });
      assertThat(xray.calls.get()).isEqualTo(calls); // bad requests never reach AWS
    } finally {
      forwarder.close();
    }

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    AwsForwarder unreachable = new AwsForwarder(client(URI.create("http://127.0.0.1:" + closedPort)), FAST);
    try {
      assertThatThrownBy(() -> unreachable.proxyGetSamplingRules("{}"))
          .isInstanceOfSatisfying(SamplingProxyException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.errorType()).isEqualTo("ServiceUnavailable");
          });
    } finally {
      unreachable.close();
    }
  }

  @Test
  void createUsesTheDefaultCredentialChainAndTheGivenRegionAndEndpoint() {
    xray.answers.put("/GetSamplingRules", Answer.json("{\"SamplingRuleRecords\":[]}"));
    xray.traceSegments = (call, ids) -> Answer.ok();
    Map<String, String> saved = new HashMap<>();
    for (String key : List.of("aws.accessKeyId", "aws.secretAccessKey")) {
      saved.put(key, System.getProperty(key));
    }
    System.setProperty("aws.accessKeyId", "AKIDFROMCHAIN");
    System.setProperty("aws.secretAccessKey", "secret");
    try {
      AwsForwarder forwarder = AwsForwarder.create("eu-west-3", xray.endpoint());
      try {
        assertThat(JSON.readTree(forwarder.proxyGetSamplingRules("")).get("SamplingRuleRecords")).isEmpty();
        assertThat(forwarder.offer(segment(segmentId(1)))).isTrue();
      } finally {
        forwarder.close();
      }
      assertThat(forwarder.stats().sent()).isEqualTo(1);
      assertThat(xray.authorizations).allSatisfy(a -> assertThat(a).contains("Credential=AKIDFROMCHAIN/").contains("/eu-west-3/xray/"));
    } catch (IOException e) {
      throw new AssertionError(e);
    } finally {
      saved.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
    }
  }

  @Test
  void documentIdIsReadForUnprocessedMapping() {
    assertThat(AwsForwarder.documentId(segment("0123456789abcdef"))).isEqualTo("0123456789abcdef");
    assertThat(AwsForwarder.documentId("{\"name\":\"x\"}")).isNull();
    assertThat(AwsForwarder.documentId("not json")).isNull();
    assertThat(AwsForwarder.documentId("[1]")).isNull();
  }

  // --- helpers --------------------------------------------------------------------------------

  private static String segmentId(int i) {
    return String.format("%016x", 0x1000_0000_0000L + i);
  }

  private static String segment(String id) {
    long now = System.currentTimeMillis() / 1000;
    return "{\"name\":\"shop\",\"id\":\"" + id + "\",\"trace_id\":\"1-" + String.format("%08x", now)
        + "-0123456789abcdef01234567\",\"start_time\":" + now + ".125,\"end_time\":" + now + ".25}";
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An X-Ray client as the tests build it: static credentials, us-east-1, and fast SDK retries. */
  static XRayClient client(URI endpoint) {
    return XRayClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(c -> c
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .build())
            .apiCallTimeout(Duration.ofSeconds(15)))
        .build();
  }

  /** What the fake X-Ray answers: a status, a JSON body, and for errors the error type header. */
  record Answer(int status, String body, String errorType, List<String> unprocessed) {
    static Answer ok() {
      return ok(List.of());
    }

    static Answer ok(List<String> unprocessedIds) {
      return new Answer(200, null, null, unprocessedIds);
    }

    static Answer json(String body) {
      return new Answer(200, body, null, List.of());
    }

    static Answer throttled() {
      return error(429, "ThrottledException", "Rate exceeded");
    }

    static Answer error(int status, String type, String message) {
      ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
      return new Answer(status, body.toString(), type, List.of());
    }
  }

  interface TraceSegmentsBehaviour {
    /** The answer to the {@code call}-th (0-based) PutTraceSegments call, which carries {@code ids}. */
    Answer answer(int call, List<String> ids);
  }

  /** AWS X-Ray's REST JSON API on 127.0.0.1 and a random port, recording what it receives. */
  static final class FakeXRay implements AutoCloseable {
    final HttpServer server;
    final ExecutorService executor = Executors.newFixedThreadPool(4);
    volatile TraceSegmentsBehaviour traceSegments = (call, ids) -> Answer.ok();
    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger traceSegmentCalls = new AtomicInteger();
    final AtomicInteger successfulCalls = new AtomicInteger();
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    /** Ids of the documents of successful calls, less those answered as unprocessed. */
    final List<String> acceptedIds = Collections.synchronizedList(new ArrayList<>());
    /** How many times each id was received, in any call. */
    final Map<String, Integer> received = new ConcurrentHashMap<>();
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

    FakeXRay() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    XRayClient client() {
      return AwsForwarderTest.client(endpoint());
    }

    private void handle(HttpExchange exchange) throws IOException {
      try {
        calls.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
          authorizations.add(auth);
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
          bytes = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        bodies.put(path, body);
        Answer answer;
        if ("POST".equals(exchange.getRequestMethod()) && "/TraceSegments".equals(path)) {
          answer = traceSegments(body);
        } else {
          answer = answers.getOrDefault(path, Answer.error(404, "UnknownOperationException", "no " + path));
        }
        respond(exchange, answer);
      } catch (RuntimeException | IOException e) {
        e.printStackTrace();
        throw e;
      } finally {
        exchange.close();
      }
    }

    private Answer traceSegments(JsonNode body) throws IOException {
      int call = traceSegmentCalls.getAndIncrement();
      List<String> ids = new ArrayList<>();
      for (JsonNode document : body.get("TraceSegmentDocuments")) {
        String id = JSON.readTree(document.asText()).get("id").asText();
        ids.add(id);
        received.merge(id, 1, Integer::sum);
      }
      batchSizes.add(ids.size());
      Answer answer = traceSegments.answer(call, ids);
      if (answer.status() != 200) {
        return answer;
      }
      successfulCalls.incrementAndGet();
      ObjectNode out = JSON.createObjectNode();
      ArrayNode unprocessed = out.putArray("UnprocessedTraceSegments");
      for (String id : ids) {
        if (answer.unprocessed().contains(id)) {
          unprocessed.addObject().put("Id", id).put("ErrorCode", "ThrottledException").put("Message", "Rate exceeded");
        } else {
          acceptedIds.add(id);
        }
      }
      return Answer.json(out.toString());
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
      byte[] out = answer.body() == null ? "{}".getBytes(StandardCharsets.UTF_8)
          : answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "test-request");
      if (answer.errorType() != null) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.errorType());
      }
      exchange.sendResponseHeaders(answer.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
