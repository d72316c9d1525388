package dev.radiograph.plugins;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** The log lines of the plugins package (System.Logger goes to java.util.logging here). */
final class CapturedLogs implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.radiograph.plugins");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  CapturedLogs() {
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** The messages of the lines at {@code level}. */
  List<String> at(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
        .collect(Collectors.toList());
  }

  /** Every message. */
  List<String> all() {
    return records.stream().map(LogRecord::getMessage).collect(Collectors.toList());
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
