package dev.radiograph.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostAndPortTest {
  @Test
  void readsEveryFormASettingIsWrittenIn() {
    assertThat(HostAndPort.parse("127.0.0.1:2000")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("127.0.0.1");
      assertThat(a.port()).isEqualTo(2000);
      assertThat(a.isIpv6()).isFalse();
    });
    assertThat(HostAndPort.parse("[::1]:2000")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("::1");
      assertThat(a.port()).isEqualTo(2000);
      assertThat(a.hostForUrl()).isEqualTo("[::1]");
      assertThat(a).hasToString("[::1]:2000");
    });
    assertThat(HostAndPort.parse("[fe80::1%eth0]:2000")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("fe80::1%eth0");
      assertThat(a).hasToString("[fe80::1%eth0]:2000");
    });
    assertThat(HostAndPort.parse(" localhost:0 ")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("localhost");
      assertThat(a.port()).isZero();
    });
    assertThat(HostAndPort.parse("xray-daemon.internal:65535").port()).isEqualTo(65535);
  }

  @Test
  void whatIsWrittenIsReadBack() {
    for (String text : new String[] {"127.0.0.1:2000", "[::1]:2000", "[fe80::1%eth0]:2000", "localhost:0"}) {
      assertThat(HostAndPort.parse(HostAndPort.parse(text).toString())).isEqualTo(HostAndPort.parse(text));
    }
  }

  @Test
  void badSettingsExplainThemselves() {
    assertThatThrownBy(() -> HostAndPort.parse("host:99999")).hasMessageContaining("0-65535")
        .hasMessageContaining("host:99999");
    assertThatThrownBy(() -> HostAndPort.parse("host:12345678901")).hasMessageContaining("0-65535");
    assertThatThrownBy(() -> HostAndPort.parse("::1")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostAndPort.parse("::1:2000")).hasMessageContaining("[::1]:2000");
    assertThatThrownBy(() -> HostAndPort.parse("[::1]")).hasMessageContaining("missing :port");
    assertThatThrownBy(() -> HostAndPort.parse("[::1:2000")).hasMessageContaining("']'");
    assertThatThrownBy(() -> HostAndPort.parse("[localhost]:2000")).hasMessageContaining("IPv6");
    assertThatThrownBy(() -> HostAndPort.parse("localhost")).hasMessageContaining("missing :port");
    assertThatThrownBy(() -> HostAndPort.parse(":2000")).hasMessageContaining("missing host");
    assertThatThrownBy(() -> HostAndPort.parse("localhost:http")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostAndPort.parse("localhost:-1")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostAndPort.parse("bad host!:2000")).hasMessageContaining("invalid character");
    assertThatThrownBy(() -> HostAndPort.parse("host%eth0:2000")).hasMessageContaining("'%'");
    assertThatThrownBy(() -> HostAndPort.parse("  ")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> HostAndPort.parseDestination("localhost:0")).hasMessageContaining("1-65535");
    assertThat(HostAndPort.parseDestination("[::1]:1").port()).isEqualTo(1);
    assertThatThrownBy(() -> HostAndPort.of("", 1)).hasMessageContaining("missing host");
    assertThatThrownBy(() -> HostAndPort.of("a", 70000)).hasMessageContaining("0-65535");
  }

  @Test
  void authoritiesFromTheWireAreReadTolerantly() {
    assertThat(HostAndPort.parseAuthority("api.local:8080")).isEqualTo(HostAndPort.of("api.local", 8080));
    assertThat(HostAndPort.parseAuthority("api.local")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("api.local");
      assertThat(a.hasPort()).isFalse();
      assertThat(a).hasToString("api.local");
    });
    assertThat(HostAndPort.parseAuthority("[::1]:8080").hostForUrl()).isEqualTo("[::1]");
    assertThat(HostAndPort.parseAuthority("[::1]").port()).isEqualTo(HostAndPort.NO_PORT);
    assertThat(HostAndPort.parseAuthority("::1")).satisfies(a -> {
      assertThat(a.host()).isEqualTo("::1");
      assertThat(a.hasPort()).isFalse();
    });
    assertThat(HostAndPort.parseAuthority("[fe80::1%eth0]:2000").host()).isEqualTo("fe80::1%eth0");
    assertThat(HostAndPort.parseAuthority(" 10.0.0.1:5432 ").host()).isEqualTo("10.0.0.1");
    assertThat(HostAndPort.parseAuthority(null)).isNull();
    assertThat(HostAndPort.parseAuthority("")).isNull();
    assertThat(HostAndPort.parseAuthority(":80")).isNull();
    assertThat(HostAndPort.parseAuthority("host:99999")).isNull();
    assertThat(HostAndPort.parseAuthority("host:x")).isNull();
    assertThat(HostAndPort.parseAuthority("[]:80")).isNull();
    assertThat(HostAndPort.parseAuthority("[::1]x")).isNull();
    assertThat(HostAndPort.parseAuthority("evil<script>")).isNull();
  }
}
