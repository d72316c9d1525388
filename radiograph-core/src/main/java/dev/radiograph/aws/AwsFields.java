package dev.radiograph.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource fields an integration gives for an AWS call's {@code aws} block
 * ({@code table_name}, {@code queue_url}, ...), kept to what X-Ray shows: names and ids, never
 * payloads. A key must be snake-case-like ({@code [A-Za-z0-9_]}, up to 64 characters) and not
 * one the helper writes itself; a value must be a string, a number, a boolean or a collection of
 * strings (a batch's table names). Anything else (an item, a message body as a map or bytes) is
 * dropped, so that a mistake in an integration cannot send data to X-Ray.
 */
final class AwsFields {
  /** Longest string kept: an S3 key can be 1,024 bytes; anything longer is not a name. */
  static final int MAX_VALUE_LENGTH = 1024;
  /** Most strings kept from a collection (DynamoDB batches name up to 100 tables). */
  static final int MAX_VALUES = 100;
  private static final int MAX_KEY_LENGTH = 64;

  /** The keys {@link AwsCallTracing} writes from {@link AwsOperation} and {@link AwsOutcome}. */
  static final Set<String> RESERVED = Set.of("operation", "region", "request_id", "id_2", "account_id", "retries");

  private AwsFields() {}

  /** Puts {@code key}'s value into {@code fields} if both are acceptable; drops it otherwise. */
  static void put(Map<String, Object> fields, String key, Object value) {
    Object kept = isValidKey(key) && !RESERVED.contains(key) ? kept(value) : null;
    if (kept != null) {
      fields.put(key, kept);
    }
  }

  /** {@code value}, or null for an empty string: an unknown id or region is left out, not written empty. */
  static String known(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static Map<String, Object> newFields() {
    return new LinkedHashMap<>(4);
  }

  private static boolean isValidKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static Object kept(Object value) {
    if (value instanceof String) {
      String s = (String) value;
      return s.length() <= MAX_VALUE_LENGTH ? s : s.substring(0, MAX_VALUE_LENGTH);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Collection) {
      List<String> names = new ArrayList<>();
      for (Object element : (Collection<?>) value) {
        if (!(element instanceof String)) {
          return null; // not a list of names
        }
        if (names.size() < MAX_VALUES) {
          names.add((String) kept(element));
        }
      }
      return List.copyOf(names);
    }
    return null;
  }
}
