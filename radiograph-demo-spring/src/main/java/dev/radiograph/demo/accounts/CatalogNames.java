package dev.radiograph.demo.accounts;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Product names from the catalog service ({@code GET /products/{sku}/name}), through a
 * {@link RestClient} built from Spring Boot's {@code RestClient.Builder}: that builder is what the
 * starter customizes, so each call is a remote subsegment and carries the trace downstream.
 *
 * <p>Where the catalog is: {@code demo.catalog-url} when set; otherwise the {@value #HEADER}
 * header of the request being served. RATIONALE: in {@code ./radiograph demo} the catalog runs in
 * the other demo JVM on a random port, which is known only after that JVM has started, and that
 * JVM starts after this service (it is given this service's port). So the demo's gateway names
 * the catalog in each request it forwards. Only a loopback {@code http} URL is taken from a
 * header, so that a request cannot point this service at another host.
 *
 * <p>Names are a nicety of the page: a catalog that is not known, down or slow (2 s to connect,
 * 3 s to answer) leaves the names out and the page renders anyway; the failed call is in the
 * trace.
 */
@Component
final class CatalogNames {
  /** The request header that names the catalog when {@code demo.catalog-url} is not set. */
  static final String HEADER = "X-Catalog-Url";

  private final RestClient client;
  private final URI configured; // null: take the header's

  CatalogNames(RestClient.Builder builder, @Value("${demo.catalog-url:}") String catalogUrl) {
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build());
    requests.setReadTimeout(Duration.ofSeconds(3));
    this.client = builder.requestFactory(requests).build();
    this.configured = catalogUrl.isBlank() ? null : URI.create(catalogUrl.trim());
  }

  /**
   * The names of {@code skus} that the catalog knows, by SKU; empty when no catalog is known.
   * {@code headerUrl} is the request's {@value #HEADER} (null when absent).
   */
  Map<String, String> names(Collection<String> skus, String headerUrl) {
    URI catalog = catalog(configured, headerUrl);
    Map<String, String> names = new LinkedHashMap<>();
    if (catalog == null) {
      return names;
    }
    for (String sku : skus) {
      try {
        String name = client.get()
            .uri(catalog.toString().replaceFirst("/+$", "") + "/products/{sku}/name", sku)
            .retrieve()
            .body(String.class);
        if (name != null && !name.isBlank()) {
          names.put(sku, name.strip());
        }
      } catch (RestClientException e) {
        if (!(e instanceof HttpClientErrorException)) {
          break; // the catalog is down or slow: do not wait for it once per product
        }
        // 4xx: a product the catalog does not know; the others may still have names.
      }
    }
    return names;
  }

  /** The catalog's base URL: {@code configured} if set, else {@code headerUrl} if it is a loopback http URL. */
  static URI catalog(URI configured, String headerUrl) {
    if (configured != null) {
      return configured;
    }
    if (headerUrl == null || headerUrl.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(headerUrl.trim());
      boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
      boolean plain = uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null;
      return "http".equals(uri.getScheme()) && loopback && plain ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
