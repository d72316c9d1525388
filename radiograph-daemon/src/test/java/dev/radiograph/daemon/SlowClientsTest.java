package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server against slow, stalled and oversized clients: half-sent requests hold nothing
 * that other clients need, deadlines close them, and limits are answered 431 and 413. HTTP/2
 * cleartext is served, upgraded and with prior knowledge.
 */
class SlowClientsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private static Socket open(int port, String text) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return socket;
  }

  /** Whether the server closes the connection (with or without an answer) within 30 s. */
  private static boolean closedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    byte[] buffer = new byte[8192];
    try {
      while (socket.getInputStream().read(buffer) >= 0) {
        // an answer, if any, then the end
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void fiftyHalfSentConnectionsDoNotStopAHundredApiCalls() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      int port = daemon.httpPort();
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          switch (i % 3) {
            case 0: // headers that never end
              held.add(open(port, "POST /TraceSummaries HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
              break;
            case 1: // a body that never arrives in full
              held.add(open(port, "POST /TraceSummaries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100000\r\n\r\n{\"StartTime\":"));
              break;
            default: // a chunk size that is no number
              held.add(open(port, "POST /TraceSegments HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n"));
              break;
          }
        }
        long now = System.currentTimeMillis() / 1000;
        String query = "{\"StartTime\":" + (now - 600) + ",\"EndTime\":" + (now + 60) + "}";
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
          for (int i = 0; i < 100; i++) {
            HttpRequest request = i % 2 == 0
                ? HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/radiograph/stats")).timeout(Duration.ofSeconds(20)).build()
                : HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/TraceSummaries")).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
          }
        });
        // The bad chunk sizes were not held: the server closed those connections.
        for (int i = 2; i < held.size(); i += 3) {
          assertThat(closedByServer(held.get(i))).as("connection %d, chunk size ZZZ", i).isTrue();
        }
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  @Test
  void deadlinesCloseWhatStalls() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .requestTimeout(Duration.ofMillis(500)).build())) {
      int port = daemon.httpPort();
      // A body that stops half-way: 408, and the connection is closed.
      try (Socket socket = open(port, "POST /TraceSegments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"Trace")) {
        String answer = RawHttp.readToEnd(socket.getInputStream());
        assertThat(RawHttp.status(answer)).isEqualTo(408);
        assertThat(RawHttp.body(answer)).contains("RequestTimeoutException");
      }
      // The next request on a kept-alive connection must come in time too, even trickling.
      try (Socket socket = open(port, "GET /radiograph/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[65536];
        assertThat(socket.getInputStream().read(buffer)).isPositive(); // the first answer
        boolean closed = false;
        out.write("GET /radiograph/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 300 && !closed; i++) { // a header line every 100 ms: never idle, never done
          try {
            out.write(("X-Trickle-" + i + ": x\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.setSoTimeout(100);
            closed = socket.getInputStream().read(buffer) < 0;
          } catch (java.net.SocketTimeoutException e) {
            // still open
          } catch (IOException e) {
            closed = true; // reset by the server
          }
        }
        assertThat(closed).as("closed by the deadline while trickling").isTrue();
      }
      // A connection that says nothing is closed by the idle timeout.
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(30_000);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(DaemonApiTestSupport.get(daemon, "/radiograph/stats")).contains("\"accepted\"");
    }
  }

  @Test
  void headersAndBodiesPastTheLimitsGet431And413() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      int port = daemon.httpPort();
      String big = "x".repeat(Daemon.MAX_HEADER_BYTES + 1);
      assertThat(RawHttp.status(RawHttp.get(port, "127.0.0.1", "/radiograph/stats", "X-Big: " + big + "\r\n")))
          .isEqualTo(431);
      String declared = RawHttp.exchange(port, "POST /TraceSegments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + (dev.radiograph.daemon.api.XRayApi.MAX_BODY_BYTES + 1)
          + "\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.status(declared)).isEqualTo(413);
      assertThat(RawHttp.body(declared)).contains("request body larger than");
      // Chunked, so the size is known only as it arrives.
      try (Socket socket = open(port, "POST /TraceSegments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n")) {
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        String answer = null;
        try {
          for (int i = 0; i < 9; i++) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.flush();
        } catch (IOException e) {
          // the server may close before all is written
        }
        answer = RawHttp.readToEnd(socket.getInputStream());
        assertThat(RawHttp.status(answer)).isEqualTo(413);
      }
      assertThat(DaemonApiTestSupport.get(daemon, "/radiograph/stats")).contains("\"accepted\"");
    }
  }

  @Test
  void http2CleartextIsServedUpgradedAndWithPriorKnowledge() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> upgraded = h2.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/radiograph/stats")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(upgraded.statusCode()).isEqualTo(200);
      assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);

      Vertx vertx = Vertx.vertx();
      try {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        String[] answer = client.request(HttpMethod.GET, daemon.httpPort(), "127.0.0.1", "/radiograph/stats")
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> response.version() + " " + response.statusCode() + " " + body))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).split(" ", 3);
        assertThat(answer[0]).isEqualTo("HTTP_2");
        assertThat(answer[1]).isEqualTo("200");
        assertThat(answer[2]).contains("\"accepted\"");
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
