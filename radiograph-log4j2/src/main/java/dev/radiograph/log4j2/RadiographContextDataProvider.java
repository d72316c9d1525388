package dev.radiograph.log4j2;

import dev.radiograph.context.LogContextWriter;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Log4j 2's hook for log correlation: log4j-core asks each {@code ContextDataProvider} (found with
 * {@link java.util.ServiceLoader}) for context data as it makes each event, so the current
 * entity's ids reach the line ({@code %X{traceId}}) without being written into the
 * {@code ThreadContext} at every change. Right on any thread, a Vert.x event loop included.
 *
 * <p>Only loaded by log4j-core; an application without it gets the ids through
 * {@code ThreadContext} ({@link Log4j2LogCorrelation}).
 */
public final class RadiographContextDataProvider implements ContextDataProvider {
  /** Made by log4j-core. */
  public RadiographContextDataProvider() {}

  @Override
  public Map<String, String> supplyContextData() {
    return LogContextWriter.contextDataAtLogTime();
  }
}
