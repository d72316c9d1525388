package dev.radiograph;

import java.util.Objects;

/**
 * The global recorder, for code that has no recorder handed to it: {@code
 * Radiograph.currentSegment().putAnnotation("customer", id)} in a controller. Integrations
 * install theirs with {@link #setRecorder}; otherwise one is built on first use from the
 * environment and system properties.
 */
public final class Radiograph {
  private static volatile Recorder recorder;

  private Radiograph() {}

  /** The global recorder; built from environment and system properties on first use. */
  public static Recorder recorder() {
    Recorder r = recorder;
    if (r == null) {
      synchronized (Radiograph.class) {
        r = recorder;
        if (r == null) {
          try {
            r = Recorder.builder().build();
          } catch (RuntimeException e) {
            // Bad settings must not throw into request code on every call: say so once, and
            // run disabled (headers still propagate).
            System.getLogger("dev.radiograph").log(System.Logger.Level.ERROR,
                "Radiograph: tracing is disabled because the settings are invalid: " + e.getMessage());
            r = Recorder.builder()
                .environment(java.util.Map.of())
                .systemProperties(new java.util.Properties())
                .enabled(false)
                .build();
          }
          recorder = r;
          Recorder toClose = r;
          Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "radiograph-shutdown"));
        }
      }
    }
    return r;
  }

  /** Installs {@code recorder} as the global recorder (integrations do this at start-up). */
  public static void setRecorder(Recorder recorder) {
    Radiograph.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  /** The global recorder's current segment; see {@link Recorder#currentSegment()}. */
  public static Segment currentSegment() {
    return recorder().currentSegment();
  }

  /** The global recorder's current subsegment; see {@link Recorder#currentSubsegment()}. */
  public static Subsegment currentSubsegment() {
    return recorder().currentSubsegment();
  }
}
