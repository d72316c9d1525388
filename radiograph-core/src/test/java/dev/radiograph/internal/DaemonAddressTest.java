package dev.radiograph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DaemonAddressTest {
  @Test
  void hostPortForms() {
    DaemonAddress a = DaemonAddress.parse("127.0.0.1:2000");
    assertThat(a.udpHost()).isEqualTo("127.0.0.1");
    assertThat(a.udpPort()).isEqualTo(2000);
    assertThat(a.tcpPort()).isEqualTo(2000);
    assertThat(a).isEqualTo(DaemonAddress.DEFAULT);

    DaemonAddress v6 = DaemonAddress.parse("[::1]:3000");
    assertThat(v6.udpHost()).isEqualTo("::1");
    assertThat(v6.toString()).isEqualTo("[::1]:3000");
    assertThat(v6.tcpBaseUrl()).isEqualTo("http://[::1]:3000");

    DaemonAddress named = DaemonAddress.parse(" xray-daemon.internal:2000 ");
    assertThat(named.udpHost()).isEqualTo("xray-daemon.internal");
  }

  @Test
  void twoAddressFormInEitherOrder() {
    DaemonAddress a = DaemonAddress.parse("tcp:127.0.0.1:2000 udp:127.0.0.2:2001");
    DaemonAddress b = DaemonAddress.parse("udp:127.0.0.2:2001   tcp:127.0.0.1:2000");
    assertThat(a).isEqualTo(b);
    assertThat(a.udpHost()).isEqualTo("127.0.0.2");
    assertThat(a.udpPort()).isEqualTo(2001);
    assertThat(a.tcpHost()).isEqualTo("127.0.0.1");
    assertThat(a.tcpPort()).isEqualTo(2000);
    assertThat(a.toString()).isEqualTo("tcp:127.0.0.1:2000 udp:127.0.0.2:2001");
  }

  @Test
  void badAddressesExplainThemselves() {
    assertThatThrownBy(() -> DaemonAddress.parse("")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> DaemonAddress.parse("localhost")).hasMessageContaining("missing :port");
    assertThatThrownBy(() -> DaemonAddress.parse("localhost:http")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> DaemonAddress.parse("localhost:70000")).hasMessageContaining("1-65535");
    assertThatThrownBy(() -> DaemonAddress.parse(":2000")).hasMessageContaining("missing host");
    assertThatThrownBy(() -> DaemonAddress.parse("::1:2000")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> DaemonAddress.parse("tcp:127.0.0.1:2000")).hasMessageContaining("both");
    assertThatThrownBy(() -> DaemonAddress.parse("tcp:a:1 tcp:b:2")).hasMessageContaining("once each");
    assertThatThrownBy(() -> DaemonAddress.parse("a:1 b:2 c:3")).hasMessageContaining("3 parts");
    assertThatThrownBy(() -> DaemonAddress.parse("bad host!:2000")).isInstanceOf(IllegalArgumentException.class);
  }
}
