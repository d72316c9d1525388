package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code UpdateGroup} ({@code POST /UpdateGroup}): replaces the {@code FilterExpression} and
 * {@code InsightsConfiguration} the request gives of the group it names; answers {@code Group}.
 */
final class UpdateGroup implements Operation {
  private final GroupRegistry groups;

  UpdateGroup(GroupRegistry groups) {
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    JsonOutput w = new JsonOutput().beginObject().name("Group");
    groups.update(RequestBody.object(body)).write(w);
    return w.endObject().toByteArray();
  }
}
