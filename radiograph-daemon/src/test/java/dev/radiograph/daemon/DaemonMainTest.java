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
        .contains("--data DIR").contains("--retention DURATION")
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
  void retentionIsAWholeNumberWithAUnitAndNeedsADataDirectory(@TempDir Path dir) throws Exception {
    assertThat(DaemonMain.retention("24h")).isEqualTo(java.time.Duration.ofHours(24));
    assertThat(DaemonMain.retention("90m")).isEqualTo(java.time.Duration.ofMinutes(90));
    assertThat(DaemonMain.retention("7D")).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(DaemonMain.retention("30s")).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(DaemonMain.duration(java.time.Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(DaemonMain.duration(java.time.Duration.ofDays(7))).isEqualTo("7d");
    for (String bad : new String[] {"24", "1.5h", "h", "-3h", "0d", "24 hours", "", "9999999999d"}) {
      err.reset();
      assertThat(run("--data", dir.toString(), "--retention", bad)).as(bad).isEqualTo(2);
      assertThat(errors()).as(bad).contains("--retention must be");
    }
    err.reset();
    assertThat(run("--retention", "24h")).isEqualTo(2);
    assertThat(errors()).contains("--retention applies to the store on disk: give --data DIR as well");
    err.reset();
    assertThat(run("--data")).isEqualTo(2);
    assertThat(errors()).contains("--data needs a value");
    DaemonConfig config = DaemonMain.parse(new String[] {"--data=" + dir, "--retention=7d"});
    assertThat(config.dataDirectory()).isEqualTo(dir);
    assertThat(config.retention()).isEqualTo(java.time.Duration.ofDays(7));
  }

  @Test
  void aDataDirectoryInUseOrUnusableExitsOneSayingWhy(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (Daemon running = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .dataDirectory(data).build())) {
      assertThat(run("--udp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data", data.toString())).isEqualTo(1);
      assertThat(errors()).contains(data.toString()).contains("in use by another Radiograph daemon");
      assertThat(running.store().description()).isEqualTo("sqlite " + data);
    }
    Path file = Files.writeString(dir.resolve("file"), "x");
    err.reset();
    assertThat(run("--udp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data", file.toString())).isEqualTo(1);
    assertThat(errors()).contains("cannot create the data directory " + file);
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
