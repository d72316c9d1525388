package dev.radiograph.demo;

import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * {@code radiograph demo}'s services: starts the traced services and steady traffic through them,
 * sending to a running daemon, until stopped. With {@code --accounts URL}, the Spring Boot accounts
 * service (radiograph-demo-spring, started by {@code ./radiograph demo} before this JVM) joins them.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    String daemon = "127.0.0.1:2000";
    double rate = 5;
    URI accounts = null;
    URI recommendations = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--daemon" -> daemon = value(args, ++i, "--daemon");
        case "--rate" -> {
          String text = value(args, ++i, "--rate");
          try {
            rate = Double.parseDouble(text);
          } catch (NumberFormatException e) {
            fail("--rate must be a number of requests a second, got '" + text + "'");
          }
        }
        case "--accounts" -> accounts = serviceUrl(value(args, ++i, "--accounts"), "--accounts", "accounts", 8081);
        case "--recommendations" -> recommendations = serviceUrl(value(args, ++i, "--recommendations"),
            "--recommendations", "recommendations", 8082);
        case "-h", "--help" -> {
          System.out.println("Usage: radiograph-demo [--daemon HOST:PORT] [--rate REQUESTS_PER_SECOND]"
              + " [--accounts URL] [--recommendations URL]");
          return;
        }
        default -> fail("unknown option '" + args[i] + "'");
      }
    }
    DemoServices services;
    DemoTraffic traffic;
    try {
      services = new DemoServices(daemon, accounts, recommendations);
      traffic = new DemoTraffic(services.gateway(), rate, accounts != null);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    } catch (IllegalStateException e) { // a service did not start
      fail(e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      traffic.close();
      services.close();
      stopped.countDown();
    }, "radiograph-demo-shutdown"));
    System.out.println("Demo services: gateway (Vert.x) " + services.gateway()
        + " -> storefront -> catalog (Javalin), inventory, orders -> inventory, order-events (SQS on ElasticMQ)"
        + " -> order-worker"
        + (accounts != null ? ", accounts (Spring Boot) " + accounts + " -> catalog; account pages" : "")
        + (recommendations != null ? ", storefront -> recommendations (WebFlux) " + recommendations + " -> accounts" : "")
        + "; sending " + rate + " requests/s; traces to " + daemon);
    stopped.await();
  }

  /** A service's base URL ({@code flag}'s value): an absolute http(s) URL with a host. */
  private static URI serviceUrl(String text, String flag, String service, int examplePort) {
    try {
      URI uri = new URI(text.trim());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    fail(flag + " must be the " + service + " service's URL, like http://127.0.0.1:" + examplePort + ", got '" + text + "'");
    return null;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      fail(flag + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("radiograph demo: " + message);
    System.exit(2);
  }
}
