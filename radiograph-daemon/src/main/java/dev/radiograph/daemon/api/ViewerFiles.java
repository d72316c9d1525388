package dev.radiograph.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The viewer's static files ({@code /} and {@code /viewer/NAME}), from the daemon's own resources.
 * A name is one plain file name (letters, digits, {@code -}, {@code _}, an extension): nothing else
 * on the class path can be reached. Each file is read once and kept: they are few and small.
 */
final class ViewerFiles {
  private static final String ROOT = "/dev/radiograph/daemon/viewer/";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+");

  /** A file and its content type. */
  record File(String contentType, byte[] content) {}

  private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

  /** The file a GET of {@code path} serves, or empty for a 404. Reads the class path the first time. */
  Optional<File> file(String path) {
    String name;
    if (path.equals("/") || path.equals("/index.html")) {
      name = "index.html";
    } else if (path.startsWith("/viewer/")) {
      name = path.substring("/viewer/".length());
    } else {
      return Optional.empty();
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return files.computeIfAbsent(name, ViewerFiles::load);
  }

  private static Optional<File> load(String name) {
    try (InputStream in = ViewerFiles.class.getResourceAsStream(ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(new File(contentType(name), in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the viewer's " + name, e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return "application/octet-stream";
  }
}
