package dev.radiograph.demo.recommendations;

import dev.radiograph.Radiograph;
import dev.radiograph.Segment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /recommendations/{sku}?customer=alice}: the products to suggest beside {@code sku}.
 * A returning customer (one the accounts service knows) gets the products bought together with
 * it; a new one the best sellers. Plain reactive code that knows nothing of tracing but
 * {@code Radiograph.currentSegment()}, called in an operator on whichever thread runs it.
 */
@RestController
final class RecommendationsController {
  private static final Map<String, List<String>> BOUGHT_TOGETHER = Map.of(
      "sku-1", List.of("sku-2", "sku-3"),
      "sku-2", List.of("sku-1", "sku-7"),
      "sku-3", List.of("sku-2"),
      "sku-7", List.of("sku-2", "sku-1"));
  private static final List<String> BEST_SELLERS = List.of("sku-1", "sku-2");

  private final WebClient accounts; // null: no accounts service, every customer is new

  RecommendationsController(WebClient.Builder builder, @Value("${demo.accounts-url:}") String accountsUrl) {
    this.accounts = accountsUrl.isBlank() ? null : builder.baseUrl(accountsUrl.trim()).build();
  }

  @GetMapping("/recommendations/{sku}")
  Mono<Map<String, Object>> recommend(@PathVariable("sku") String sku,
      @RequestParam(name = "customer", defaultValue = "guest") String customer) {
    List<String> together = BOUGHT_TOGETHER.get(sku);
    if (together == null) {
      return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown product " + sku));
    }
    return returning(customer)
        // Scoring runs on another thread, as CPU-bound work would.
        .publishOn(Schedulers.parallel())
        .delayElement(Duration.ofMillis(ThreadLocalRandom.current().nextInt(2, 12)))
        .map(returning -> {
          Segment segment = Radiograph.currentSegment();
          segment.putAnnotation("customer", customer);
          segment.putAnnotation("returning_customer", returning);
          return Map.of("sku", sku, "customer", customer, "recommended", returning ? together : BEST_SELLERS);
        });
  }

  /** Whether the accounts service knows {@code customer}; false when it does not answer. */
  private Mono<Boolean> returning(String customer) {
    if (accounts == null || customer.equals("guest")) {
      return Mono.just(false);
    }
    return accounts.get().uri("/accounts/{customer}", customer)
        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().is2xxSuccessful()))
        .timeout(Duration.ofSeconds(2))
        .onErrorResume(e -> e instanceof WebClientRequestException || e instanceof java.util.concurrent.TimeoutException,
            e -> Mono.just(false)); // the call's subsegment has the failure; the suggestions still come
  }
}
