package dev.radiograph.benchmarks;

import dev.radiograph.Recorder;
import dev.radiograph.javalin.RadiographPlugin;
import dev.radiograph.vertx.RadiographTracerFactory;
import dev.radiograph.vertx.RadiographVertx;
import io.javalin.Javalin;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Hello-world servers for {@code wrk}: Javalin and Vert.x, each plain or traced by Radiograph at
 * 100% sampling, sending to a local UDP socket that {@link DiscardingUdpDaemon} drains. Run by
 * {@code wrk.sh}, which compares requests per second of the plain and traced servers in one run.
 *
 * <p>Usage: {@code HelloServers javalin|vertx plain|traced PORT}
 */
public final class HelloServers {
  private HelloServers() {}

  public static void main(String[] args) throws Exception {
    String framework = args[0];
    boolean traced = args[1].equals("traced");
    int port = Integer.parseInt(args[2]);
    DiscardingUdpDaemon daemon = new DiscardingUdpDaemon();
    Recorder.Builder builder = framework.equals("vertx") ? RadiographVertx.recorderBuilder() : Recorder.builder();
    Recorder recorder = builder
        .tracingName("hello")
        .daemonAddress("127.0.0.1:" + daemon.port())
        .sampling(false)
        .environment(Map.of())
        .systemProperties(new Properties())
        .build();
    if (framework.equals("javalin")) {
      Javalin.create(config -> {
        if (traced) {
          config.registerPlugin(new RadiographPlugin(recorder));
        }
        config.routes.get("/hello", ctx -> ctx.result("hello"));
      }).start("127.0.0.1", port);
    } else {
      Vertx vertx = traced
          ? Vertx.builder().withTracer(new RadiographTracerFactory(recorder)).build()
          : Vertx.vertx();
      HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end("hello"));
      server.listen(port, "127.0.0.1").await();
    }
    System.out.println("ready");
    new CountDownLatch(1).await();
  }
}
