package dev.radiograph.benchmarks;

import dev.radiograph.RecorderBuilder;
import dev.radiograph.Recorder;
import dev.radiograph.javalin.RadiographPlugin;
import dev.radiograph.servlet.RadiographFilter;
import dev.radiograph.vertx.RadiographTracerFactory;
import dev.radiograph.vertx.RadiographVertx;
import io.javalin.Javalin;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Hello-world servers on 127.0.0.1, plain or traced, for the server benchmarks and for
 * {@code wrk}: each answers {@code GET /hello} with {@value #BODY} and a {@code Content-Length}.
 * Port 0 picks a free port. Everything they start stops in {@link HelloServer#close()}, bounded by
 * {@value #STOP_SECONDS} s, so that a JMH fork can exit.
 *
 * <p>As a program, run by {@code wrk.sh}: see {@link #main}.
 */
public final class HelloServers {
  static final String BODY = "hello";
  private static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.US_ASCII);
  private static final long STOP_SECONDS = 10;

  /** Held so that the levels set on them stay set (JUL keeps loggers weakly). */
  private static final Logger[] QUIET_LOGGERS = {
    Logger.getLogger("org.apache.catalina"), Logger.getLogger("org.apache.coyote"), Logger.getLogger("org.apache.tomcat"),
  };

  static {
    // Tomcat logs a dozen INFO lines per start: not in the middle of JMH's output.
    for (Logger logger : QUIET_LOGGERS) {
      logger.setLevel(Level.WARNING);
    }
  }

  private HelloServers() {}

  /**
   * A Vert.x 5 HTTP server (its own Vert.x instance), untraced when {@code recorder} is null, else
   * traced by radiograph-vertx as its README installs it: Radiograph as Vert.x's tracer, and
   * {@link RadiographVertx#withResponseHeader} around the handler. The recorder must come from
   * {@link RadiographVertx#recorderBuilder()}; the caller closes it. Vert.x sets
   * {@code TCP_NODELAY} on its connections.
   */
  static HelloServer vertx(Recorder recorder, int port) throws Exception {
    Vertx vertx = recorder == null
        ? Vertx.vertx()
        : Vertx.builder().withTracer(new RadiographTracerFactory(recorder)).build();
    try {
      Handler<HttpServerRequest> hello = request -> request.response()
          .putHeader("Content-Type", "text/plain")
          .end(BODY);
      HttpServer server = await(vertx
          .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
          .requestHandler(recorder == null ? hello : RadiographVertx.withResponseHeader(hello))
          .listen(port, "127.0.0.1"));
      int actualPort = server.actualPort();
      return new HelloServer() {
        @Override
        public int port() {
          return actualPort;
        }

        @Override
        public void close() {
          stop(vertx);
        }
      };
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * An embedded Tomcat with one hello-world servlet, with {@code filter} first in front of it
   * (none when null). Keep-alive connections serve any number of requests (Tomcat's default closes
   * them after 100), so a client keeps its one connection.
   */
  static HelloServer tomcat(Filter filter, int port) throws Exception {
    Path baseDir = Files.createTempDirectory("radiograph-bench-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxKeepAliveRequests", "-1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    if (context instanceof StandardContext) {
      // No web application to check for leaks when it stops (the checks only warn on Java 17+).
      ((StandardContext) context).setClearReferencesThreadLocals(false);
      ((StandardContext) context).setClearReferencesRmiTargets(false);
    }
    Tomcat.addServlet(context, "hello", new HelloServlet()).addMapping(HelloServer.PATH);
    if (filter != null) {
      FilterDef definition = new FilterDef();
      definition.setFilterName("tracing");
      definition.setFilter(filter);
      definition.setAsyncSupported("true");
      context.addFilterDef(definition);
      FilterMap mapping = new FilterMap();
      mapping.setFilterName("tracing");
      mapping.addURLPattern("/*");
      context.addFilterMap(mapping);
    }
    try {
      tomcat.start();
    } catch (LifecycleException | RuntimeException e) {
      stop(tomcat, baseDir);
      throw e;
    }
    int actualPort = connector.getLocalPort();
    if (actualPort <= 0) {
      stop(tomcat, baseDir);
      throw new IllegalStateException("Tomcat did not start its connector on 127.0.0.1:" + port);
    }
    return new HelloServer() {
      @Override
      public int port() {
        return actualPort;
      }

      @Override
      public void close() {
        try {
          stop(tomcat, baseDir);
        } catch (LifecycleException | IOException e) {
          throw new IllegalStateException("Tomcat did not stop cleanly", e);
        }
      }
    };
  }

  /** A Javalin 7 server, traced by radiograph-javalin's plugin when {@code recorder} is not null. */
  static HelloServer javalin(Recorder recorder, int port) {
    Javalin javalin = Javalin.create(config -> {
      if (recorder != null) {
        config.registerPlugin(new RadiographPlugin(recorder));
      }
      config.routes.get(HelloServer.PATH, ctx -> ctx.result(BODY));
    }).start("127.0.0.1", port);
    return new HelloServer() {
      @Override
      public int port() {
        return javalin.port();
      }

      @Override
      public void close() {
        javalin.stop();
      }
    };
  }

  private static void stop(Tomcat tomcat, Path baseDir) throws LifecycleException, IOException {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      if (Files.exists(baseDir)) {
        try (Stream<Path> files = Files.walk(baseDir)) {
          for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  /** Closes {@code vertx} and waits for it, bounded by {@value #STOP_SECONDS} s. */
  static void stop(Vertx vertx) {
    try {
      await(vertx.close());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Vert.x was stopping", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Vert.x did not stop within " + STOP_SECONDS + " s", e);
    }
  }

  /** Waits for a Vert.x future from a thread that is not Vert.x's (no {@code await()}): bounded. */
  static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
  }

  /** Answers {@value #BODY}, with a {@code Content-Length} (so not chunked). */
  private static final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType("text/plain");
      response.setContentLength(BODY_BYTES.length);
      response.getOutputStream().write(BODY_BYTES);
    }
  }

  /**
   * {@code HelloServers javalin|vertx|tomcat plain|traced|default-sampling PORT [DAEMON]}: one
   * server until killed. {@code traced} samples every request; {@code default-sampling} samples as
   * an unconfigured service does (X-Ray's default rule: the first request each second, then 5%).
   * The documents go to {@code DAEMON} ({@code 127.0.0.1:port}), or, when it is not given, to a
   * {@link DiscardingUdpDaemon} in this process.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: HelloServers javalin|vertx|tomcat plain|traced|default-sampling PORT [DAEMON]");
      System.exit(2);
    }
    String framework = args[0];
    String mode = args[1];
    if (!mode.equals("plain") && !mode.equals("traced") && !mode.equals("default-sampling")) {
      throw new IllegalArgumentException("unknown mode: " + mode + " (plain, traced or default-sampling)");
    }
    boolean traced = !mode.equals("plain");
    int port = Integer.parseInt(args[2]);
    String daemonAddress = args.length == 4 ? args[3] : new DiscardingUdpDaemon().address();
    RecorderBuilder builder = framework.equals("vertx")
        ? RadiographVertx.recorderBuilder()
        : RadiographPeer.threadLocalBuilder();
    Recorder recorder = builder
        .tracingName(Workload.SERVICE)
        .daemonAddress(daemonAddress)
        .sampling(mode.equals("default-sampling"))
        .environment(Map.of())
        .systemProperties(new Properties())
        .build();
    switch (framework) {
      case "javalin":
        javalin(traced ? recorder : null, port);
        break;
      case "vertx":
        vertx(traced ? recorder : null, port);
        break;
      case "tomcat":
        tomcat(traced ? new RadiographFilter(recorder) : null, port);
        break;
      default:
        throw new IllegalArgumentException("unknown framework: " + framework + " (javalin, vertx or tomcat)");
    }
    System.out.println("ready");
    new CountDownLatch(1).await();
  }
}
