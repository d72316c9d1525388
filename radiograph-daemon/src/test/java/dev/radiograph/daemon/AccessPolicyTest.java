package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may use the daemon over HTTP, over real sockets: the Host allowlist against DNS rebinding,
 * cross-site requests refused on every path, JSON only from browsers, the security headers, and
 * the token that {@code --allow-remote} brings (ingest and sampling stay open).
 */
class AccessPolicyTest {
  private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272701";

  private static Daemon daemon;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    port = daemon.httpPort();
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static String document(String id, String traceId) {
    return "{\"name\":\"web\",\"id\":\"" + id + "\",\"trace_id\":\"" + traceId + "\","
        + "\"start_time\":1465510280.5,\"end_time\":1465510280.75}";
  }

  private static String putBody(String id, String traceId) {
    return "{\"TraceSegmentDocuments\":[\"" + document(id, traceId).replace("\"", "\\\"") + "\"]}";
  }

  private static boolean stored(Daemon d, String traceId) {
    return d.store().read(s -> s.get(traceId) != null);
  }

  @Test
  void loopbackHostsAreServedAndOthersRefused() throws Exception {
    for (String host : List.of("127.0.0.1", "127.0.0.1:" + port, "localhost", "localhost:" + port,
        "LOCALHOST:" + port, "[::1]", "[::1]:" + port)) {
      assertThat(RawHttp.status(RawHttp.get(port, host, "/radiograph/stats", ""))).as(host).isEqualTo(200);
    }
    for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "localhost.evil.example")) {
      String answer = RawHttp.get(port, host, "/radiograph/stats", "");
      assertThat(RawHttp.status(answer)).as(host).isEqualTo(403);
      assertThat(RawHttp.body(answer)).contains("AccessDeniedException").contains("DNS rebinding");
    }
    String rebound = RawHttp.post(port, "evil.example:" + port, "/TraceSegments", "Content-Type: application/json\r\n",
        putBody("70de5b6f19ff9a01", TRACE));
    assertThat(RawHttp.status(rebound)).isEqualTo(403);
    assertThat(RawHttp.status(RawHttp.get(port, "evil.example", "/", ""))).isEqualTo(403);
    assertThat(stored(daemon, TRACE)).isFalse();
  }

  @Test
  void crossSiteRequestsAreRefusedOnEveryPath() throws Exception {
    String own = "http://127.0.0.1:" + port;
    String json = "Content-Type: application/json\r\n";
    String traceId = "1-5759e988-bd862e3fe1be46a994272702";
    for (String headers : List.of("Origin: http://evil.example\r\n", "Origin: null\r\n",
        "Origin: http://127.0.0.1:" + (port + 1) + "\r\n", "Origin: https://127.0.0.1:" + port + "\r\n",
        "Sec-Fetch-Site: cross-site\r\n", "Sec-Fetch-Site: same-site\r\n")) {
      for (String path : List.of("/TraceSegments", "/TraceSummaries", "/Traces", "/ServiceGraph", "/GetSamplingRules",
          "/SamplingTargets")) {
        String answer = RawHttp.post(port, "127.0.0.1:" + port, path, headers + json, putBody("70de5b6f19ff9a02", traceId));
        assertThat(RawHttp.status(answer)).as(path + " with " + headers).isEqualTo(403);
      }
      for (String path : List.of("/radiograph/stats", "/radiograph/viewer-settings", "/viewer/app.js")) {
        assertThat(RawHttp.status(RawHttp.get(port, "127.0.0.1:" + port, path, headers))).as(path + " with " + headers)
            .isEqualTo(403);
      }
    }
    assertThat(stored(daemon, traceId)).isFalse();
    // The viewer's own pages: same origin, and a link followed to the page from elsewhere.
    assertThat(RawHttp.status(RawHttp.post(port, "127.0.0.1:" + port, "/TraceSegments",
        "Origin: " + own + "\r\nSec-Fetch-Site: same-origin\r\n" + json, putBody("70de5b6f19ff9a02", traceId)))).isEqualTo(200);
    assertThat(stored(daemon, traceId)).isTrue();
    assertThat(RawHttp.status(RawHttp.get(port, "127.0.0.1:" + port, "/radiograph/stats", "Sec-Fetch-Site: none\r\n")))
        .isEqualTo(200);
    assertThat(RawHttp.status(RawHttp.get(port, "127.0.0.1:" + port, "/",
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n"))).isEqualTo(200);
    assertThat(RawHttp.status(RawHttp.get(port, "127.0.0.1:" + port, "/",
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: iframe\r\n"))).isEqualTo(403);
  }

  @Test
  void browsersMaySendTheJsonApiOnlyJson() throws Exception {
    String traceId = "1-5759e988-bd862e3fe1be46a994272703";
    String sameOrigin = "Origin: http://127.0.0.1:" + port + "\r\n";
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      String answer = RawHttp.post(port, "127.0.0.1:" + port, "/TraceSegments", sameOrigin + "Content-Type: " + type + "\r\n",
          putBody("70de5b6f19ff9a03", traceId));
      assertThat(RawHttp.status(answer)).as(type).isEqualTo(415);
    }
    assertThat(RawHttp.status(RawHttp.post(port, "127.0.0.1:" + port, "/TraceSegments",
        "Sec-Fetch-Mode: no-cors\r\n", putBody("70de5b6f19ff9a03", traceId)))).as("no type, from a browser").isEqualTo(415);
    assertThat(stored(daemon, traceId)).isFalse();
    // SDKs and the AWS CLI send no Origin: any type will do, as with AWS X-Ray.
    assertThat(RawHttp.status(RawHttp.post(port, "127.0.0.1", "/TraceSegments", "Content-Type: text/plain\r\n",
        putBody("70de5b6f19ff9a03", traceId)))).isEqualTo(200);
    assertThat(stored(daemon, traceId)).isTrue();
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws Exception {
    for (String answer : List.of(RawHttp.get(port, "127.0.0.1", "/", ""), RawHttp.get(port, "127.0.0.1", "/radiograph/stats", ""),
        RawHttp.get(port, "127.0.0.1", "/nothing", ""), RawHttp.get(port, "evil.example", "/", ""))) {
      assertThat(RawHttp.header(answer, "Content-Security-Policy")).contains("default-src 'self'")
          .contains("frame-ancestors 'none'").contains("script-src 'self'");
      assertThat(RawHttp.header(answer, "X-Frame-Options")).isEqualTo("DENY");
      assertThat(RawHttp.header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
    }
  }

  @Test
  void aNextTokenThisDaemonNeverGaveIsA400() throws Exception {
    for (String token : List.of("\"-5\"", "\"2147483647\"", "\"garbage\"", "\"1e3\"", "\"999\"", "\"0\"", "12", "true",
        "\"" + "9".repeat(400) + "\"")) {
      String answer = RawHttp.post(port, "127.0.0.1", "/TraceSummaries", "Content-Type: application/json\r\n",
          "{\"StartTime\":0,\"EndTime\":2000000000,\"NextToken\":" + token + "}");
      assertThat(RawHttp.status(answer)).as(token).isEqualTo(400);
      assertThat(RawHttp.body(answer)).contains("InvalidRequestException").contains("NextToken must be one that an earlier");
    }
    String past = RawHttp.post(port, "127.0.0.1", "/TraceSummaries", "Content-Type: application/json\r\n",
        "{\"StartTime\":0,\"EndTime\":2000000000,\"NextToken\":\"5000\"}");
    assertThat(RawHttp.status(past)).as("a page past the end (the store shrank): empty").isEqualTo(200);
    assertThat(RawHttp.body(past)).contains("\"TraceSummaries\":[]");
  }

  @Test
  void withAllowRemoteTheViewerAndQueryApiNeedTheTokenAndIngestStaysOpen() throws Exception {
    String token = "correct-horse-battery-staple";
    try (Daemon remote = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .allowRemote(List.of("traces.internal")).token(token).build())) {
      int p = remote.httpPort();
      String host = "traces.internal:" + p;
      for (String path : List.of("/", "/viewer/app.js", "/radiograph/stats", "/radiograph/viewer-settings")) {
        String refused = RawHttp.get(p, host, path, "");
        assertThat(RawHttp.status(refused)).as(path).isEqualTo(401);
        assertThat(RawHttp.header(refused, "WWW-Authenticate")).startsWith("Bearer");
        assertThat(RawHttp.status(RawHttp.get(p, host, path, "Authorization: Bearer wrong-token-wrong-token\r\n")))
            .as(path).isEqualTo(401);
        assertThat(RawHttp.status(RawHttp.get(p, host, path, "Authorization: Bearer " + token + "\r\n"))).as(path).isEqualTo(200);
      }
      String query = "{\"StartTime\":0,\"EndTime\":2000000000}";
      for (String path : List.of("/TraceSummaries", "/ServiceGraph")) {
        assertThat(RawHttp.status(RawHttp.post(p, host, path, "", query))).as(path).isEqualTo(401);
        assertThat(RawHttp.status(RawHttp.post(p, host, path, "Authorization: Bearer " + token + "\r\n", query)))
            .as(path).isEqualTo(200);
      }
      // Ingest and sampling: what SDKs call, with no token.
      String traceId = "1-5759e988-bd862e3fe1be46a994272704";
      assertThat(RawHttp.status(RawHttp.post(p, host, "/TraceSegments", "", putBody("70de5b6f19ff9a04", traceId))))
          .isEqualTo(200);
      assertThat(stored(remote, traceId)).isTrue();
      assertThat(RawHttp.status(RawHttp.post(p, host, "/GetSamplingRules", "", "{}"))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.post(p, host, "/SamplingTargets", "",
          "{\"SamplingStatisticsDocuments\":[]}"))).isEqualTo(200);
      byte[] datagram = ("{\"format\":\"json\",\"version\":1}\n" + document("70de5b6f19ff9a05", "1-5759e988-bd862e3fe1be46a994272705"))
          .getBytes(StandardCharsets.UTF_8);
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), remote.udpPort()));
      }
      assertThat(remote.awaitDocuments(2, Duration.ofSeconds(10))).isTrue();
      // The viewer's link: ?token= sets a cookie for this port and takes the token out of the address bar.
      String opened = RawHttp.get(p, host, "/?token=" + token, "");
      assertThat(RawHttp.status(opened)).isEqualTo(303);
      assertThat(RawHttp.header(opened, "Location")).isEqualTo("/");
      String cookie = RawHttp.header(opened, "Set-Cookie");
      assertThat(cookie).startsWith("radiograph-token-" + p + "=" + token).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
      String pair = cookie.substring(0, cookie.indexOf(';'));
      assertThat(RawHttp.status(RawHttp.get(p, host, "/radiograph/stats", "Cookie: " + pair + "\r\n"))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.get(p, host, "/?token=wrong-token-wrong-token", ""))).isEqualTo(401);
      // Other names are still refused, token or not.
      assertThat(RawHttp.status(RawHttp.get(p, "evil.example", "/radiograph/stats", "Authorization: Bearer " + token + "\r\n")))
          .isEqualTo(403);
    }
  }

  @Test
  void allowRemoteMakesUpATokenWhenNoneIsGiven() throws Exception {
    try (Daemon remote = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .allowRemote(List.of("traces.internal")).build())) {
      assertThat(remote.token()).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
      assertThat(RawHttp.status(RawHttp.get(remote.httpPort(), "127.0.0.1", "/radiograph/stats", ""))).isEqualTo(401);
      assertThat(RawHttp.status(RawHttp.get(remote.httpPort(), "127.0.0.1", "/radiograph/stats",
          "Authorization: Bearer " + remote.token() + "\r\n"))).isEqualTo(200);
    }
    assertThat(daemon.token()).as("loopback only: no token").isNull();
  }
}
