package dev.radiograph.spring;

/**
 * Start-up fails with this when the service has no name to give its segments: neither
 * {@code radiograph.tracing-name} (or {@code AWS_XRAY_TRACING_NAME}) nor
 * {@code spring.application.name} is set.
 */
public final class MissingTracingNameException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  MissingTracingNameException() {
    super("Radiograph needs a name for this service's segments: set radiograph.tracing-name (or the"
        + " AWS_XRAY_TRACING_NAME environment variable) or spring.application.name");
  }
}
