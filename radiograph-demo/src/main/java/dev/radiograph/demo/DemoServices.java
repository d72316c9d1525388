package dev.radiograph.demo;

import dev.radiograph.RecorderBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import dev.radiograph.sql.SqlDatabase;
import dev.radiograph.sql.SqlTracing;
import dev.radiograph.sql.StatementKind;
import dev.radiograph.config.SettingKey;
import dev.radiograph.httpclient.TracedHttpClient;
import dev.radiograph.vertx.RadiographVertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's services calling each other, each traced the way its kind of server is: a
 * {@code gateway} on Vert.x 5 (radiograph-vertx) takes checkouts and passes them to the
 * {@code storefront}, which looks the product up in the {@code catalog} (Javalin 7, with
 * radiograph-javalin; called through radiograph-http-client's {@link TracedHttpClient}), asks
 * {@code inventory} for stock and {@code orders} to place the order; {@code orders} writes to its
 * database and reserves stock in {@code inventory}. Storefront, orders and inventory run on the
 * JDK's HttpServer, traced with the core API. Each service has its own recorder and name, all
 * sending to one daemon and sampling by its rules. Latency, client errors, faults and throttling
 * happen at realistic rates so the viewer has something to show.
 *
 * <p>With an {@code accounts} service (radiograph-demo-spring, a Spring Boot application in its
 * own JVM, traced by the starter): {@code orders} records each order there after reserving the
 * stock, and the gateway serves {@code GET /account/{customer}} from its account pages, naming
 * the catalog in the {@code X-Catalog-Url} header. RATIONALE: the catalog's port is random and
 * chosen here, after the accounts service has started (this JVM is given its URL), so the
 * accounts service cannot be told it at start-up.
 *
 * <p>Each placed order is also published to an SQS queue ({@link OrderEvents}: ElasticMQ in this
 * JVM), from which the {@code order-worker} continues the order's trace.
 *
 * <p>With a {@code recommendations} service (radiograph-demo-webflux, a reactive Spring Boot
 * application, traced by the starter): the storefront asks it for suggestions beside each product,
 * and it asks the accounts service whether the customer has bought before (a {@code WebClient}
 * call), so a checkout's trace shows the WebFlux service between the storefront and accounts.
 */
public final class DemoServices implements AutoCloseable {
  private final List<AutoCloseable> services = new ArrayList<>(); // closed in reverse order
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<Recorder> recorders = new ArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
    Thread t = new Thread(r, "radiograph-demo");
    t.setDaemon(true);
    return t;
  });
  private final URI storefront;
  private final URI catalog;
  private final URI gateway;
  private final URI accounts; // null: no accounts service
  private final String orderEventsQueue;
  private final URI recommendations; // null: no recommendations service

  /** Starts the services on loopback ports, sending to the daemon at {@code daemonAddress}. */
  public DemoServices(String daemonAddress) throws IOException {
    this(daemonAddress, null);
  }

  /**
   * Starts the services on loopback ports, sending to the daemon at {@code daemonAddress}, with
   * the accounts service at {@code accounts} (its base URL; null: none).
   */
  public DemoServices(String daemonAddress, URI accounts) throws IOException {
    this(daemonAddress, accounts, null);
  }

  /**
   * As {@link #DemoServices(String, URI)}, with the recommendations service at
   * {@code recommendations} (radiograph-demo-webflux; its base URL; null: none), which the
   * storefront asks for suggestions beside each product it sells.
   */
  public DemoServices(String daemonAddress, URI accounts, URI recommendations) throws IOException {
    this.accounts = accounts;
    this.recommendations = recommendations;
    try {
      Recorder inventoryRecorder = recorder(Recorder.builder(), "inventory", daemonAddress);
      HttpServer inventory = server();
      inventory.createContext("/", new TracedHandler("inventory", inventoryRecorder, exchange -> inventory(inventoryRecorder, exchange)));
      URI inventoryUri = uri(inventory);

      Recorder ordersRecorder = recorder(Recorder.builder(), "orders", daemonAddress);
      // The worker polls between messages, outside any segment: that is not missing context.
      Recorder workerRecorder = recorder(Recorder.builder().setting(SettingKey.CONTEXT_MISSING, "IGNORE_ERROR"),
          "order-worker", daemonAddress);
      OrderEvents orderEvents = new OrderEvents(ordersRecorder, workerRecorder);
      services.add(orderEvents);
      this.orderEventsQueue = orderEvents.queueUrl();
      TracedHttpCalls ordersCalls = new TracedHttpCalls(ordersRecorder);
      HttpServer orders = server();
      orders.createContext("/", new TracedHandler("orders", ordersRecorder,
          exchange -> orders(ordersRecorder, ordersCalls, orderEvents, inventoryUri, accounts, exchange)));
      URI ordersUri = uri(orders);

      CatalogService catalogService = new CatalogService(recorder(Recorder.builder(), "catalog", daemonAddress));
      services.add(catalogService);
      URI catalogUri = catalogService.uri();
      this.catalog = catalogUri;

      Recorder storeRecorder = recorder(Recorder.builder(), "storefront", daemonAddress);
      TracedHttpCalls storeCalls = new TracedHttpCalls(storeRecorder);
      HttpClient catalogClient = TracedHttpClient.wrap(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), storeRecorder, "catalog");
      HttpServer store = server();
      store.createContext("/", new TracedHandler("storefront", storeRecorder,
          exchange -> storefront(storeRecorder, storeCalls, catalogClient, catalogUri, inventoryUri, ordersUri,
              recommendations, exchange)));
      this.storefront = uri(store);

      // The gateway's recorder keeps the current segment on the Vert.x context.
      GatewayService gatewayService = new GatewayService(
          recorder(RadiographVertx.recorderBuilder(), "gateway", daemonAddress), storefront, accounts, catalogUri);
      services.add(gatewayService);
      this.gateway = gatewayService.uri();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The gateway's base URL, where traffic goes. */
  public URI gateway() {
    return gateway;
  }

  /** The storefront's base URL (behind the gateway). */
  public URI storefront() {
    return storefront;
  }

  /** The catalog's base URL. */
  public URI catalog() {
    return catalog;
  }

  /** The URL of the SQS queue orders publishes to and the order-worker consumes. */
  public String orderEventsQueue() {
    return orderEventsQueue;
  }

  /** The recommendations service's base URL, or null when the demo runs without it. */
  public URI recommendations() {
    return recommendations;
  }

  /** The accounts service's base URL, or null when the demo runs without it. */
  public URI accounts() {
    return accounts;
  }

  private Recorder recorder(RecorderBuilder builder, String name, String daemonAddress) {
    Recorder recorder = builder
        .tracingName(name)
        .daemonAddress(daemonAddress)
        .setting(SettingKey.CAPTURE_ANOMALIES, "true") // keep the failures the sampler skipped
        .setting(SettingKey.ANOMALY_LATENCY_THRESHOLD, "250ms")
        .build();
    recorders.add(recorder);
    return recorder;
  }

  private HttpServer server() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    server.setExecutor(threads);
    server.start();
    servers.add(server);
    return server;
  }

  private static URI uri(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void storefront(Recorder recorder, TracedHttpCalls calls, HttpClient catalogClient, URI catalog,
      URI inventory, URI orders, URI recommendations, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/health")) {
      respond(exchange, 200, "ok");
      return;
    }
    String customer = query(exchange, "customer", "guest");
    String sku = query(exchange, "sku", "sku-1");
    recorder.currentSegment().putAnnotation("customer", customer);
    recorder.currentSegment().putAnnotation("sku", sku);
    recorder.currentSegment().setUser(customer);
    // The catalog call goes through radiograph-http-client's TracedHttpClient: a remote
    // subsegment (named after the host) and the trace headers, with no tracing code here.
    HttpResponse<String> product = product(catalogClient, catalog.resolve("/products/" + sku));
    if (product == null || product.statusCode() >= 500) {
      respond(exchange, 502, "catalog unavailable");
      return;
    }
    if (product.statusCode() == 404) {
      respond(exchange, 404, "unknown product " + sku);
      return;
    }
    if (recommendations != null) {
      // Suggestions beside the product (a WebFlux service); the sale goes on without them.
      calls.call("recommendations", "GET", recommendations.resolve("/recommendations/" + pathSegment(sku)
          + "?customer=" + URLEncoder.encode(customer, StandardCharsets.UTF_8)));
    }
    int stock = calls.call("inventory", "GET", inventory.resolve("/stock/" + sku));
    if (stock == 404) {
      respond(exchange, 404, "unknown product " + sku);
      return;
    }
    int placed = calls.call("orders", "POST", orders.resolve("/orders?sku=" + sku + "&customer=" + customer));
    recorder.trace("render receipt", sub -> {
      sub.putMetadata("receipt", java.util.Map.of("customer", customer, "sku", sku, "status", placed,
          "product", product.body()));
      pause(2, 8);
    });
    if (placed >= 500 || placed < 0) {
      respond(exchange, 502, "order failed");
    } else if (placed == 429) {
      respond(exchange, 503, "busy, try again");
    } else if (placed == 404) {
      respond(exchange, 404, "unknown customer " + customer); // the accounts service does not know them
    } else {
      respond(exchange, 200, "thanks " + customer);
    }
  }

  private static HttpResponse<String> product(HttpClient client, URI uri) {
    try {
      return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null; // recorded as the call's fault by the traced client
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static final SqlDatabase ORDERS_DB = SqlDatabase.builder()
      .name("postgres")
      .host("orders-db")
      .url("jdbc:postgresql://orders-db:5432/orders")
      .databaseType("PostgreSQL")
      .databaseVersion("16.4")
      .driverVersion("42.7.14")
      .user("orders")
      .build();

  private static void orders(Recorder recorder, TracedHttpCalls calls, OrderEvents events, URI inventory,
      URI accounts, HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().getPath().equals("/health")) {
      respond(exchange, 200, "ok");
      return;
    }
    String sku = query(exchange, "sku", "sku-1");
    recorder.currentSegment().putAnnotation("sku", sku);
    // The orders database is simulated; its query is recorded with the kit's SQL helper, as
    // radiograph-jdbc records a real one.
    SqlTracing.Call insert = SqlTracing.begin(recorder, ORDERS_DB,
        "INSERT INTO orders (customer, sku, placed_at) VALUES (?, ?, now())", StatementKind.PREPARED);
    RuntimeException failure = null;
    try {
      pause(3, 25);
      if (ThreadLocalRandom.current().nextInt(100) < 3) {
        failure = new IllegalStateException("could not serialize access due to concurrent update");
        throw failure;
      }
    } finally {
      insert.end(failure);
    }
    int reserved = calls.call("inventory", "POST", inventory.resolve("/reserve?sku=" + sku));
    if (reserved == 429) {
      respond(exchange, 429, "inventory is busy");
      return;
    }
    if (accounts != null) {
      // The customer's order history lives in the accounts service (Spring Boot, PostgreSQL).
      String customer = query(exchange, "customer", "guest");
      int recorded = calls.call("accounts", "POST", accounts.resolve("/accounts/" + pathSegment(customer)
          + "/orders?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8)));
      if (recorded == 404) {
        respond(exchange, 404, "unknown customer " + customer);
        return;
      }
      if (recorded < 0 || recorded >= 500) {
        respond(exchange, 502, "could not record the order");
        return;
      }
    }
    // The order-worker picks the event up from the queue and continues this trace.
    events.publish(query(exchange, "customer", "guest"), sku);
    if (ThreadLocalRandom.current().nextInt(100) < 2) {
      pause(300, 400); // a slow request: kept by keep-on-anomaly even when not sampled
    }
    respond(exchange, 201, "placed");
  }

  private static void inventory(Recorder recorder, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/health")) {
      respond(exchange, 200, "ok");
      return;
    }
    recorder.trace("redis@inventory-cache", sub -> {
      sub.setNamespace(Subsegment.NAMESPACE_REMOTE);
      pause(1, 4);
    });
    if (path.startsWith("/stock/")) {
      String sku = path.substring("/stock/".length());
      respond(exchange, sku.equals("sku-404") ? 404 : 200, sku.equals("sku-404") ? "no such product" : "12");
    } else if (path.equals("/reserve")) {
      if (ThreadLocalRandom.current().nextInt(100) < 5) {
        respond(exchange, 429, "slow down");
      } else {
        pause(1, 6);
        respond(exchange, 200, "reserved");
      }
    } else {
      respond(exchange, 404, "not found");
    }
  }

  private static String query(HttpExchange exchange, String name, String fallback) {
    String query = exchange.getRequestURI().getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return pair.substring(eq + 1);
        }
      }
    }
    return fallback;
  }

  /** {@code value} as one segment of a URL's path. */
  static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static void pause(int minMillis, int maxMillis) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        // Stop the rest anyway.
      }
    }
    for (HttpServer server : servers) {
      server.stop(0);
    }
    for (Recorder recorder : recorders) {
      recorder.close();
    }
    threads.shutdownNow();
  }
}
