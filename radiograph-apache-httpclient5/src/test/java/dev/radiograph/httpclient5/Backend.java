package dev.radiograph.httpclient5;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The downstream service: the JDK's HTTP server on 127.0.0.1 and a random port. A request to
 * {@code /call?id=ID} is remembered with the trace headers it arrived with, then answered with
 * {@code status} (default 200) after {@code delay} ms; with {@code redirect=ID2} the answer is a
 * redirect (the given status, default 302) to {@code /call?id=ID2}. Requests are counted by id. A {@code HEAD} is answered
 * without a body.
 */
final class Backend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);
  private final Map<String, TraceHeadersSeen> seen = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> arrivals = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  /** The trace headers one request arrived with; null where absent. */
  record TraceHeadersSeen(String method, String amazon, String traceparent) {}

  Backend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri(String query) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/call?" + query);
  }

  /** The headers request {@code id} arrived with, or null if it never arrived. */
  TraceHeadersSeen headers(String id) {
    return seen.get(id);
  }

  /** How many requests with {@code id} arrived (a retried call's attempts share its id). */
  int requests(String id) {
    AtomicInteger count = requests.get(id);
    return count == null ? 0 : count.get();
  }

  /** Waits (bounded) until request {@code id} has arrived. */
  boolean awaitArrival(String id, Duration timeout) throws InterruptedException {
    return arrival(id).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private CountDownLatch arrival(String id) {
    return arrivals.computeIfAbsent(id, key -> new CountDownLatch(1));
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    try (InputStream body = exchange.getRequestBody()) {
      body.readAllBytes();
    }
    String id = query.getOrDefault("id", "none");
    seen.put(id, new TraceHeadersSeen(exchange.getRequestMethod(),
        exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id"),
        exchange.getRequestHeaders().getFirst("traceparent")));
    requests.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
    arrival(id).countDown();
    try {
      Thread.sleep(Long.parseLong(query.getOrDefault("delay", "0")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String redirect = query.get("redirect");
    if (redirect != null) {
      exchange.getResponseHeaders().set("Location", "/call?id=" + redirect);
      exchange.sendResponseHeaders(Integer.parseInt(query.getOrDefault("status", "302")), -1);
      exchange.close();
      return;
    }
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(Integer.parseInt(query.getOrDefault("status", "200")), -1);
      exchange.close();
      return;
    }
    byte[] answer = ("answer to " + id).getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(Integer.parseInt(query.getOrDefault("status", "200")), answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
