package dev.radiograph.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.tracing.TagExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the tags a Vert.x SQL client reports become X-Ray's name and {@code sql} block. */
class SqlQueryTest {

  @Test
  void namesTheSubsegmentDatabaseAtHostAndWritesAUrlWithoutCredentials() {
    SqlQuery query = SqlQuery.of(tags(Map.of(
        "db.system", "postgresql", "db.namespace", "orders", "db.user", "app",
        "db.query.text", "SELECT 1", "network.peer.address", "10.0.0.5:5432")), EXTRACTOR);

    assertThat(query.name()).isEqualTo("orders@10.0.0.5");
    assertThat(query.url()).isEqualTo("postgresql://10.0.0.5:5432/orders");
  }

  @Test
  void keepsAnIpv6HostWhole() {
    SqlQuery bracketed = SqlQuery.of(tags(Map.of("db.system", "mysql", "db.namespace", "shop",
        "network.peer.address", "[::1]:3306")), EXTRACTOR);
    SqlQuery plain = SqlQuery.of(tags(Map.of("db.system", "mysql", "db.namespace", "shop",
        "network.peer.address", "0:0:0:0:0:0:0:1:3306")), EXTRACTOR);

    // X-Ray's names have no brackets (they would become '_'); the URL keeps them.
    assertThat(bracketed.name()).isEqualTo("shop@::1");
    assertThat(bracketed.url()).isEqualTo("mysql://[::1]:3306/shop");
    assertThat(plain.name()).isEqualTo("shop@0:0:0:0:0:0:0:1");
    assertThat(plain.url()).isEqualTo("mysql://[0:0:0:0:0:0:0:1]:3306/shop");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      [::1]:5432                   | ::1                   | 5432 | [::1]:5432
      ::1                          | ::1                   | -1   | [::1]
      [fe80::1%eth0]:5432          | fe80::1%eth0          | 5432 | [fe80::1%eth0]:5432
      fe80:0:0:0:0:0:0:1%eth0:5432 | fe80:0:0:0:0:0:0:1%eth0 | 5432 | [fe80:0:0:0:0:0:0:1%eth0]:5432
      db.local:5432                | db.local              | 5432 | db.local:5432
      10.0.0.5:5432                | 10.0.0.5              | 5432 | 10.0.0.5:5432
      """)
  void readsThePeerAddressWithCoresParser(String address, String host, int port, String written) {
    assertThat(SqlQuery.peer(address).host()).isEqualTo(host);
    assertThat(SqlQuery.peer(address).port()).isEqualTo(port);
    assertThat(SqlQuery.peer(address).toString()).isEqualTo(written);
  }

  @Test
  void aPeerAddressThatIsNotOneIsNoHost() {
    SqlQuery query = SqlQuery.of(tags(Map.of("db.system", "postgresql", "db.namespace", "orders",
        "network.peer.address", "db local:5432")), EXTRACTOR);

    assertThat(SqlQuery.peer("[::1")).isNull();
    assertThat(SqlQuery.peer("")).isNull();
    assertThat(query.name()).isEqualTo("orders@localhost");
    assertThat(query.url()).isNull();
  }

  @Test
  void fallsBackToTheSystemWithoutADatabaseAndToNoUrlWithoutAnAddress() {
    SqlQuery query = SqlQuery.of(tags(Map.of("db.system", "mssql", "db.query.text", "SELECT 1")), EXTRACTOR);

    assertThat(query.name()).isEqualTo("mssql@localhost");
    assertThat(query.url()).isNull();
  }

  @Test
  void isNoQueryWhenTheRequestIsNotADatabaseOne() {
    assertThat(SqlQuery.of(tags(Map.of("messaging.destination.name", "orders")), EXTRACTOR)).isNull();
  }

  @Test
  void spellsDatabaseTypesAsXrayDoes() {
    assertThat(SqlQuery.databaseType("postgresql")).isEqualTo("PostgreSQL");
    assertThat(SqlQuery.databaseType("mysql")).isEqualTo("MySQL");
    assertThat(SqlQuery.databaseType("mssql")).isEqualTo("Microsoft SQL Server");
    assertThat(SqlQuery.databaseType("cockroach")).isEqualTo("cockroach");
  }

  private static final TagExtractor<List<Map.Entry<String, String>>> EXTRACTOR = new TagExtractor<>() {
    @Override
    public int len(List<Map.Entry<String, String>> tags) {
      return tags.size();
    }

    @Override
    public String name(List<Map.Entry<String, String>> tags, int index) {
      return tags.get(index).getKey();
    }

    @Override
    public String value(List<Map.Entry<String, String>> tags, int index) {
      return tags.get(index).getValue();
    }
  };

  private static List<Map.Entry<String, String>> tags(Map<String, String> tags) {
    return new ArrayList<>(tags.entrySet());
  }
}
