package dev.radiograph.daemon;

import dev.radiograph.net.HostAndPort;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code radiograph daemon}: the command line of the local daemon. Bad flags exit with status 2
 * and a message naming the flag; an address in use or an unreadable rules file with status 1.
 *
 * <p>The heap: the store keeps at most {@code --max-bytes} of heap (counted as the JVM lays the
 * objects out), and the JVM needs about as much again to collect garbage, plus room for the UDP
 * queue (64 MB at most) and for answering queries. The {@code radiograph} launcher therefore
 * starts this class with {@code -Xmx} of twice {@code --max-bytes} plus 256 MB, and with
 * {@code -XX:+ExitOnOutOfMemoryError}: should memory run out all the same, the process exits
 * (status 3) instead of living on with dead ingest and HTTP threads, deaf to SIGTERM. Started by
 * hand ({@code java -jar}), give it the same flags; a heap smaller than twice {@code --max-bytes}
 * is warned about at start.
 */
public final class DaemonMain {
  static final String USAGE = String.join("\n",
      "Usage: radiograph daemon [options]",
      "",
      "A local AWS X-Ray daemon: receives segments over UDP, serves the X-Ray API and a trace viewer.",
      "",
      "Options:",
      "  --udp HOST:PORT        UDP address for segment documents (default 127.0.0.1:2000)",
      "  --http HOST:PORT       TCP address for the X-Ray API and the viewer (default 127.0.0.1:2000)",
      "  --otlp-http HOST:PORT  OTLP/HTTP traces (POST /v1/traces), or off (default 127.0.0.1:4318)",
      "  --otlp-grpc HOST:PORT  OTLP/gRPC traces (TraceService/Export), or off (default 127.0.0.1:4317)",
      "  --rules FILE           sampling rules served to the SDKs (X-Ray's local format, version 1 or 2)",
      "  --forward aws|otlp|none  also send documents to AWS X-Ray and proxy sampling to it (aws), or",
      "                         send them as OTLP spans to --endpoint (otlp) (default none)",
      "  --endpoint URL         the AWS X-Ray endpoint to forward to (default: the region's); with",
      "                         --forward otlp the OTLP traces URL, e.g. http://collector:4318/v1/traces",
      "  --header K=V           a header of every OTLP forwarding request (repeatable)",
      "  --region REGION        the AWS region to forward to (default: the AWS SDK's region chain)",
      "  --max-traces N         traces kept in memory before the oldest are evicted (default 10000)",
      "  --max-bytes N          heap bytes the stored traces may take, e.g. 256m or 1g (default 256m);",
      "                         ./radiograph daemon gives the JVM a heap of twice this plus 256m",
      "  --max-trace-documents N  documents one trace may hold (default 100000; a trace may also take",
      "                         at most half of --max-bytes); later ones are counted, the trace is",
      "                         marked truncated (LimitExceeded)",
      "  --data DIR             keep the traces in a database in DIR (SQLite), so that they survive a",
      "                         restart; without it they are kept in memory only",
      "  --retention DURATION   with --data: delete traces that first arrived longer ago, for example",
      "                         90m, 24h or 7d (default: only --max-traces and --max-bytes bound the store)",
      "  --logs-url TEMPLATE    a \"Logs\" link on each trace and entity in the viewer, for example",
      "                         http://localhost:3000/explore?query={traceId}; placeholders {traceId} (W3C",
      "                         32 hex), {xrayTraceId}, {spanId} (entity id), {service} (segment name),",
      "                         {start} and {end} (epoch milliseconds); values are URL-encoded",
      "  --allow-remote HOST[,HOST]",
      "                         allow --udp/--http on addresses other than loopback, and answer HTTP",
      "                         requests for these host names or addresses (besides localhost, 127.0.0.1",
      "                         and [::1], which are always answered; other Host names get 403). The",
      "                         viewer and the query API then need a token; ingest (UDP and",
      "                         PutTraceSegments) and the sampling API stay open for the SDKs",
      "  --token TOKEN          the token the viewer and query API need (at least 16 letters, digits or",
      "                         - . _ ~ + /); made up and printed at start-up with --allow-remote. Send it",
      "                         as Authorization: Bearer TOKEN, or open the viewer once at /?token=TOKEN",
      "  -h, --help             this text");

  private DaemonMain() {}

  public static void main(String[] args) {
    // The daemon logs through java.util.logging. The AWS SDK puts slf4j-api on the class path
    // without a binding; Vert.x and Netty would pick it and print SLF4J's warning at every start.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    int status = run(args, System.out, System.err);
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs the command; returns an exit status, or -1 once the daemon is running until stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    DaemonConfig config;
    try {
      config = parse(args);
    } catch (UsageException e) {
      if (e.getMessage() == null) {
        out.println(USAGE);
        return 0;
      }
      err.println("radiograph daemon: " + e.getMessage());
      err.println("Run 'radiograph daemon --help' for the options.");
      return 2;
    }
    Daemon daemon;
    try {
      daemon = Daemon.start(config);
    } catch (IOException | RuntimeException e) {
      err.println("radiograph daemon: " + e.getMessage());
      return 1;
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (heap < 2 * config.maxBytes()) {
      err.printf(java.util.Locale.ROOT, "radiograph daemon: warning: a heap of %d MB is small for --max-bytes %d MB;"
          + " start java with -Xmx%dm -XX:+ExitOnOutOfMemoryError (./radiograph daemon does)%n",
          heap >> 20, config.maxBytes() >> 20, (2 * config.maxBytes() >> 20) + 256);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      stopped.countDown();
    }, "radiograph-daemon-shutdown"));
    out.println("Radiograph daemon");
    out.println("  segments (UDP)   " + HostAndPort.parse(config.udp()).hostForUrl() + ":" + daemon.udpPort());
    out.println("  X-Ray API (TCP)  " + daemon.baseUrl());
    out.println("  viewer           " + viewerUrl(daemon, config) + "/"
        + (daemon.token() != null ? "?token=" + daemon.token() : ""));
    if (daemon.token() != null) {
      out.println("  token            " + daemon.token() + " (the viewer and query API need it: Authorization: Bearer TOKEN)");
    }
    if (config.allowRemote()) {
      out.println("  remote hosts     " + String.join(", ", config.remoteHosts()));
    }
    out.println("  OTLP             " + otlpBanner(config, daemon));
    out.println("  sampling rules   " + (config.rulesFile() != null ? config.rulesFile() : "X-Ray's default (1/s, then 5%)"));
    out.println("  forwarding       " + (config.forwardToAws() ? "AWS X-Ray"
        : config.forwardToOtlp() ? "OTLP to " + config.endpoint() : "off"));
    out.println("  traces kept      " + (config.dataDirectory() != null
        ? "in " + config.dataDirectory() + " (SQLite)" + (config.retention() != null
            ? " for " + duration(config.retention()) : "")
        : "in memory (--data DIR keeps them across restarts)"));
    out.println("  logs link        " + (config.logsUrl() != null ? config.logsUrl() : "none (the viewer shows the ids to paste)"));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /**
   * The configuration that the daemon's command-line flags {@code args} describe, for tools that
   * start a daemon of their own ({@code ./radiograph daemon-bench}): a later flag overrides an
   * earlier one.
   *
   * @throws IllegalArgumentException saying which flag is wrong
   */
  public static DaemonConfig config(String... args) {
    try {
      return parse(args);
    } catch (UsageException e) {
      throw new IllegalArgumentException(e.getMessage() != null ? e.getMessage() : "--help is not a setting");
    }
  }

  /**
   * Where to open the viewer: the bound address, or, bound to all addresses, the first host
   * {@code --allow-remote} names (0.0.0.0 is no Host the daemon answers to).
   */
  private static String viewerUrl(Daemon daemon, DaemonConfig config) {
    String bound = HostAndPort.parse(config.http()).host();
    boolean wildcard = bound.equals("0.0.0.0") || bound.equals("::") || bound.equals("[::]");
    if (!wildcard || config.remoteHosts().isEmpty()) {
      return daemon.baseUrl();
    }
    return "http://" + HostAndPort.of(config.remoteHosts().get(0), daemon.httpPort());
  }

  static DaemonConfig parse(String[] args) throws UsageException {
    DaemonConfig.Builder builder = DaemonConfig.builder().otlpHttp("127.0.0.1:4318").otlpGrpc("127.0.0.1:4317");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      try {
        switch (flag) {
          case "-h":
          case "--help":
            throw new UsageException(null);
          case "--udp":
            builder.udp(value != null ? value : next(args, ++i, flag));
            break;
          case "--http":
            builder.http(value != null ? value : next(args, ++i, flag));
            break;
          case "--otlp-http":
            builder.otlpHttp(value != null ? value : next(args, ++i, flag));
            break;
          case "--otlp-grpc":
            builder.otlpGrpc(value != null ? value : next(args, ++i, flag));
            break;
          case "--header": {
            String header = value != null && !arg.equals("--header") ? value : next(args, ++i, flag);
            int eq = header.indexOf('=');
            if (eq <= 0) {
              throw new UsageException("--header takes NAME=VALUE, got '" + header + "'");
            }
            builder.header(header.substring(0, eq).trim(), header.substring(eq + 1).trim());
            break;
          }
          case "--rules":
            builder.rulesFile(value != null ? value : next(args, ++i, flag));
            break;
          case "--forward": {
            String target = value != null ? value : next(args, ++i, flag);
            if (!target.equals("aws") && !target.equals("otlp") && !target.equals("none")) {
              throw new UsageException("--forward takes 'aws', 'otlp' or 'none', got '" + target + "'");
            }
            builder.forwardToAws(target.equals("aws"));
            builder.forwardToOtlp(target.equals("otlp"));
            break;
          }
          case "--endpoint": {
            String url = value != null ? value : next(args, ++i, flag);
            try {
              URI uri = new URI(url);
              if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(url, "needs a scheme and a host");
              }
              builder.endpoint(uri);
            } catch (URISyntaxException e) {
              throw new UsageException("--endpoint is not a URL: " + e.getMessage());
            }
            break;
          }
          case "--region":
            builder.region(value != null ? value : next(args, ++i, flag));
            break;
          case "--max-traces":
            builder.maxTraces((int) number(value != null ? value : next(args, ++i, flag), flag, false));
            break;
          case "--max-bytes":
            builder.maxBytes(number(value != null ? value : next(args, ++i, flag), flag, true));
            break;
          case "--max-trace-documents":
            builder.maxTraceDocuments((int) number(value != null ? value : next(args, ++i, flag), flag, false));
              break;
          case "--data": {
            String dir = value != null ? value : next(args, ++i, flag);
            if (dir.isBlank()) {
              throw new UsageException("--data needs a directory");
            }
            builder.dataDirectory(java.nio.file.Path.of(dir));
            break;
          }
          case "--retention":
            builder.retention(retention(value != null ? value : next(args, ++i, flag)));
            break;
          case "--logs-url":
            builder.logsUrl(value != null ? value : next(args, ++i, flag));
            break;
          case "--allow-remote":
            builder.allowRemote(java.util.Arrays.asList((value != null ? value : next(args, ++i, flag)).split(",", -1)));
            break;
          case "--token":
            builder.token(value != null ? value : next(args, ++i, flag));
            break;
          default:
            throw new UsageException("unknown option '" + arg + "'");
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static final String RETENTION_UNITS = "smhd";
  private static final long[] RETENTION_SECONDS = {1, 60, 3600, 86_400};

  /** {@code 90m}, {@code 24h}, {@code 7d}, {@code 30s}: a whole number and a unit. */
  static java.time.Duration retention(String text) throws UsageException {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    int unit = t.isEmpty() ? -1 : RETENTION_UNITS.indexOf(t.charAt(t.length() - 1));
    String digits = unit < 0 ? t : t.substring(0, t.length() - 1);
    if (unit < 0 || digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
      throw new UsageException("--retention must be a whole number with a unit s, m, h or d (for example 90m, 24h"
          + " or 7d), got '" + text + "'");
    }
    long amount = Long.parseLong(digits);
    if (amount == 0) {
      throw new UsageException("--retention must be longer than 0, got '" + text + "'");
    }
    return java.time.Duration.ofSeconds(amount * RETENTION_SECONDS[unit]);
  }

  /** A retention as the largest whole unit it is written in: 24h, 90m, 7d. */
  static String duration(java.time.Duration d) {
    long seconds = d.getSeconds();
    for (int unit = RETENTION_SECONDS.length - 1; unit > 0; unit--) {
      if (seconds % RETENTION_SECONDS[unit] == 0) {
        return seconds / RETENTION_SECONDS[unit] + String.valueOf(RETENTION_UNITS.charAt(unit));
      }
    }
    return seconds + "s";
  }

  /** Where OTLP is received: {@code HTTP 127.0.0.1:4318 (/v1/traces), gRPC 127.0.0.1:4317}, or off. */
  private static String otlpBanner(DaemonConfig config, Daemon daemon) {
    String http = daemon.otlpHttpPort() < 0 ? "HTTP off"
        : "HTTP " + HostAndPort.parse(config.otlpHttp()).hostForUrl() + ":" + daemon.otlpHttpPort() + " (/v1/traces)";
    String grpc = daemon.otlpGrpcPort() < 0 ? "gRPC off"
        : "gRPC " + HostAndPort.parse(config.otlpGrpc()).hostForUrl() + ":" + daemon.otlpGrpcPort();
    return http + ", " + grpc;
  }

  private static String next(String[] args, int i, String flag) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args[i];
  }

  private static long number(String text, String flag, boolean sizeSuffix) throws UsageException {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long multiplier = 1;
    if (sizeSuffix && !t.isEmpty()) {
      char unit = t.charAt(t.length() - 1);
      if (unit == 'k' || unit == 'm' || unit == 'g') {
        multiplier = unit == 'k' ? 1024L : unit == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      long value = Long.parseLong(t);
      if (value < 1 || value > Long.MAX_VALUE / multiplier || (!sizeSuffix && value > Integer.MAX_VALUE)) {
        throw new UsageException(flag + " must be a positive number, got '" + text + "'");
      }
      return value * multiplier;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a number" + (sizeSuffix ? " (with k, m or g)" : "") + ", got '" + text + "'");
    }
  }

  /** A command-line mistake; a null message asks for the usage text. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
