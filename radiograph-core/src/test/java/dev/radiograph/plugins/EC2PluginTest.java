package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The EC2 plugin against loopback servers that play IMDS. */
class EC2PluginTest {
  static final String TOKEN = "AQAEAEf4q1rQ-imdsv2-token-for-tests==";
  static final String DOCUMENT = "{\n"
      + "  \"accountId\" : \"111122223333\",\n"
      + "  \"architecture\" : \"x86_64\",\n"
      + "  \"availabilityZone\" : \"us-west-2b\",\n"
      + "  \"billingProducts\" : null,\n"
      + "  \"devpayProductCodes\" : null,\n"
      + "  \"marketplaceProductCodes\" : null,\n"
      + "  \"imageId\" : \"ami-0c55b159cbfafe1f0\",\n"
      + "  \"instanceId\" : \"i-0123456789abcdef0\",\n"
      + "  \"instanceType\" : \"m5.large\",\n"
      + "  \"kernelId\" : null,\n"
      + "  \"pendingTime\" : \"2024-03-11T09:17:22Z\",\n"
      + "  \"privateIp\" : \"10.0.1.27\",\n"
      + "  \"ramdiskId\" : null,\n"
      + "  \"region\" : \"us-west-2\",\n"
      + "  \"version\" : \"2017-09-30\"\n"
      + "}";
  static final Map<String, Object> EC2_BLOCK = Map.of(
      "instance_id", "i-0123456789abcdef0",
      "availability_zone", "us-west-2b",
      "instance_size", "m5.large",
      "ami_id", "ami-0c55b159cbfafe1f0");

  private MetadataServer imds;
  private CapturedLogs logs;

  /** Loads the HTTP client's classes once, so that no timing below counts them. */
  @BeforeAll
  static void warmUp() throws Exception {
    try (MetadataServer server = MetadataServer.start()) {
      new MetadataHttp(Duration.ofSeconds(5), null).send("GET", java.net.URI.create(server.url() + "/warm-up"));
    }
  }

  @BeforeEach
  void start() throws Exception {
    imds = MetadataServer.start();
    logs = new CapturedLogs();
  }

  @AfterEach
  void stop() {
    imds.close();
    logs.close();
  }

  /** IMDS with IMDSv2 required: the document only for a request that carries the token. */
  static void playImdsV2(MetadataServer server, String document) {
    server.on("PUT", EC2Plugin.TOKEN_PATH, request -> request.header(EC2Plugin.TOKEN_TTL_HEADER) == null
        ? new MetadataServer.Answer(400, "missing TTL")
        : new MetadataServer.Answer(200, TOKEN));
    server.on("GET", EC2Plugin.DOCUMENT_PATH, request -> TOKEN.equals(request.header(EC2Plugin.TOKEN_HEADER))
        ? new MetadataServer.Answer(200, document)
        : new MetadataServer.Answer(401, ""));
  }

  private EC2Plugin plugin() {
    return new EC2Plugin(imds.url(), Duration.ofSeconds(1));
  }

  @Test
  void imdsV2TokenFirstThenTheDocumentWithTheToken() {
    playImdsV2(imds, DOCUMENT);

    PluginData data = plugin().collect();

    assertThat(data.origin()).isEqualTo("AWS::EC2::Instance");
    assertThat(data.aws()).containsOnlyKeys("ec2");
    assertThat(data.aws().get("ec2")).isEqualTo(EC2_BLOCK);
    List<MetadataServer.Request> requests = imds.requests();
    assertThat(requests).extracting(r -> r.method + " " + r.path).containsExactly(
        "PUT /latest/api/token", "GET /latest/dynamic/instance-identity/document");
    int ttl = Integer.parseInt(requests.get(0).header("X-aws-ec2-metadata-token-ttl-seconds"));
    assertThat(ttl).isBetween(1, 21600);
    assertThat(requests.get(1).header("X-aws-ec2-metadata-token")).isEqualTo(TOKEN);
    assertThat(logs.all()).isEmpty();
  }

  @ParameterizedTest(name = "token request answered {0}")
  @ValueSource(ints = {403, 404, 405})
  void anImdsThatRefusesTheTokenIsAskedWithImdsV1(int status) {
    imds.on("PUT", EC2Plugin.TOKEN_PATH, status, "");
    imds.on("GET", EC2Plugin.DOCUMENT_PATH, 200, DOCUMENT);

    PluginData data = plugin().collect();

    assertThat(data.origin()).isEqualTo("AWS::EC2::Instance");
    assertThat(data.aws()).isEqualTo(Map.of("ec2", EC2_BLOCK));
    List<MetadataServer.Request> requests = imds.requests();
    assertThat(requests).extracting(r -> r.method).containsExactly("PUT", "GET");
    assertThat(requests.get(1).header("X-aws-ec2-metadata-token")).isNull();
  }

  @Test
  void anImdsThatNeverAnswersCostsOneTimeoutOnceAndAddsNothing() throws Exception {
    Duration timeout = Duration.ofMillis(400);
    try (SilentServer silent = new SilentServer()) {
      EC2Plugin plugin = new EC2Plugin(silent.url(), timeout);

      long start = System.nanoTime();
      PluginData data = plugin.collect();
      long elapsed = millisSince(start);

      assertThat(data).isEqualTo(PluginData.empty());
      assertThat(elapsed).isGreaterThanOrEqualTo(timeout.toMillis() - 50).isLessThan(timeout.toMillis() + 500);
      assertThat(silent.connections()).as("no IMDSv1 attempt after a token request without an answer").isEqualTo(1);
      assertThat(logs.at(Level.WARNING)).singleElement().asString()
          .contains("EC2Plugin adds nothing").contains(silent.url()).contains("400 ms");

      // Fetched once: asking again costs nothing and calls nobody.
      long again = System.nanoTime();
      assertThat(plugin.collect()).isSameAs(data);
      assertThat(millisSince(again)).isLessThan(100);
      assertThat(silent.connections()).isEqualTo(1);
      assertThat(logs.all()).hasSize(1);
    }
  }

  @Test
  void collectAllWithAnImdsThatNeverAnswersFinishesWithinTheBudget() throws Exception {
    Duration budget = Duration.ofMillis(500);
    try (SilentServer silent = new SilentServer()) {
      // The plugin's own timeout is longer than the budget: the budget decides.
      EC2Plugin slow = new EC2Plugin(silent.url(), Duration.ofSeconds(3));

      long start = System.nanoTime();
      PluginData data = Plugins.collectAll(List.of(slow), budget);
      long elapsed = millisSince(start);

      assertThat(data.isEmpty()).isTrue();
      assertThat(elapsed).isLessThan(budget.toMillis() + 500);
      assertThat(logs.at(Level.WARNING)).singleElement().asString()
          .contains("EC2Plugin did not finish within 500 ms");
    }
  }

  @Test
  void collectAllWithAPluginTimeoutShorterThanTheBudgetEndsWhenThePluginGivesUp() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      EC2Plugin plugin = new EC2Plugin(silent.url(), Duration.ofMillis(300));

      long start = System.nanoTime();
      PluginData data = Plugins.collectAll(List.of(plugin), Duration.ofSeconds(5));

      assertThat(data.isEmpty()).isTrue();
      assertThat(millisSince(start)).isLessThan(300 + 500);
      assertThat(silent.connections()).isEqualTo(1);
    }
  }

  @Test
  void malformedDocumentAddsNothing() {
    playImdsV2(imds, "{\"instanceId\": \"i-0123456789abcdef0\", \"availabilityZone\": ");

    assertThat(plugin().collect()).isEqualTo(PluginData.empty());
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("malformed JSON");
  }

  @Test
  void aDocumentThatIsNotAnObjectOrHasNoInstanceIdAddsNothing() {
    playImdsV2(imds, "[\"i-0123456789abcdef0\"]");
    assertThat(plugin().collect().isEmpty()).isTrue();

    imds.on("GET", EC2Plugin.DOCUMENT_PATH, 200, "{\"region\": \"us-west-2\"}");
    assertThat(plugin().collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).hasSize(2);
  }

  @Test
  void anErrorStatusForTheDocumentAddsNothing() {
    imds.on("PUT", EC2Plugin.TOKEN_PATH, 200, TOKEN);
    imds.on("GET", EC2Plugin.DOCUMENT_PATH, 500, "internal error");

    assertThat(plugin().collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("HTTP 500");
  }

  @Test
  void nothingListeningAddsNothingQuickly() throws Exception {
    String closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = "http://127.0.0.1:" + s.getLocalPort();
    }
    long start = System.nanoTime();
    assertThat(new EC2Plugin(closedPort, Duration.ofSeconds(1)).collect().isEmpty()).isTrue();
    assertThat(millisSince(start)).isLessThan(1000);
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("no instance metadata service");
  }

  @Test
  void rejectsABadEndpointOrTimeout() {
    assertThatThrownBy(() -> new EC2Plugin("169.254.169.254", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    assertThatThrownBy(() -> new EC2Plugin("http://169.254.169.254", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThat(new EC2Plugin().name()).isEqualTo("EC2Plugin");
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
