package dev.radiograph.context;

import dev.radiograph.Entity;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The current entity captured at one moment, to be made current again wherever the work goes
 * next: another thread, an executor, a {@code CompletableFuture} stage, a callback. Each wrapper
 * restores what was current before, so a pooled thread never keeps a request's entity.
 *
 * <p>Get one from {@code recorder.captureContext()}.
 */
public final class ContextSnapshot {
  private final SegmentContext context;
  private final Entity entity;

  /** A snapshot of {@code entity} (may be null: "no entity") for {@code context}. */
  public ContextSnapshot(SegmentContext context, Entity entity) {
    this.context = Objects.requireNonNull(context, "context");
    this.entity = entity;
  }

  /** The captured entity, or {@code null}. */
  public Entity entity() {
    return entity;
  }

  /** Makes the captured entity current until the returned scope is closed. */
  public Scope attach() {
    Entity previous = context.current();
    context.set(entity);
    return () -> context.set(previous);
  }

  /** Runs {@code task} with the captured entity current. */
  public void run(Runnable task) {
    Entity previous = context.current();
    context.set(entity);
    try {
      task.run();
    } finally {
      context.set(previous);
    }
  }

  /** Calls {@code task} with the captured entity current. */
  public <T> T call(Callable<T> task) throws Exception {
    Entity previous = context.current();
    context.set(entity);
    try {
      return task.call();
    } finally {
      context.set(previous);
    }
  }

  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> run(task);
  }

  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> call(task);
  }

  public <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      Entity previous = context.current();
      context.set(entity);
      try {
        return supplier.get();
      } finally {
        context.set(previous);
      }
    };
  }

  public <T, R> Function<T, R> wrapFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function");
    return value -> {
      Entity previous = context.current();
      context.set(entity);
      try {
        return function.apply(value);
      } finally {
        context.set(previous);
      }
    };
  }

  public <T> Consumer<T> wrapConsumer(Consumer<T> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return value -> {
      Entity previous = context.current();
      context.set(entity);
      try {
        consumer.accept(value);
      } finally {
        context.set(previous);
      }
    };
  }

  public <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> function) {
    Objects.requireNonNull(function, "function");
    return (t, u) -> {
      Entity previous = context.current();
      context.set(entity);
      try {
        return function.apply(t, u);
      } finally {
        context.set(previous);
      }
    };
  }

  public <T, U> BiConsumer<T, U> wrapBiConsumer(BiConsumer<T, U> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return (t, u) -> {
      Entity previous = context.current();
      context.set(entity);
      try {
        consumer.accept(t, u);
      } finally {
        context.set(previous);
      }
    };
  }

  /**
   * An executor that runs every task on {@code delegate} with the captured entity current: pass
   * it to {@code CompletableFuture.supplyAsync(supplier, executor)} or
   * {@code thenApplyAsync(fn, executor)}.
   */
  public Executor executor(Executor delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return task -> delegate.execute(wrap(task));
  }

  /** A region of code with an entity made current; closing restores the previous one. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
