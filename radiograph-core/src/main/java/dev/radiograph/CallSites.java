package dev.radiograph;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes a call passes through on its way from the application to the recorder. When
 * {@code context-missing=LOG_ERROR} names the code that called without a segment, it names the
 * first frame that is not one of these: the user's class, not the integration's.
 *
 * <p>Each integration registers its own classes, once, from a static initializer of its entry
 * class; nested and lambda classes of a registered class count as registered. Core registers its
 * own, and the JDK's dynamic proxy classes are always passed through.
 *
 * <pre>{@code
 * static { CallSites.registerPassThrough(TracedDataSource.class, StatementHandler.class); }
 * }</pre>
 */
public final class CallSites {
  private static final Set<String> PASS_THROUGH = ConcurrentHashMap.newKeySet();
  private static final String[] PROXY_PACKAGES = {"jdk.proxy", "com.sun.proxy."};
  private static final java.util.List<String> PASS_THROUGH_PACKAGES = new java.util.concurrent.CopyOnWriteArrayList<>();

  static {
    registerPassThrough(Recorder.class, Radiograph.class, RecordingEntity.class, RecordingSegment.class,
        RecordingSubsegment.class, NonRecordingSegment.class, NonRecordingSubsegment.class,
        ContextMissingReporter.class, EntityLifecycle.class, CallSites.class,
        dev.radiograph.context.ContextSnapshot.class, dev.radiograph.context.TracedExecutors.class,
        dev.radiograph.http.HttpClientTracing.class, dev.radiograph.http.HttpServerTracing.class,
        dev.radiograph.sql.SqlTracing.class, dev.radiograph.aws.AwsCallTracing.class);
  }

  private CallSites() {}

  /** Registers classes (of an integration) that are never reported as the call site. */
  public static void registerPassThrough(Class<?>... classes) {
    for (Class<?> c : classes) {
      PASS_THROUGH.add(Objects.requireNonNull(c, "class").getName());
    }
  }

  /**
   * Registers a package (a prefix such as {@code "software.amazon.awssdk."}) whose frames are never
   * reported as the call site: for a framework's own classes that sit between the application and
   * an integration (an AWS SDK client calling its interceptors).
   */
  public static void registerPassThroughPackage(String packagePrefix) {
    Objects.requireNonNull(packagePrefix, "packagePrefix");
    if (!PASS_THROUGH_PACKAGES.contains(packagePrefix)) {
      PASS_THROUGH_PACKAGES.add(packagePrefix);
    }
  }

  /** Whether a frame of {@code className} is passed through rather than reported. */
  static boolean isPassThrough(String className) {
    for (String prefix : PROXY_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    if (PASS_THROUGH.contains(className)) {
      return true;
    }
    for (String prefix : PASS_THROUGH_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    // A nested, inner or anonymous class of a registered class: A$Inner, A$1, A$Inner$2.
    for (int i = className.indexOf('$'); i > 0; i = className.indexOf('$', i + 1)) {
      if (PASS_THROUGH.contains(className.substring(0, i))) {
        return true;
      }
    }
    return false;
  }
}
