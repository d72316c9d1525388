package dev.radiograph.spring;

import dev.radiograph.UdpDaemon;
import dev.radiograph.spring.reactive.ReactiveApplication;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The reactive scenario: a UDP daemon, the directory server, and the reactive application (named
 * {@code catalog}, every request sampled) on Netty on a random port, calling the directory.
 */
final class ReactiveCatalog implements AutoCloseable {
  final UdpDaemon daemon;
  final DirectoryServer directory;
  final ConfigurableApplicationContext app;

  private ReactiveCatalog(UdpDaemon daemon, DirectoryServer directory, ConfigurableApplicationContext app) {
    this.daemon = daemon;
    this.directory = directory;
    this.app = app;
  }

  /** Starts everything, the application with {@code properties} besides its own. */
  static ReactiveCatalog start(String... properties) throws Exception {
    UdpDaemon daemon = new UdpDaemon();
    DirectoryServer directory = new DirectoryServer();
    try {
      ConfigurableApplicationContext app = TestApplications.builder(ReactiveApplication.class, Map.of(), Map.of(),
              WebApplicationType.REACTIVE)
          .properties(
              "radiograph.tracing-name=catalog",
              "radiograph.daemon-address=" + daemon.address(),
              "radiograph.sampling=false",
              "directory.url=" + directory.url(),
              "management.endpoints.web.exposure.include=health")
          .properties(properties)
          .run();
      return new ReactiveCatalog(daemon, directory, app);
    } catch (RuntimeException e) {
      directory.close();
      daemon.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>} of the application. */
  String base() {
    return "http://127.0.0.1:" + TestApplications.port(app);
  }

  @Override
  public void close() {
    try {
      TestApplications.stop(app);
    } finally {
      directory.close();
      daemon.close();
    }
  }
}
