package dev.radiograph.log4j2;

import dev.radiograph.context.LogContextWriter;
import org.apache.logging.log4j.ThreadContext;

/** Log4j 2's {@link ThreadContext} of the calling thread, as the map core's {@link LogContextWriter} writes. */
enum ThreadContextMap implements LogContextWriter.ContextMap {
  INSTANCE;

  @Override
  public void put(String key, String value) {
    ThreadContext.put(key, value);
  }

  @Override
  public void remove(String key) {
    ThreadContext.remove(key);
  }
}
