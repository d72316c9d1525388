package dev.radiograph.slf4j;

import dev.radiograph.context.LogContextWriter;
import org.slf4j.MDC;

/** SLF4J's MDC of the calling thread, as the map core's {@link LogContextWriter} writes. */
enum MdcMap implements LogContextWriter.ContextMap {
  INSTANCE;

  @Override
  public void put(String key, String value) {
    MDC.put(key, value);
  }

  @Override
  public void remove(String key) {
    MDC.remove(key);
  }
}
