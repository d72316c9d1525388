package dev.radiograph.daemon.api;

/**
 * One X-Ray API operation: the request's JSON body in, the response's JSON body out. Runs on the
 * API's worker pool, never on the event loop, because it reads or writes the store.
 *
 * <p>A bad request is an {@link IllegalArgumentException} (a 400 saying what is wrong); see
 * {@link ApiReplies#failure} for the rest.
 */
@FunctionalInterface
interface Operation {
  byte[] answer(byte[] body);
}
