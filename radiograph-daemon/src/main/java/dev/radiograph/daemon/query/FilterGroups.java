package dev.radiograph.daemon.query;

/**
 * Where {@code group.name = "..."} and {@code group.arn = "..."} in a filter expression find the
 * group's own filter: the daemon's group registry. Looked up once, when the expression is parsed.
 */
@FunctionalInterface
public interface FilterGroups {
  /**
   * The filter of the group whose {@code field} ({@code "name"} or {@code "arn"}) is
   * {@code value} (one that matches every trace for a group without a filter), or null when
   * there is no such group.
   */
  FilterExpression filterOf(String field, String value);
}
