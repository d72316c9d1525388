package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.query.FilterExpression;
import dev.radiograph.daemon.query.FilterGroups;
import dev.radiograph.daemon.query.TraceFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * X-Ray groups, held in memory for the daemon's life: a name, a filter expression (checked with
 * the daemon's filter parser when set), an ARN, and the insights settings, echoed as given (the
 * daemon computes no insights). Thread-safe: every method holds the registry's lock, and what
 * leaves it is an immutable {@link Group}.
 */
final class GroupRegistry implements FilterGroups {
  /** X-Ray's rule for a group name: 1 to 32 letters, digits, '.', '-' and '_'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final String ARN_PREFIX = "arn:aws:xray:local:000000000000:group/";
  /** Far more groups than a laptop's user makes; keeps a looping client from filling the heap. */
  static final int MAX_GROUPS = 1000;

  /** One group, as stored; {@code filterText} is null when the group has none (it matches every trace). */
  record Group(String name, String arn, String filterText, FilterExpression filter,
      boolean insightsEnabled, boolean notificationsEnabled) {

    /** The group in X-Ray's {@code Group}/{@code GroupSummary} shape. */
    void write(JsonOutput w) {
      w.beginObject().name("GroupName").value(name).name("GroupARN").value(arn);
      if (filterText != null) {
        w.name("FilterExpression").value(filterText);
      }
      w.name("InsightsConfiguration").beginObject()
          .name("InsightsEnabled").value(insightsEnabled)
          .name("NotificationsEnabled").value(notificationsEnabled)
          .endObject().endObject();
    }

    boolean matches(TraceFacts trace) {
      return filter.matches(trace);
    }
  }

  private final Map<String, Group> byName = new LinkedHashMap<>();

  /** {@code CreateGroup}: a new group from the request's fields. */
  synchronized Group create(Map<String, Object> request) {
    String name = Json.asString(request.get("GroupName"), "GroupName");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("GroupName must be 1 to 32 letters, digits, '.', '-' or '_', got '"
          + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'");
    }
    if ("Default".equals(name) || byName.containsKey(name)) {
      throw new IllegalArgumentException("a group named '" + name + "' exists already");
    }
    if (byName.size() >= MAX_GROUPS) {
      throw new IllegalArgumentException("the daemon holds at most " + MAX_GROUPS + " groups");
    }
    String filterText = filterText(request.get("FilterExpression"));
    Insights insights = Insights.of(request.get("InsightsConfiguration"), new Insights(false, false));
    // X-Ray's group ARNs end in a random id, so that a group made again under an old name is
    // another group.
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 26).toUpperCase(Locale.ROOT);
    Group group = new Group(name, ARN_PREFIX + name + "/" + id, filterText, parse(filterText),
        insights.enabled, insights.notifications);
    byName.put(name, group);
    return group;
  }

  /** {@code UpdateGroup}: the named group with the fields the request gives replaced. */
  synchronized Group update(Map<String, Object> request) {
    Group old = find(request);
    String filterText = request.containsKey("FilterExpression")
        ? filterText(request.get("FilterExpression")) : old.filterText;
    Insights insights = Insights.of(request.get("InsightsConfiguration"),
        new Insights(old.insightsEnabled, old.notificationsEnabled));
    Group group = new Group(old.name, old.arn, filterText, parse(filterText), insights.enabled, insights.notifications);
    byName.put(old.name, group);
    return group;
  }

  /** {@code DeleteGroup}. */
  synchronized void delete(Map<String, Object> request) {
    byName.remove(find(request).name);
  }

  /** The group the request names by {@code GroupName} or {@code GroupARN}; an unknown one is a 400. */
  synchronized Group find(Map<String, Object> request) {
    Group group = lookUp(request);
    if (group == null) {
      throw new IllegalArgumentException("GroupName or GroupARN is required");
    }
    return group;
  }

  /**
   * What the request's {@code GroupName}/{@code GroupARN} lets through: every trace when it names
   * none (or X-Ray's built-in {@code Default} group), else the group's filter.
   */
  synchronized Predicate<TraceFacts> filter(Map<String, Object> request) {
    Group group = lookUp(request);
    return group == null ? t -> true : group::matches;
  }

  /** The filter that {@code group.name = value} or {@code group.arn = value} stands for. */
  @Override
  public synchronized FilterExpression filterOf(String field, String value) {
    if ("name".equals(field) && "Default".equals(value)) {
      return FilterExpression.parse(null); // X-Ray's built-in group: every trace
    }
    for (Group group : byName.values()) {
      if (value.equals("name".equals(field) ? group.name : group.arn)) {
        return group.filter;
      }
    }
    return null;
  }

  /** All groups, oldest first. */
  synchronized List<Group> all() {
    return new ArrayList<>(byName.values());
  }

  private Group lookUp(Map<String, Object> request) {
    Object name = request.get("GroupName");
    Object arn = request.get("GroupARN");
    if (name == null && arn == null) {
      return null;
    }
    if (name != null) {
      String text = Json.asString(name, "GroupName");
      if ("Default".equals(text)) {
        return null;
      }
      Group group = byName.get(text);
      if (group == null) {
        throw new IllegalArgumentException("no group named '" + abbreviate(text) + "'");
      }
      return group;
    }
    String text = Json.asString(arn, "GroupARN");
    for (Group group : byName.values()) {
      if (group.arn.equals(text)) {
        return group;
      }
    }
    throw new IllegalArgumentException("no group with ARN '" + abbreviate(text) + "'");
  }

  private static String filterText(Object value) {
    if (value == null) {
      return null;
    }
    String text = Json.asString(value, "FilterExpression");
    parse(text); // a bad expression is a 400 now, not a group that matches nothing later
    return text.isEmpty() ? null : text;
  }

  /** A group's own filter: parsed without groups, so that groups cannot name each other in a loop. */
  private static FilterExpression parse(String text) {
    return FilterExpression.parse(text);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** A request's {@code InsightsConfiguration}: fields it leaves out keep {@code fallback}'s. */
  private record Insights(boolean enabled, boolean notifications) {
    static Insights of(Object value, Insights fallback) {
      if (value == null) {
        return fallback;
      }
      Map<String, Object> config = Json.asObject(value, "InsightsConfiguration");
      return new Insights(flag(config, "InsightsEnabled", fallback.enabled),
          flag(config, "NotificationsEnabled", fallback.notifications));
    }

    private static boolean flag(Map<String, Object> config, String field, boolean fallback) {
      Object value = config.get(field);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof Boolean)) {
        throw new IllegalArgumentException("InsightsConfiguration." + field + " must be a boolean, found "
            + Json.typeName(value));
      }
      return (Boolean) value;
    }
  }
}
