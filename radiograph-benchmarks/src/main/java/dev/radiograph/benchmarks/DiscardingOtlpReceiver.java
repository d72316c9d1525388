package dev.radiograph.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A stand-in for an OTLP receiver (a collector) in its own process: {@code POST /v1/traces} on
 * 127.0.0.1 (random port) reads the body, throws it away and answers 200 with an empty
 * {@code ExportTraceServiceResponse}. wrk.sh points Radiograph's OTLP exporter and the
 * OpenTelemetry Java agent at it, so both pay for encoding and sending and nothing else.
 * Prints its port, then serves until killed.
 */
public final class DiscardingOtlpReceiver {
  private DiscardingOtlpReceiver() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println(server.getAddress().getPort());
    new CountDownLatch(1).await();
  }
}
