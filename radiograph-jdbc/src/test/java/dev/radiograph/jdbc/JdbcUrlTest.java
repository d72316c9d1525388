package dev.radiograph.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.net.HostAndPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      jdbc:postgresql://localhost:5432/orders?user=app&password=s3cret&ssl=true | jdbc:postgresql://localhost:5432/orders?user=app&ssl=true | localhost     | orders
      jdbc:postgresql://bob:s3cret@db.internal/orders                        | jdbc:postgresql://bob@db.internal/orders                  | db.internal   | orders
      jdbc:mysql://[::1]:3306/shop?password=s3cret                           | jdbc:mysql://[::1]:3306/shop                              | ::1           | shop
      jdbc:sqlserver://sql1:1433;databaseName=sales;password=s3cret;encrypt=true | jdbc:sqlserver://sql1:1433;databaseName=sales;encrypt=true | sql1      | sales
      jdbc:oracle:thin:scott/s3cret@//ora.internal:1521/svc                  | jdbc:oracle:thin:scott@//ora.internal:1521/svc            | ora.internal  | svc
      jdbc:oracle:thin:@ora2:1521:orcl                                       | jdbc:oracle:thin:@ora2:1521:orcl                          | ora2          | null
      jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1;PASSWORD=s3cret                   | jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1                      | null          | orders
      jdbc:postgresql://pg/app?sslpassword=s3cret&apiToken=t0k&clientSecret=x | jdbc:postgresql://pg/app                                 | pg            | app
      """)
  void readsHostAndDatabaseAndDropsCredentials(String url, String withoutCredentials, String host, String database) {
    assertThat(JdbcUrl.withoutCredentials(url)).isEqualTo(withoutCredentials).doesNotContain("s3cret");
    HostAndPort peer = JdbcUrl.hostAndPort(url);
    assertThat(peer == null ? null : peer.host()).isEqualTo(host);
    assertThat(JdbcUrl.database(url)).isEqualTo(database);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      jdbc:postgresql://[::1]:5432/orders                | ::1          | [::1]          | 5432
      jdbc:postgresql://::1/orders                       | ::1          | [::1]          | -1
      jdbc:postgresql://[fe80::1%eth0]:5432/orders       | fe80::1%eth0 | [fe80::1%eth0] | 5432
      jdbc:postgresql://db.local:5432/orders             | db.local     | db.local       | 5432
      jdbc:mysql://app:s3cret@[::1]:3306/shop            | ::1          | [::1]          | 3306
      jdbc:mysql://replica1:3306,replica2:3306/shop      | replica1     | replica1       | 3306
      jdbc:oracle:thin:@[::1]:1521:orcl                  | ::1          | [::1]          | 1521
      jdbc:sqlserver://sql1\\reports:1433;databaseName=x | sql1         | sql1           | -1
      """)
  void readsTheHostAndPortWithCoresParser(String url, String host, String hostForUrl, int port) {
    HostAndPort peer = JdbcUrl.hostAndPort(url);
    assertThat(peer.host()).isEqualTo(host);
    assertThat(peer.hostForUrl()).isEqualTo(hostForUrl);
    assertThat(peer.port()).isEqualTo(port);
  }

  @Test
  void anAddressThatIsNotOneIsNoHost() {
    assertThat(JdbcUrl.hostAndPort("jdbc:postgresql://[::1/orders")).isNull();
    assertThat(JdbcUrl.hostAndPort("jdbc:postgresql://db:99999/orders")).isNull();
    assertThat(JdbcUrl.hostAndPort("jdbc:sqlite:///var/data/app.db")).isNull();
    assertThat(JdbcUrl.hostAndPort(null)).isNull();
  }
}
