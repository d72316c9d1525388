package dev.radiograph.httpclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 and a random port (the JDK's), standing for a downstream
 * service: it answers {@code ?status=N} with that status after {@code ?delay=ms}, and remembers
 * the trace headers of each request by its {@code ?id=}.
 */
final class Backend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Map<String, String>> headersById = new ConcurrentHashMap<>();

  Backend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri(String query) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/call?" + query);
  }

  /** The trace headers request {@code id} arrived with (absent ones missing). */
  Map<String, String> headers(String id) {
    return headersById.get(id);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> query = new ConcurrentHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    Map<String, String> trace = new ConcurrentHashMap<>();
    for (String name : new String[] {"X-Amzn-Trace-Id", "traceparent"}) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        trace.put(name, value);
      }
    }
    headersById.put(query.getOrDefault("id", "none"), trace);
    try {
      Thread.sleep(Long.parseLong(query.getOrDefault("delay", "0")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(Integer.parseInt(query.getOrDefault("status", "200")), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
