package dev.radiograph.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store's byte count is the heap it holds, and its bound holds under a heap of 512 MB: each
 * case runs {@link StoreHeapProbe} in a JVM of its own ({@code -Xmx512m}, serial collector,
 * {@code -XX:+ExitOnOutOfMemoryError} as the launcher passes it) and compares what the store
 * counted with the heap used after a full collection.
 */
class StoreHeapTest {
  private static final long MAX_BYTES = 256L * 1024 * 1024;

  private static Map<String, String> probe(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), StoreHeapProbe.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    return values;
  }

  @Test
  void theCountedBytesAreTheHeapTheDocumentsHold() throws Exception {
    Map<String, String> result = probe("mix");
    double stored = Double.parseDouble(result.get("storedBytes"));
    double heap = Double.parseDouble(result.get("heapBytes"));
    assertThat(result.get("storedDocuments")).isEqualTo("80000");
    // The old count (text only) was 1/1.6 of the heap; this one is within 15% of it.
    assertThat(heap / stored).as("heap %s / counted %s", heap, stored).isBetween(0.85, 1.15);
  }

  @Test
  void eightHundredThousandSubsegmentsOfOneTraceStayWithinTheBound() throws Exception {
    Map<String, String> result = probe("bound", Long.toString(MAX_BYTES), "1000000");
    assertThat(Long.parseLong(result.get("storedBytes"))).isLessThanOrEqualTo(MAX_BYTES);
    assertThat(Long.parseLong(result.get("heapBytes"))).isLessThanOrEqualTo(MAX_BYTES);
    assertThat(result.get("truncated")).isEqualTo("true");
    assertThat(Long.parseLong(result.get("storedDocuments")) + Long.parseLong(result.get("truncatedDocuments")))
        .as("every document kept or counted").isEqualTo(805_000);
    assertThat(result.get("storedTraces")).isEqualTo("5001");
  }
}
