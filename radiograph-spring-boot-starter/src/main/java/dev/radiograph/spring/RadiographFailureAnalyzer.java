package dev.radiograph.spring;

import dev.radiograph.config.InvalidSettingException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a start-up failure caused by Radiograph's settings into Spring Boot's "APPLICATION FAILED
 * TO START" report: what is wrong, and what to set.
 */
public final class RadiographFailureAnalyzer implements FailureAnalyzer {
  @Override
  public FailureAnalysis analyze(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof MissingTracingNameException) {
        return new FailureAnalysis(cause.getMessage(),
            "Set radiograph.tracing-name or spring.application.name in application.properties, or the"
                + " AWS_XRAY_TRACING_NAME environment variable.",
            cause);
      }
      if (cause instanceof InvalidSettingException) {
        InvalidSettingException invalid = (InvalidSettingException) cause;
        return new FailureAnalysis(cause.getMessage(),
            "Correct radiograph." + invalid.key().key()
                + (invalid.key().environmentVariable() != null
                    ? " (or the " + invalid.key().environmentVariable() + " environment variable)"
                    : "")
                + ".",
            cause);
      }
    }
    return null;
  }
}
