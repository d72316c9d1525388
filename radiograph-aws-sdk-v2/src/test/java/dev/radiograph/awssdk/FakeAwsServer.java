package dev.radiograph.awssdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A loopback HTTP server playing an AWS service: it records each request it receives (headers,
 * path, body) and answers with the replies queued by the test, then with its default answer.
 */
final class FakeAwsServer implements AutoCloseable {
  /** A request as the server received it. */
  record Received(String method, String path, com.sun.net.httpserver.Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  /** An answer: status, headers, body. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply of(int status, String contentType, String body, String... headerPairs) {
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      headers.put("Content-Type", contentType);
      for (int i = 0; i + 1 < headerPairs.length; i += 2) {
        headers.put(headerPairs[i], headerPairs[i + 1]);
      }
      return new Reply(status, headers, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Reply> queued = new ConcurrentLinkedQueue<>();
  private final Function<Received, Reply> defaultAnswer;

  private FakeAwsServer(Function<Received, Reply> defaultAnswer) throws IOException {
    this.defaultAnswer = defaultAnswer;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static FakeAwsServer start(Function<Received, Reply> defaultAnswer) throws IOException {
    return new FakeAwsServer(defaultAnswer);
  }

  /** A loopback endpoint nothing listens on: a port bound, then closed. */
  static URI closedEndpoint() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next requests with {@code replies}, in order, before the default answer. */
  void answerNext(Reply... replies) {
    queued.addAll(List.of(replies));
  }

  List<Received> received() {
    return received;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders(), body);
      received.add(request);
      Reply reply = queued.poll();
      if (reply == null) {
        reply = defaultAnswer.apply(request);
      }
      reply.headers().forEach(exchange.getResponseHeaders()::set);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      boolean noBody = bytes.length == 0 || "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : bytes.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
