package dev.radiograph.spring;

import dev.radiograph.UdpDaemon;
import dev.radiograph.spring.reactive.ReactiveApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /** The application's log file, with Spring Boot's default pattern (and the starter's correlation). */
  final Path log;

  private ReactiveCatalog(UdpDaemon daemon, DirectoryServer directory, ConfigurableApplicationContext app, Path log) {
    this.daemon = daemon;
    this.directory = directory;
    this.app = app;
    this.log = log;
  }

  /** Starts everything, the application with {@code properties} besides its own. */
  static ReactiveCatalog start(String... properties) throws Exception {
    UdpDaemon daemon = new UdpDaemon();
    DirectoryServer directory = new DirectoryServer();
    Path log = Files.createTempFile("radiograph-catalog", ".log");
    // Spring Boot leaves the resolved correlation pattern as a system property: not an earlier application's.
    System.clearProperty("LOG_CORRELATION_PATTERN");
    try {
      ConfigurableApplicationContext app = TestApplications.builder(ReactiveApplication.class, Map.of(), Map.of(),
              WebApplicationType.REACTIVE)
          .properties(
              "spring.application.name=catalog",
              "logging.file.name=" + log,
              "logging.level.dev.radiograph.spring.reactive=INFO",
              "radiograph.daemon-address=" + daemon.address(),
              "radiograph.sampling=false",
              "directory.url=" + directory.url(),
              "management.endpoints.web.exposure.include=health")
          .properties(properties)
          .run();
      return new ReactiveCatalog(daemon, directory, app, log);
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
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // a temporary file; the system cleans it
      }
    }
  }
}
