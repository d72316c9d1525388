package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code GetGroups} ({@code POST /Groups}): every group, oldest first, in one page (the registry
 * holds at most {@value GroupRegistry#MAX_GROUPS}); the viewer lists them as saved filters.
 */
final class GetGroups implements Operation {
  private final GroupRegistry groups;

  GetGroups(GroupRegistry groups) {
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    RequestBody.object(body); // a body that is not a JSON object is still a 400
    JsonOutput w = new JsonOutput().beginObject().name("Groups").beginArray();
    for (GroupRegistry.Group group : groups.all()) {
      group.write(w);
    }
    return w.endArray().name("NextToken").nullValue().endObject().toByteArray();
  }
}
