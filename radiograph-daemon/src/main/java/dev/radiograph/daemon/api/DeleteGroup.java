package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code DeleteGroup} ({@code POST /DeleteGroup}): removes the group named by {@code GroupName} or
 * {@code GroupARN}; answers an empty object.
 */
final class DeleteGroup implements Operation {
  private final GroupRegistry groups;

  DeleteGroup(GroupRegistry groups) {
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    groups.delete(RequestBody.object(body));
    return new JsonOutput().beginObject().endObject().toByteArray();
  }
}
