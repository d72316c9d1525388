package dev.radiograph.plugins;

/**
 * Tells X-Ray where the application runs: the environment's entries of a segment's {@code aws}
 * block ({@code ec2}, {@code ecs}, {@code eks}, {@code elastic_beanstalk}, {@code
 * cloudwatch_logs}) and its {@code origin} ({@code AWS::EC2::Instance}, ...). Enabled with the
 * {@code plugins} setting; see {@link Plugins#fromNames} for the names.
 *
 * <p>A plugin reads its metadata once, off the request path ({@link Plugins#collectAllAsync}
 * runs every plugin on its own daemon thread), with a short timeout on each call. A plugin that is
 * not in its environment, or cannot reach its endpoint, logs one line and returns {@link
 * PluginData#empty()}.
 */
public interface Plugin {
  /** The plugin's name as the X-Ray SDKs spell it: {@code EC2Plugin}, {@code ECSPlugin}, ... */
  String name();

  /**
   * Fetches the environment's metadata the first time it is called and returns the same data on
   * every later call. Never throws; empty when the application is not in this plugin's
   * environment or the metadata could not be had. Blocks at most for the plugin's timeouts.
   */
  PluginData collect();
}
