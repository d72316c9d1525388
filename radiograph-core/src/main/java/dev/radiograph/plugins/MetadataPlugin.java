package dev.radiograph.plugins;

import dev.radiograph.internal.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the four environment plugins share: fetching once and remembering the result, turning every
 * failure into one log line and empty data, and reading small JSON answers and files.
 */
abstract class MetadataPlugin implements Plugin {
  /** The most a plugin reads from a metadata file. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private final Logger log;
  private final Object lock = new Object();
  private PluginData data; // guarded by lock; null until fetched

  MetadataPlugin() {
    this.log = System.getLogger(getClass().getName());
  }

  @Override
  public final PluginData collect() {
    synchronized (lock) {
      if (data == null) {
        data = fetchOnce();
      }
      return data;
    }
  }

  private PluginData fetchOnce() {
    try {
      PluginData fetched = fetch();
      return fetched == null ? PluginData.empty() : fetched;
    } catch (Unavailable e) {
      log.log(e.level, "Radiograph: " + name() + " adds nothing: " + e.getMessage());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Radiograph: " + name() + " adds nothing: unexpected error: " + e);
    }
    return PluginData.empty();
  }

  /** Logs a partial failure: the plugin still adds what it has. */
  final void warn(String problem) {
    log.log(Level.WARNING, "Radiograph: " + name() + ": " + problem);
  }

  /**
   * Reads the environment's metadata; called once.
   *
   * @throws Unavailable saying why there is nothing to add (this becomes the one log line)
   */
  abstract PluginData fetch() throws Unavailable;

  /** Why a plugin adds nothing: not in its environment (INFO) or its metadata failed (WARNING). */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Level level;

    private Unavailable(Level level, String message) {
      super(message, null, false, false);
      this.level = level;
    }

    /** The application does not run in this plugin's environment. */
    static Unavailable notHere(String message) {
      return new Unavailable(Level.INFO, message);
    }

    /** The environment is there (or may be), but its metadata could not be had. */
    static Unavailable failed(String message) {
      return new Unavailable(Level.WARNING, message);
    }
  }

  /** The parsed JSON object in {@code body}, or {@link Unavailable} naming {@code source}. */
  static Map<String, Object> jsonObject(byte[] body, String source) throws Unavailable {
    Object root;
    try {
      root = JsonReader.parse(body);
    } catch (IllegalArgumentException e) {
      throw Unavailable.failed("malformed JSON from " + source + ": " + e.getMessage());
    }
    if (!(root instanceof Map)) {
      throw Unavailable.failed("expected a JSON object from " + source + ", found " + JsonReader.typeName(root));
    }
    return JsonReader.asObject(root, source);
  }

  /** The non-blank string member {@code key} of {@code object}, or {@code null}. */
  static String text(Map<String, Object> object, String key) {
    Object value = object == null ? null : object.get(key);
    return value instanceof String && !((String) value).isBlank() ? (String) value : null;
  }

  /** The object member {@code key} of {@code object}, or {@code null}. */
  static Map<String, Object> member(Map<String, Object> object, String key) {
    Object value = object == null ? null : object.get(key);
    return value instanceof Map ? JsonReader.asObject(value, key) : null;
  }

  /** Puts {@code value} unless it is {@code null}. */
  static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /**
   * The file's bytes, at most {@value #MAX_FILE_BYTES}; {@code null} when it does not exist.
   *
   * @throws Unavailable if it exists but cannot be read or is too large
   */
  static byte[] readSmallFile(Path path) throws Unavailable {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw Unavailable.failed(path + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | SecurityException e) {
      throw Unavailable.failed("cannot read " + path + ": " + e);
    }
  }

  /** {@code base} followed by {@code path}, without a doubled slash. */
  static URI resolve(String base, String path) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(trimmed + path);
  }

  /**
   * Checks a base URL given to a plugin: absolute {@code http} or {@code https}, with a host.
   *
   * @throws IllegalArgumentException naming {@code what}
   */
  static String checkBaseUrl(String url, String what) {
    Objects.requireNonNull(url, what);
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(what + " '" + url + "' is not a URL: " + e.getMessage(), e);
    }
    boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    if (!web || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " '" + url + "' must be an http:// or https:// URL with a host");
    }
    return url;
  }

  /**
   * Checks a per-call timeout: positive.
   *
   * @throws IllegalArgumentException if it is zero or negative
   */
  static Duration checkTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    return timeout;
  }

  /**
   * The container's host name: {@code HOSTNAME} from {@code env} (set in every Docker, ECS and
   * Kubernetes container), else the local host name; {@code null} if neither is known.
   */
  static String hostname(Map<String, String> env) {
    String name = env.get("HOSTNAME");
    if (name != null && !name.isBlank()) {
      return name.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** A failed call, for a log line: the timeout as it is, other errors with their type. */
  static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
