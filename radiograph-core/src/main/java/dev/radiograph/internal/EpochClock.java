package dev.radiograph.internal;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds, read from {@link System#nanoTime()} against an anchor
 * taken once. Why: {@code Instant.now()} costs more and can step backwards when NTP adjusts the
 * clock, which would give subsegments negative durations; an anchored monotonic clock gives
 * consistent start/end pairs within a process, which is what a trace's timeline needs.
 * Internal: not part of Radiograph's API.
 */
public final class EpochClock {
  private static final long ANCHOR_EPOCH_MICROS;
  private static final long ANCHOR_NANOS;

  static {
    Instant now = Instant.now();
    ANCHOR_NANOS = System.nanoTime();
    ANCHOR_EPOCH_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private EpochClock() {}

  /** Microseconds since the epoch. */
  public static long nowMicros() {
    return ANCHOR_EPOCH_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1_000;
  }
}
