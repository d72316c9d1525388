package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.query.FilterExpression;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.List;
import java.util.Map;

/**
 * {@code GetTraceSummaries} ({@code POST /TraceSummaries}): the traces that started in
 * [StartTime, EndTime] and match the FilterExpression, newest first, a page of
 * {@value #PAGE_SIZE} at a time; {@code NextToken} is where the next page starts. The filter may
 * name a group ({@code group.name = "x"}, {@code group.arn = "..."}): its filter applies there.
 */
final class GetTraceSummaries implements Operation {
  static final int PAGE_SIZE = 1000;
  // Far beyond any store (a page start past the end is an empty page); keeps offset + PAGE_SIZE an int.
  private static final int MAX_OFFSET = 1_000_000_000;

  private final TraceStore store;
  private final GroupRegistry groups;

  GetTraceSummaries(TraceStore store, GroupRegistry groups) {
    this.store = store;
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    RequestBody.TimeRange range = RequestBody.timeRange(request);
    Object filterText = request.get("FilterExpression");
    FilterExpression filter = FilterExpression.parse(filterText instanceof String ? (String) filterText : null, groups);
    int first = pageStart(request.get("NextToken"));
    TraceStore.Page page = store.findPage(range.start(), range.end(), filter::matches, first, PAGE_SIZE);
    JsonOutput w = new JsonOutput().beginObject().name("TraceSummaries").beginArray();
    for (StoredTrace trace : page.traces()) {
      writeSummary(w, trace);
    }
    int last = first + page.traces().size();
    w.endArray()
        .name("ApproximateTime").value(range.end())
        .name("TracesProcessedCount").value(page.matches());
    w.name("NextToken");
    if (last < page.matches()) {
      w.value(Integer.toString(last));
    } else {
      w.nullValue();
    }
    return w.endObject().toByteArray();
  }

  /**
   * Where the page starts: 0 without a token, else the token an earlier answer gave, which is
   * always a positive multiple of the page size written in decimal digits.
   *
   * @throws IllegalArgumentException for anything else (a negative, huge or made-up token)
   */
  static int pageStart(Object token) {
    if (token == null || "".equals(token)) {
      return 0;
    }
    String text = token instanceof String ? (String) token : String.valueOf(token);
    long offset = -1;
    if (token instanceof String && text.length() <= 10 && !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      offset = Long.parseLong(text);
    }
    if (offset <= 0 || offset > MAX_OFFSET || offset % PAGE_SIZE != 0) {
      throw new IllegalArgumentException("NextToken must be one that an earlier GetTraceSummaries answer gave"
          + " (a positive multiple of " + PAGE_SIZE + "), got '" + abbreviate(text) + "'");
    }
    return (int) offset;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static void writeSummary(JsonOutput w, StoredTrace trace) {
    DocumentSummary root = trace.root();
    w.beginObject()
        .name("Id").value(trace.traceId())
        .name("StartTime").value(trace.startTime())
        .name("Duration").value(trace.duration())
        .name("ResponseTime").value(trace.responseTime())
        .name("HasError").value(trace.hasError())
        .name("HasFault").value(trace.hasFault())
        .name("HasThrottle").value(trace.hasThrottle())
        .name("IsPartial").value(trace.isPartial())
        .name("LimitExceeded").value(trace.truncated());
    w.name("Http").beginObject();
    optional(w, "HttpURL", trace.httpUrl());
    if (trace.httpStatus() != null) {
      w.name("HttpStatus").value(trace.httpStatus());
    }
    optional(w, "HttpMethod", trace.httpMethod());
    optional(w, "UserAgent", trace.httpUserAgent());
    optional(w, "ClientIp", trace.httpClientIp());
    w.endObject();
    w.name("Annotations").beginObject();
    for (Map.Entry<String, List<Object>> e : trace.annotations().entrySet()) {
      w.name(e.getKey()).beginArray();
      for (Object value : e.getValue()) {
        w.beginObject().name("AnnotationValue").beginObject();
        if (value instanceof Boolean) {
          w.name("BooleanValue").value((boolean) (Boolean) value);
        } else if (value instanceof Number) {
          w.name("NumberValue").value(((Number) value).doubleValue());
        } else {
          w.name("StringValue").value(String.valueOf(value));
        }
        w.endObject().endObject();
      }
      w.endArray();
    }
    w.endObject();
    w.name("Users").beginArray();
    for (String user : trace.users()) {
      w.beginObject().name("UserName").value(user).endObject();
    }
    w.endArray();
    w.name("ServiceIds").beginArray();
    for (String service : trace.services()) {
      w.beginObject().name("Name").value(service)
          .name("Names").beginArray().value(service).endArray()
          .name("Type").value("AWS::Service").endObject();
    }
    w.endArray();
    if (root != null) {
      w.name("EntryPoint").beginObject().name("Name").value(root.name())
          .name("Names").beginArray().value(root.name()).endArray()
          .name("Type").value(root.origin() != null ? root.origin() : "client").endObject();
    }
    w.endObject();
  }

  private static void optional(JsonOutput w, String name, String value) {
    if (value != null) {
      w.name(name).value(value);
    }
  }
}
