package dev.radiograph.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Customers checking out through the gateway, at a steady rate, from a background thread; with
 * account pages, one request in four is a customer looking at their account page instead.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin"};
  private static final String[] SKUS = {"sku-1", "sku-2", "sku-3", "sku-7", "sku-404"};

  private final URI gateway;
  private final boolean accountPages;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread thread;
  private volatile boolean stopped;

  /** Sends about {@code perSecond} checkouts a second to {@code gateway} until closed. */
  public DemoTraffic(URI gateway, double perSecond) {
    this(gateway, perSecond, false);
  }

  /**
   * Sends about {@code perSecond} requests a second to {@code gateway} until closed; with
   * {@code accountPages} (the gateway has an accounts service), a quarter of them are account pages.
   */
  public DemoTraffic(URI gateway, double perSecond, boolean accountPages) {
    if (!(perSecond > 0 && perSecond <= 1000)) {
      throw new IllegalArgumentException("--rate must be between 0 and 1000 requests a second, got " + perSecond);
    }
    this.gateway = gateway;
    this.accountPages = accountPages;
    long pauseNanos = (long) (1_000_000_000L / perSecond);
    this.thread = new Thread(() -> run(pauseNanos), "radiograph-demo-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sends one checkout (or, now and then, a health check); returns the status, or -1. */
  public int checkout() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    String sku = SKUS[random.nextInt(SKUS.length)];
    String path = random.nextInt(20) == 0 ? "/health" : "/checkout?customer=" + customer + "&sku=" + sku;
    return get(path);
  }

  /** Sends one account page view (now and then of a customer who has no account); returns the status, or -1. */
  public int accountPage() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String customer = random.nextInt(20) == 0 ? "mallory" : CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    return get("/account/" + customer);
  }

  private int get(String path) {
    try {
      return client.send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void run(long pauseNanos) {
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      if (accountPages && ThreadLocalRandom.current().nextInt(4) == 0) {
        accountPage();
      } else {
        checkout();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
