package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code CreateGroup} ({@code POST /CreateGroup}): a new group from {@code GroupName}, {@code
 * FilterExpression} and {@code InsightsConfiguration}; answers {@code Group}.
 */
final class CreateGroup implements Operation {
  private final GroupRegistry groups;

  CreateGroup(GroupRegistry groups) {
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    JsonOutput w = new JsonOutput().beginObject().name("Group");
    groups.create(RequestBody.object(body)).write(w);
    return w.endObject().toByteArray();
  }
}
