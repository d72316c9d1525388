package dev.radiograph.context;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the {@link SegmentContextProvider}s on the class path of the core's class loader. */
final class SegmentContextProviders {
  private static final Logger LOG = System.getLogger(SegmentContextProvider.class.getName());

  private static final int MAX_PROVIDERS = 32;

  private SegmentContextProviders() {}

  static SegmentContext create() {
    // The core's own loader: the integration jars live beside it (an application's class path,
    // a web application's WEB-INF/lib, a Spring Boot jar), whatever the calling thread's loader.
    Iterator<SegmentContextProvider> providers =
        ServiceLoader.load(SegmentContextProvider.class, SegmentContextProvider.class.getClassLoader()).iterator();
    // Bounded: a broken provider entry may fail on every call instead of being passed over.
    for (int tries = 0; tries < MAX_PROVIDERS; tries++) {
      try {
        if (!providers.hasNext()) {
          break;
        }
        SegmentContext context = providers.next().create();
        if (context != null) {
          return context;
        }
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "Radiograph: a segment context provider failed and was skipped", e);
      }
    }
    return new ThreadLocalSegmentContext();
  }
}
