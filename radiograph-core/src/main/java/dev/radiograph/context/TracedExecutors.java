package dev.radiograph.context;

import dev.radiograph.Recorder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Executors that carry the submitting thread's current entity into the task, so that
 * subsegments begun inside the task land under the right parent. Each task captures the context
 * when it is submitted and restores the worker's own context when it finishes.
 *
 * <pre>{@code
 * ExecutorService pool = TracedExecutors.wrap(Executors.newFixedThreadPool(8), recorder);
 * pool.submit(() -> recorder.trace("work", () -> doWork()));
 * }</pre>
 */
public final class TracedExecutors {
  private static final MethodHandle NEW_VIRTUAL_EXECUTOR = findVirtualExecutorFactory();

  private TracedExecutors() {}

  /** An executor that runs each task with the submitter's current entity. */
  public static Executor wrap(Executor delegate, Recorder recorder) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(recorder, "recorder");
    return task -> delegate.execute(recorder.captureContext().wrap(task));
  }

  /** An executor service that runs each task with the submitter's current entity. */
  public static ExecutorService wrap(ExecutorService delegate, Recorder recorder) {
    return new TracedExecutorService(delegate, recorder);
  }

  /** Whether this JVM has virtual threads (Java 21+). */
  public static boolean virtualThreadsAvailable() {
    return NEW_VIRTUAL_EXECUTOR != null;
  }

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor()}, wrapped so that each virtual thread
   * starts with the submitter's current entity.
   *
   * @throws UnsupportedOperationException on Java before 21, which has no virtual threads
   */
  public static ExecutorService newVirtualThreadPerTaskExecutor(Recorder recorder) {
    if (NEW_VIRTUAL_EXECUTOR == null) {
      throw new UnsupportedOperationException(
          "virtual threads need Java 21 or later; this is Java " + Runtime.version().feature());
    }
    try {
      return wrap((ExecutorService) NEW_VIRTUAL_EXECUTOR.invoke(), recorder);
    } catch (Throwable e) {
      throw new IllegalStateException("could not create a virtual thread executor", e);
    }
  }

  /**
   * A thread factory whose threads start with the current entity of the thread that calls
   * {@code newThread}; for frameworks that take a {@link ThreadFactory}.
   */
  public static ThreadFactory wrapThreadFactory(ThreadFactory delegate, Recorder recorder) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(recorder, "recorder");
    return task -> delegate.newThread(recorder.captureContext().wrap(task));
  }

  private static MethodHandle findVirtualExecutorFactory() {
    try {
      return MethodHandles.publicLookup().findStatic(
          java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
          MethodType.methodType(ExecutorService.class));
    } catch (ReflectiveOperationException e) {
      return null; // Java 17-20
    }
  }

  private static final class TracedExecutorService implements ExecutorService {
    private final ExecutorService delegate;
    private final Recorder recorder;

    TracedExecutorService(ExecutorService delegate, Recorder recorder) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
      ContextSnapshot snapshot = recorder.captureContext();
      List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
      for (Callable<T> task : tasks) {
        wrapped.add(snapshot.wrap(task));
      }
      return wrapped;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(recorder.captureContext().wrap(command));
    }

    @Override
    public Future<?> submit(Runnable task) {
      return delegate.submit(recorder.captureContext().wrap(task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
      return delegate.submit(recorder.captureContext().wrap(task), result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
      return delegate.submit(recorder.captureContext().wrap(task));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks), timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
        throws InterruptedException, ExecutionException {
      return delegate.invokeAny(wrapAll(tasks));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return delegate.invokeAny(wrapAll(tasks), timeout, unit);
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }
  }
}
