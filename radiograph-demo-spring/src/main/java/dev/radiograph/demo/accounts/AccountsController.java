package dev.radiograph.demo.accounts;

import dev.radiograph.Radiograph;
import dev.radiograph.Segment;
import dev.radiograph.demo.accounts.AccountStore.Account;
import dev.radiograph.demo.accounts.AccountStore.Order;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The accounts service's endpoints: {@code POST /accounts/{customer}/orders?sku=} records an order
 * (the demo's orders service calls it for each checkout), {@code GET /accounts/{customer}} renders
 * the customer's page. No tracing code but two annotations: the starter records the rest.
 *
 * <p>{@code demo.failure-rate} (default 0.02) of the orders fail with an exception, a 500 that
 * the viewer shows as a fault with its stack.
 */
@Controller
final class AccountsController {
  // One line per request; Spring Boot's default pattern shows [accounts,traceId,spanId] on it.
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccountsController.class);
  private static final int RECENT_ORDERS = 5;
  private static final int MAX_SKU = 40; // the orders.sku column
  private static final DateTimeFormatter PLACED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  /** One line of the page's order table; {@code product} is null when the catalog did not name it. */
  record OrderLine(long id, String sku, String product, String placedAt) {}

  private final AccountStore store;
  private final CatalogNames catalog;
  private final double failureRate;

  AccountsController(AccountStore store, CatalogNames catalog,
      @Value("${demo.failure-rate:0.02}") double failureRate) {
    this.store = store;
    this.catalog = catalog;
    this.failureRate = failureRate;
  }

  @PostMapping("/accounts/{customer}/orders")
  ResponseEntity<String> recordOrder(@PathVariable("customer") String customer, @RequestParam("sku") String sku) {
    annotate(customer);
    if (sku.isBlank() || sku.length() > MAX_SKU) {
      return text(ResponseEntity.badRequest(), "sku must be 1 to " + MAX_SKU + " characters");
    }
    Account account = store.account(customer);
    if (account == null) {
      return text(ResponseEntity.status(404), "unknown customer " + customer);
    }
    if (ThreadLocalRandom.current().nextDouble() < failureRate) {
      throw new IllegalStateException("loyalty ledger of " + customer + " is locked by another order");
    }
    long id = store.recordOrder(account.id(), sku);
    LOG.info("order {} of {} for {} recorded", id, sku, customer);
    return text(ResponseEntity.created(UriComponentsBuilder.fromPath("/accounts/{customer}/orders/{id}")
        .buildAndExpand(customer, id).encode().toUri()), "order " + id + " recorded");
  }

  @GetMapping("/accounts/{customer}")
  String page(@PathVariable("customer") String customer,
      @RequestHeader(name = CatalogNames.HEADER, required = false) String catalogUrl, Model model,
      HttpServletResponse response) {
    annotate(customer);
    Account account = store.account(customer);
    if (account == null) {
      response.setStatus(404);
      model.addAttribute("customer", customer);
      return "unknown-customer";
    }
    List<Order> orders = store.recentOrders(account.id(), RECENT_ORDERS);
    long orderCount = store.orderCount(account.id());
    Map<String, String> names = catalog.names(orders.stream().map(Order::sku).distinct().toList(), catalogUrl);
    List<OrderLine> lines = new ArrayList<>(orders.size());
    for (Order order : orders) {
      lines.add(new OrderLine(order.id(), order.sku(), names.get(order.sku()),
          PLACED_AT.format(order.placedAt().withOffsetSameInstant(ZoneOffset.UTC))));
    }
    model.addAttribute("account", account);
    model.addAttribute("orders", lines);
    model.addAttribute("orderCount", orderCount);
    LOG.info("account page of {}: {} orders", customer, orderCount);
    return "account";
  }

  /** The customer on the request's segment, to search by ({@code annotation.customer = "alice"}). */
  private static void annotate(String customer) {
    Segment segment = Radiograph.currentSegment();
    segment.putAnnotation("customer", customer);
    segment.setUser(customer);
  }

  private static ResponseEntity<String> text(ResponseEntity.BodyBuilder response, String body) {
    return response.contentType(MediaType.TEXT_PLAIN).body(body + "\n");
  }
}
