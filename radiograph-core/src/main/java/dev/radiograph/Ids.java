package dev.radiograph;

import java.util.concurrent.ThreadLocalRandom;

/** Random 64-bit entity and exception ids; X-Ray rejects an all-zero id, so 0 is never returned. */
final class Ids {
  private Ids() {}

  static long next() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }
}
