package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;

/**
 * {@code GET /radiograph/viewer-settings}, what the viewer reads once at load: the logs link
 * template split into literal text and placeholder names, so that the page never parses it. A
 * JSON endpoint rather than a value written into index.html keeps the page static and its
 * Content-Security-Policy free of inline script.
 */
final class ViewerSettings {
  private ViewerSettings() {}

  /** @param logsUrl the viewer's link to the user's log search, or null */
  static byte[] of(LogsUrlTemplate logsUrl) {
    JsonOutput w = new JsonOutput().beginObject().name("logsUrl");
    if (logsUrl == null) {
      return w.nullValue().endObject().toByteArray();
    }
    w.beginObject().name("template").value(logsUrl.text()).name("parts").beginArray();
    for (LogsUrlTemplate.Part part : logsUrl.parts()) {
      w.beginObject();
      if (part.placeholder() != null) {
        w.name("placeholder").value(part.placeholder());
      } else {
        w.name("text").value(part.text());
      }
      w.endObject();
    }
    return w.endArray().endObject().endObject().toByteArray();
  }
}
