package dev.radiograph.demo;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.javalin.RadiographPlugin;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code catalog}, a Javalin 7 service traced with radiograph-javalin's {@link RadiographPlugin}:
 * a segment per request with the route template as the {@code route} annotation, and each rendered
 * template as a subsegment named after it. The storefront asks it for the product being bought,
 * the accounts service for product names.
 */
final class CatalogService implements AutoCloseable {
  private static final Map<String, Product> PRODUCTS = Map.of(
      "sku-1", new Product("Lead apron", "89.00"),
      "sku-2", new Product("Film cassette", "24.50"),
      "sku-3", new Product("Light box", "132.00"),
      "sku-7", new Product("Contrast dye", "15.75"));

  private static final Logger LOG = LoggerFactory.getLogger("dev.radiograph.demo.catalog");

  private final Javalin app;

  /** Starts the catalog on a loopback port. */
  CatalogService(Recorder recorder) {
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.startupWatcherEnabled = false;
      config.fileRenderer(new DemoTemplates());
      config.routes.get("/health", ctx -> ctx.result("ok"));
      config.routes.get("/products/{sku}", ctx -> {
        String sku = ctx.pathParam("sku");
        Segment segment = RadiographPlugin.segment(ctx); // null when the request is not traced
        if (segment != null) {
          segment.putAnnotation("sku", sku);
        }
        Product product = loadProduct(recorder, sku, 5);
        if (product == null) {
          ctx.status(404).render("not-found.html", Map.of("sku", sku));
          LOG.info("GET /products/{} -> 404", sku);
          return;
        }
        if (ThreadLocalRandom.current().nextInt(100) < 1) {
          DemoServices.pause(300, 350); // a slow page: kept by keep-on-anomaly even when not sampled
        }
        ctx.render("product.html", Map.of("sku", sku, "name", product.name(), "price", product.price()));
        LOG.info("GET /products/{} -> 200", sku);
      });
      // The product's name alone, for the accounts service's pages (radiograph-demo-spring).
      config.routes.get("/products/{sku}/name", ctx -> {
        Product product = loadProduct(recorder, ctx.pathParam("sku"), 3);
        if (product == null) {
          ctx.status(404).result("no such product");
        } else {
          ctx.contentType("text/plain; charset=utf-8").result(product.name());
        }
        LOG.info("GET {} -> {}", ctx.path(), ctx.statusCode());
      });
      config.registerPlugin(new RadiographPlugin(recorder));
    });
    try {
      app.start("127.0.0.1", 0);
    } catch (RuntimeException e) {
      app.stop();
      throw e;
    }
  }

  /** The product, or null, looked up in a "load product" subsegment that takes 1 to {@code maxMillis} ms. */
  private static Product loadProduct(Recorder recorder, String sku, int maxMillis) {
    return recorder.trace("load product", () -> {
      DemoServices.pause(1, maxMillis);
      return PRODUCTS.get(sku);
    });
  }

  /** The catalog's base URL. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + app.port());
  }

  @Override
  public void close() {
    app.stop();
  }

  private record Product(String name, String price) {}
}
