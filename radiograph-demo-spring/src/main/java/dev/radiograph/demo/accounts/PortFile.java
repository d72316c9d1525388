package dev.radiograph.demo.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Writes the port the web server listens on to the file named by {@code demo.port-file}, once the
 * application is ready, so that a launcher that started it with {@code --server.port=0} learns
 * where it is and that it is ready.
 *
 * <p>RATIONALE: ready, not when the web server starts (Spring Boot's
 * {@code WebServerPortFileWriter}): the launcher sends traffic as soon as the port is known, and
 * only the ready event comes after the runners and the end of the start-up segment. The file is
 * written beside itself and moved into place, so that its reader never sees it half written.
 */
@Component
final class PortFile implements ApplicationListener<ApplicationReadyEvent> {
  static final String PROPERTY = "demo.port-file";

  private final Environment environment;

  PortFile(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    String file = environment.getProperty(PROPERTY);
    if (file == null || file.isBlank()
        || !(event.getApplicationContext() instanceof WebServerApplicationContext context)) {
      return;
    }
    Path target = Path.of(file).toAbsolutePath();
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try {
      Files.writeString(partial, context.getWebServer().getPort() + "\n", StandardCharsets.US_ASCII);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Thrown from a ready listener, this stops the application: the launcher would wait in vain.
      throw new UncheckedIOException(PROPERTY + ": cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
