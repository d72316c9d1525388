package dev.radiograph.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DocumentQueueTest {
  @Test
  void holdsAtMostItsLimitAndHandsItemsOutInOrder() {
    DocumentQueue queue = new DocumentQueue(3);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.poll()).isNull();
    assertThat(queue.offer("a")).isTrue();
    assertThat(queue.offer("b")).isTrue();
    assertThat(queue.offer("c")).isTrue();
    assertThat(queue.offer("d")).isFalse(); // the limit, although the ring has 4 slots
    assertThat(queue.poll()).isEqualTo("a");
    assertThat(queue.offer("d")).isTrue();
    assertThat(queue.poll()).isEqualTo("b");
    assertThat(queue.poll()).isEqualTo("c");
    assertThat(queue.poll()).isEqualTo("d");
    assertThat(queue.poll()).isNull();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.accepted()).isEqualTo(4);
  }

  @Test
  void wrapsAroundTheRingManyTimes() {
    DocumentQueue queue = new DocumentQueue(5);
    for (int i = 0; i < 10_000; i++) {
      assertThat(queue.offer(i)).isTrue();
      assertThat(queue.offer(-i)).isTrue();
      assertThat(queue.poll()).isEqualTo(i);
      assertThat(queue.poll()).isEqualTo(-i);
    }
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void manyProducersOneConsumerLoseNothingAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    DocumentQueue queue = new DocumentQueue(64);
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          long item = ((long) producer << 32) | i;
          while (!queue.offer(item)) {
            refused.incrementAndGet(); // full: the consumer is behind; offer again
            Thread.onSpinWait();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    int[] next = new int[producers];
    int received = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    start.countDown();
    while (received < producers * perProducer && System.nanoTime() < deadline) {
      Object item = queue.poll();
      if (item == null) {
        Thread.onSpinWait();
        continue;
      }
      long value = (Long) item;
      int producer = (int) (value >>> 32);
      // Each producer's items arrive in the order it offered them, each exactly once.
      assertThat((int) value).isEqualTo(next[producer]);
      next[producer]++;
      received++;
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertThat(received).isEqualTo(producers * perProducer);
    assertThat(queue.poll()).isNull();
    assertThat(queue.accepted()).isEqualTo((long) producers * perProducer);
  }
}
