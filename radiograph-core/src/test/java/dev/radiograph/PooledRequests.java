package dev.radiograph;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Many requests on a small pool of threads, for tests that nothing of one request leaks into the next. */
public final class PooledRequests {
  private PooledRequests() {}

  /** Runs {@code request.accept(n)} for each n below {@code requests} on {@code threads} threads; waits for all (30 s each at most). */
  public static void run(int requests, int threads, IntConsumer request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        int n = i;
        work.add(pool.submit(() -> request.accept(n)));
      }
      for (Future<?> future : work) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
