package dev.radiograph.benchmarks;

/** A running hello-world server on 127.0.0.1, made by {@link HelloServers}. */
interface HelloServer extends AutoCloseable {
  /** The path that answers {@value HelloServers#BODY}. */
  String PATH = "/hello";

  /** The port it listens on, on 127.0.0.1. */
  int port();

  /** {@code http://127.0.0.1:<port>/hello}. */
  default String url() {
    return "http://127.0.0.1:" + port() + PATH;
  }

  /**
   * Stops the server and every thread it started; bounded in time.
   *
   * @throws IllegalStateException when it could not stop in time
   */
  @Override
  void close();
}
