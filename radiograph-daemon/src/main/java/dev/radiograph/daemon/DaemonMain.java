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
      "  --max-bytes N          bytes kept in memory, e.g. 256m or 1g (default 256m)",
      "  --logs-url TEMPLATE    a \"Logs\" link on each trace and entity in the viewer, for example",
      "                         http://localhost:3000/explore?query={traceId}; placeholders {traceId} (W3C",
      "                         32 hex), {xrayTraceId}, {spanId} (entity id), {service} (segment name),",
      "                         {start} and {end} (epoch milliseconds); values are URL-encoded",
      "  --allow-remote         allow --udp/--http on addresses other than loopback",
      "  -h, --help             this text");

  private DaemonMain() {}

  public static void main(String[] args) {
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      stopped.countDown();
    }, "radiograph-daemon-shutdown"));
    out.println("Radiograph daemon");
    out.println("  segments (UDP)   " + HostAndPort.parse(config.udp()).hostForUrl() + ":" + daemon.udpPort());
    out.println("  X-Ray API (TCP)  " + daemon.baseUrl());
    out.println("  viewer           " + daemon.baseUrl() + "/");
    out.println("  OTLP             " + otlpBanner(config, daemon));
    out.println("  sampling rules   " + (config.rulesFile() != null ? config.rulesFile() : "X-Ray's default (1/s, then 5%)"));
    out.println("  forwarding       " + (config.forwardToAws() ? "AWS X-Ray"
        : config.forwardToOtlp() ? "OTLP to " + config.endpoint() : "off"));
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
          case "--logs-url":
            builder.logsUrl(value != null ? value : next(args, ++i, flag));
            break;
          case "--allow-remote":
            builder.allowRemote(true);
            break;
          default:
            throw new UsageException("unknown option '" + arg + "'");
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return builder.build();
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
