package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code GetGroup} ({@code POST /GetGroup}): the group named by {@code GroupName} or {@code
 * GroupARN}, as {@code Group}.
 */
final class GetGroup implements Operation {
  private final GroupRegistry groups;

  GetGroup(GroupRegistry groups) {
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    JsonOutput w = new JsonOutput().beginObject().name("Group");
    groups.find(RequestBody.object(body)).write(w);
    return w.endObject().toByteArray();
  }
}
