package dev.radiograph.slf4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** One line of the test log: {@code xray traceId spanId app span tag label}, {@code -} for an absent key. */
record LogLine(String xray, String traceId, String spanId, String app, String span, String tag, String label) {
  static List<LogLine> read(Path file, String tag) throws IOException {
    return Files.readAllLines(file).stream()
        .map(line -> line.split(" ", 7))
        .filter(parts -> parts.length == 7 && parts[5].equals(tag))
        .map(p -> new LogLine(p[0], p[1], p[2], p[3], p[4], p[5], p[6]))
        .collect(Collectors.toList());
  }

  boolean hasNoTraceKey() {
    return xray.equals("-") && traceId.equals("-") && spanId.equals("-");
  }
}
