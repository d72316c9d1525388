package dev.radiograph.demo.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class CatalogNamesTest {
  @Test
  void theConfiguredCatalogWinsOverTheHeader() {
    URI configured = URI.create("http://catalog.internal:7070");
    assertThat(CatalogNames.catalog(configured, "http://127.0.0.1:9999")).isEqualTo(configured);
  }

  @Test
  void withoutAConfiguredCatalogTheHeaderNamesIt() {
    assertThat(CatalogNames.catalog(null, "http://127.0.0.1:41234")).isEqualTo(URI.create("http://127.0.0.1:41234"));
    assertThat(CatalogNames.catalog(null, " http://localhost:41234/ ")).isEqualTo(URI.create("http://localhost:41234/"));
    assertThat(CatalogNames.catalog(null, null)).isNull();
    assertThat(CatalogNames.catalog(null, "")).isNull();
  }

  @Test
  void aHeaderCannotPointTheServiceAnywhereButLoopbackHttp() {
    assertThat(CatalogNames.catalog(null, "http://10.1.2.3:7070")).isNull();
    assertThat(CatalogNames.catalog(null, "http://example.com")).isNull();
    assertThat(CatalogNames.catalog(null, "https://127.0.0.1:7070")).isNull();
    assertThat(CatalogNames.catalog(null, "file:///etc/passwd")).isNull();
    assertThat(CatalogNames.catalog(null, "http://user@127.0.0.1:7070")).isNull();
    assertThat(CatalogNames.catalog(null, "http://127.0.0.1:7070/?next=http://example.com")).isNull();
    assertThat(CatalogNames.catalog(null, "not a url")).isNull();
  }
}
