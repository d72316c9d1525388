package dev.radiograph.plugins;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code plugins} setting: plugins by name, and collecting their data without holding up the
 * application.
 */
public final class Plugins {
  /** The timeout of each metadata call a plugin makes unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long {@link #collectAll} waits for plugins unless told otherwise: two calls' timeouts,
   * so that a plugin whose endpoint does not answer still reports its own failure in time.
   */
  public static final Duration DEFAULT_BUDGET = DEFAULT_TIMEOUT.multipliedBy(2);

  private static final Logger LOG = System.getLogger(Plugins.class.getName());
  private static final String KNOWN = "EC2Plugin, ECSPlugin, EKSPlugin, ElasticBeanstalkPlugin";

  private Plugins() {}

  /**
   * The plugins with these names, each once, in the order first named: {@code EC2Plugin} or
   * {@code ec2}, {@code ECSPlugin} or {@code ecs}, {@code EKSPlugin} or {@code eks}, {@code
   * ElasticBeanstalkPlugin}, {@code elastic_beanstalk}, {@code beanstalk} or {@code eb}; any case,
   * surrounding spaces ignored, as is a Java package before the name ({@code
   * com.amazonaws.xray.plugins.EC2Plugin}, as the AWS X-Ray Java SDK's users write it). Blank
   * names are skipped.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static List<Plugin> fromNames(List<String> names) {
    Objects.requireNonNull(names, "names");
    Set<String> seen = new LinkedHashSet<>();
    for (String given : names) {
      if (given == null || given.isBlank()) {
        continue;
      }
      String name = given.trim();
      String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      String canonical;
      switch (simple) {
        case "ec2plugin":
        case "ec2":
          canonical = "EC2Plugin";
          break;
        case "ecsplugin":
        case "ecs":
          canonical = "ECSPlugin";
          break;
        case "eksplugin":
        case "eks":
          canonical = "EKSPlugin";
          break;
        case "elasticbeanstalkplugin":
        case "elastic_beanstalk":
        case "beanstalk":
        case "eb":
          canonical = "ElasticBeanstalkPlugin";
          break;
        default:
          throw new IllegalArgumentException("unknown plugin '" + name + "' (known: " + KNOWN + ")");
      }
      seen.add(canonical);
    }
    List<Plugin> plugins = new ArrayList<>(seen.size());
    for (String name : seen) {
      plugins.add(create(name));
    }
    return Collections.unmodifiableList(plugins);
  }

  private static Plugin create(String canonicalName) {
    switch (canonicalName) {
      case "EC2Plugin":
        return new EC2Plugin();
      case "ECSPlugin":
        return new ECSPlugin();
      case "EKSPlugin":
        return new EKSPlugin();
      default:
        return new ElasticBeanstalkPlugin();
    }
  }

  /**
   * Runs the plugins at once, each on its own daemon thread, and returns what they found within
   * {@code budget}: every {@code aws} entry, and the origin of the most specific environment
   * (Elastic Beanstalk, then EKS, then ECS, then EC2; see {@link #precedence}). A plugin that has
   * not finished by then, or that throws, adds nothing and is logged once; its thread is left to
   * end on its own timeouts and cannot hold the JVM open. Returns after at most {@code budget}
   * (plus scheduling), and never throws for anything a plugin does.
   *
   * @throws NullPointerException if an argument is null
   */
  public static PluginData collectAll(List<Plugin> plugins, Duration budget) {
    CompletableFuture<PluginData> result = collectAllAsync(plugins, budget);
    try {
      // The result completes at the budget at the latest; the margin only guards against a
      // scheduler that never runs.
      return result.get(Math.max(0, saturatedMillis(budget)) + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PluginData.empty();
    } catch (Exception e) {
      return PluginData.empty();
    }
  }

  /**
   * {@link #collectAll} without waiting: starts the plugins and returns a future that completes,
   * normally and with the merged data, when the last plugin has finished or when {@code budget}
   * has passed, whichever is first. For a recorder to start at build time and apply once there.
   *
   * @throws NullPointerException if an argument is null
   */
  public static CompletableFuture<PluginData> collectAllAsync(List<Plugin> plugins, Duration budget) {
    List<Plugin> list = List.copyOf(Objects.requireNonNull(plugins, "plugins"));
    Objects.requireNonNull(budget, "budget");
    long budgetMillis = Math.max(0, saturatedMillis(budget));
    CompletableFuture<PluginData> result = new CompletableFuture<>();
    if (list.isEmpty()) {
      result.complete(PluginData.empty());
      return result;
    }
    List<CompletableFuture<PluginData>> runs = new ArrayList<>(list.size());
    for (Plugin plugin : list) {
      runs.add(start(plugin));
    }
    AtomicBoolean gathered = new AtomicBoolean();
    Runnable gather = () -> {
      if (gathered.compareAndSet(false, true)) {
        result.complete(gather(list, runs, budgetMillis));
      }
    };
    CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).whenComplete((ignored, error) -> gather.run());
    if (!result.isDone()) {
      CompletableFuture.delayedExecutor(budgetMillis, TimeUnit.MILLISECONDS, Runnable::run).execute(gather);
    }
    return result;
  }

  private static CompletableFuture<PluginData> start(Plugin plugin) {
    CompletableFuture<PluginData> run = new CompletableFuture<>();
    try {
      Thread thread = new Thread(() -> {
        try {
          run.complete(plugin.collect());
        } catch (Throwable e) {
          run.completeExceptionally(e);
        }
      }, "radiograph-plugin-" + safeName(plugin));
      thread.setDaemon(true);
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) { // no thread to be had
      run.completeExceptionally(e);
    }
    return run;
  }

  /** The data of the plugins that finished; logs one line for each that did not, or failed. */
  private static PluginData gather(List<Plugin> plugins, List<CompletableFuture<PluginData>> runs, long budgetMillis) {
    try {
      List<PluginData> found = new ArrayList<>(plugins.size());
      for (int i = 0; i < plugins.size(); i++) {
        CompletableFuture<PluginData> run = runs.get(i);
        if (!run.isDone()) {
          LOG.log(Level.WARNING, "Radiograph: " + safeName(plugins.get(i)) + " did not finish within "
              + budgetMillis + " ms; it adds nothing");
          continue;
        }
        try {
          PluginData data = run.join();
          if (data != null) {
            found.add(data);
          }
        } catch (CompletionException | CancellationException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          LOG.log(Level.WARNING, "Radiograph: " + safeName(plugins.get(i)) + " failed; it adds nothing: " + cause);
        }
      }
      return merge(found);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph: could not merge the plugins' data: " + e);
      return PluginData.empty();
    }
  }

  /**
   * The plugins' data in one: origin from the most specific environment, {@code aws} entries from
   * all. When two give the same entry, the more specific one's wins, except that lists (such as
   * {@code cloudwatch_logs}) are joined and maps are joined key by key.
   */
  static PluginData merge(List<PluginData> found) {
    List<PluginData> ordered = new ArrayList<>(found);
    ordered.sort(Comparator.comparingInt((PluginData d) -> precedence(d.origin())).reversed()); // stable
    String origin = null;
    Map<String, Object> aws = new LinkedHashMap<>();
    for (PluginData data : ordered) {
      if (origin == null) {
        origin = data.origin();
      }
      for (Map.Entry<String, Object> e : data.aws().entrySet()) {
        aws.merge(e.getKey(), e.getValue(), Plugins::join);
      }
    }
    return PluginData.of(origin, aws);
  }

  private static Object join(Object kept, Object added) {
    if (kept instanceof List && added instanceof List) {
      Set<Object> items = new LinkedHashSet<>((List<?>) kept);
      items.addAll((List<?>) added);
      return new ArrayList<>(items);
    }
    if (kept instanceof Map && added instanceof Map) {
      Map<Object, Object> joined = new LinkedHashMap<>((Map<?, ?>) kept);
      for (Map.Entry<?, ?> e : ((Map<?, ?>) added).entrySet()) {
        joined.putIfAbsent(e.getKey(), e.getValue());
      }
      return joined;
    }
    return kept;
  }

  /**
   * How specific an origin is; the highest present is the segment's origin. An Elastic Beanstalk
   * environment runs on EC2 instances (its Docker platforms in containers), and EKS pods and ECS
   * tasks run on EC2 instances too: where several plugins find their environment, the one that
   * names the application's own resource most narrowly is the origin, as in the other X-Ray SDKs.
   */
  static int precedence(String origin) {
    if (origin == null) {
      return -1;
    }
    switch (origin) {
      case ElasticBeanstalkPlugin.ORIGIN:
        return 4;
      case EKSPlugin.ORIGIN:
        return 3;
      case ECSPlugin.ORIGIN:
        return 2;
      case EC2Plugin.ORIGIN:
        return 1;
      default:
        return 0; // another plugin's origin: after the four known ones
    }
  }

  private static String safeName(Plugin plugin) {
    try {
      return String.valueOf(plugin.name());
    } catch (RuntimeException e) {
      return plugin.getClass().getName();
    }
  }

  private static long saturatedMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE / 2;
    }
  }
}
