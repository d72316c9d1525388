package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: clear errors and exit codes, never a stack trace. */
class DaemonMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return DaemonMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--udp HOST:PORT").contains("--forward aws|otlp|none")
        .contains("--logs-url TEMPLATE").contains("{traceId}").contains("epoch milliseconds")
        .contains("--allow-remote HOST[,HOST]").contains("--token TOKEN").contains("Authorization: Bearer");
  }

  @Test
  void allowRemoteNamesHostsAndTokenIsChecked() throws Exception {
    DaemonConfig config = DaemonMain.parse(new String[] {"--allow-remote", "Traces.Internal,[fd00::1]", "--token",
        "correct-horse-battery-staple"});
    assertThat(config.remoteHosts()).containsExactly("traces.internal", "fd00::1");
    assertThat(config.allowRemote()).isTrue();
    assertThat(config.token()).isEqualTo("correct-horse-battery-staple");
    assertThat(DaemonMain.parse(new String[0]).allowRemote()).isFalse();
    assertThat(run("--allow-remote")).isEqualTo(2);
    assertThat(errors()).contains("--allow-remote needs a value");
    err.reset();
    assertThat(run("--allow-remote", "http://traces.internal/")).isEqualTo(2);
    assertThat(errors()).contains("--allow-remote takes host names or addresses");
    err.reset();
    assertThat(run("--allow-remote", "a,,b")).isEqualTo(2);
    assertThat(errors()).contains("got ''");
    err.reset();
    assertThat(run("--token", "short")).isEqualTo(2);
    assertThat(errors()).contains("--token must be at least 16");
  }

  @Test
  void badFlagsExitTwoNamingTheFlag() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(errors()).contains("unknown option '--bogus'");
    err.reset();
    assertThat(run("--udp")).isEqualTo(2);
    assertThat(errors()).contains("--udp needs a value");
    err.reset();
    assertThat(run("--max-traces", "many")).isEqualTo(2);
    assertThat(errors()).contains("--max-traces must be a number");
    err.reset();
    assertThat(run("--forward", "gcp")).isEqualTo(2);
    assertThat(errors()).contains("--forward takes 'aws', 'otlp' or 'none'");
    err.reset();
    assertThat(run("--endpoint", "not a url")).isEqualTo(2);
    assertThat(errors()).contains("--endpoint");
  }

  @Test
  void nonLoopbackNeedsTheExplicitFlagAndBadAddressesAreExplained() {
    assertThat(run("--udp", "0.0.0.0:0", "--http", "127.0.0.1:0")).isEqualTo(1);
    assertThat(errors()).contains("not a loopback address").contains("--allow-remote");
    err.reset();
    assertThat(run("--http", "127.0.0.1:http")).isEqualTo(1);
    assertThat(errors()).contains("--http: port is not a number");
  }

  @Test
  void addressInUseAndUnreadableRulesExitOne(@TempDir Path dir) throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      assertThat(run("--udp", "127.0.0.1:" + taken.getLocalPort(), "--http", "127.0.0.1:0")).isEqualTo(1);
      assertThat(errors()).contains("cannot listen on UDP").contains("--udp");
    }
    err.reset();
    assertThat(run("--rules", dir.resolve("missing.json").toString(), "--udp", "127.0.0.1:0", "--http", "127.0.0.1:0"))
        .isEqualTo(1);
    assertThat(errors()).contains("missing.json").contains("not found");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"version\": 2, \"default\": {\"fixed_target\": 1, \"rate\": 7}}");
    err.reset();
    assertThat(run("--rules", bad.toString(), "--udp", "127.0.0.1:0", "--http", "127.0.0.1:0")).isEqualTo(1);
    assertThat(errors()).contains("default.rate").contains("between 0 and 1");
  }

  @Test
  void badLogsUrlTemplatesExitTwoSayingWhy() {
    assertThat(run("--logs-url", "javascript:alert(1)")).isEqualTo(2);
    assertThat(errors()).contains("--logs-url must be an absolute http:// or https:// URL, got 'javascript:alert(1)'");
    err.reset();
    assertThat(run("--logs-url=http://localhost:3000/explore?query={trace}")).isEqualTo(2);
    assertThat(errors()).contains("unknown placeholder {trace}")
        .contains("{traceId}, {xrayTraceId}, {spanId}, {service}, {start}, {end}");
    err.reset();
    assertThat(run("--logs-url")).isEqualTo(2);
    assertThat(errors()).contains("--logs-url needs a value");
  }
}
