package dev.radiograph;

/**
 * How much of an entity a document leaves out to fit one datagram, in the order things are given
 * up: first metadata (free-form and often large), then stacks and query text, then what X-Ray
 * indexes (annotations, the {@code http}, {@code aws} and {@code service} blocks). The id, name,
 * times, flags and the {@code sql} block's other fields are always kept.
 */
enum Reduction {
  /** The whole entity. */
  NONE,
  /** Without metadata. */
  WITHOUT_METADATA,
  /** Also without exception stacks and the SQL query text. */
  WITHOUT_STACKS_AND_QUERY,
  /** Also without annotations and the http, aws and service blocks. */
  ESSENTIALS_ONLY;

  boolean keepsMetadata() {
    return this == NONE;
  }

  boolean keepsStacksAndQuery() {
    return compareTo(WITHOUT_STACKS_AND_QUERY) < 0;
  }

  boolean keepsIndexedBlocks() {
    return this != ESSENTIALS_ONLY;
  }
}
