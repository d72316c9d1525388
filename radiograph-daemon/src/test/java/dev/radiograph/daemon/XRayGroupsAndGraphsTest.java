package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.Edge;
import software.amazon.awssdk.services.xray.model.GetTimeSeriesServiceStatisticsResponse;
import software.amazon.awssdk.services.xray.model.GetTraceGraphResponse;
import software.amazon.awssdk.services.xray.model.Group;
import software.amazon.awssdk.services.xray.model.GroupSummary;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;
import software.amazon.awssdk.services.xray.model.Service;
import software.amazon.awssdk.services.xray.model.TimeSeriesServiceStatistics;
import software.amazon.awssdk.services.xray.model.TraceSummary;

/**
 * The X-Ray API operations beyond ingest and the trace list: GetTraceGraph,
 * GetTimeSeriesServiceStatistics and the groups, called through the AWS SDK v2 {@link XRayClient}
 * (the shapes the AWS CLI prints), with documents put in over PutTraceSegments.
 */
class XRayGroupsAndGraphsTest {
  /** A whole minute, ten minutes ago: the traces start in its first two periods of 60 s. */
  private static final long BASE = (System.currentTimeMillis() / 1000 / 60) * 60 - 600;
  private static final String CHECKOUT = traceId(1);
  private static final String REPORT = traceId(2);
  private static final String SLOW_CHECKOUT = traceId(3);

  private static Daemon daemon;
  private static XRayClient xray;

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    xray = DaemonApiTestSupport.xrayClient(daemon);
    // checkout (frontend -> orders, ok, 0.2 s) and slow checkout (frontend -> orders, 0.8 s, orders
    // faults) in the first minute; report (billing alone, an error, 0.5 s) in the second.
    assertThat(xray.putTraceSegments(b -> b.traceSegmentDocuments(
        segment(CHECKOUT, "a000000000000001", null, "frontend", BASE + 5, 0.2, "", "orders-call"),
        segment(CHECKOUT, "b000000000000001", "c000000000000001", "orders", BASE + 5.05, 0.1, "", null),
        segment(SLOW_CHECKOUT, "a000000000000003", null, "frontend", BASE + 20, 0.8, "", "orders-call"),
        segment(SLOW_CHECKOUT, "b000000000000003", "c000000000000003", "orders", BASE + 20.1, 0.6,
            ",\"fault\":true", null),
        segment(REPORT, "a000000000000002", null, "billing", BASE + 70, 0.5, ",\"error\":true", null)))
        .unprocessedTraceSegments()).isEmpty();
  }

  @AfterAll
  static void stop() {
    xray.close();
    daemon.close();
  }

  // ------------------------------------------------------------------ GetTraceGraph

  @Test
  void getTraceGraphDrawsTheServicesOfJustTheTracesAsked() {
    GetTraceGraphResponse graph = xray.getTraceGraph(b -> b.traceIds(CHECKOUT, "1-00000000-000000000000000000000000"));
    assertThat(graph.services()).extracting(Service::name).containsExactlyInAnyOrder("frontend", "orders");
    Service frontend = service(graph.services(), "frontend");
    Service orders = service(graph.services(), "orders");
    assertThat(frontend.root()).isTrue();
    assertThat(frontend.summaryStatistics().totalCount()).isEqualTo(1);
    assertThat(frontend.edges()).extracting(Edge::referenceId).containsExactly(orders.referenceId());
    assertThat(frontend.startTime()).isEqualTo(Instant.ofEpochSecond(BASE + 5));
    assertThat(orders.summaryStatistics().faultStatistics().totalCount()).isZero();
    assertThat(orders.responseTimeHistogram()).singleElement()
        .satisfies(h -> assertThat(h.value()).isCloseTo(0.1, within(1e-9)));

    List<Service> both = xray.getTraceGraph(b -> b.traceIds(CHECKOUT, SLOW_CHECKOUT, REPORT)).services();
    assertThat(both).extracting(Service::name).containsExactlyInAnyOrder("frontend", "orders", "billing");
    assertThat(service(both, "orders").summaryStatistics().faultStatistics().totalCount()).isEqualTo(1);
    assertThat(service(both, "frontend").summaryStatistics().totalCount()).isEqualTo(2);
  }

  @Test
  void getTraceGraphRefusesAMissingOrOversizedIdList() {
    assertThatThrownBy(() -> xray.getTraceGraph(b -> b.traceIds(List.of())))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).contains("TraceIds must name at least one trace");
        });
    List<String> tooMany = java.util.stream.IntStream.range(0, 101).mapToObj(XRayGroupsAndGraphsTest::traceId).toList();
    assertThatThrownBy(() -> xray.getTraceGraph(b -> b.traceIds(tooMany)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 100");
  }

  // ------------------------------------------------------------------ GetTimeSeriesServiceStatistics

  @Test
  void getTimeSeriesServiceStatisticsCountsEachPeriodsTraces() {
    GetTimeSeriesServiceStatisticsResponse series = xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300)).period(60));
    List<TimeSeriesServiceStatistics> periods = series.timeSeriesServiceStatistics();
    assertThat(periods).extracting(TimeSeriesServiceStatistics::timestamp)
        .containsExactly(Instant.ofEpochSecond(BASE), Instant.ofEpochSecond(BASE + 60));
    var first = periods.get(0).serviceSummaryStatistics();
    assertThat(first.totalCount()).isEqualTo(2);
    assertThat(first.okCount()).isEqualTo(1);
    assertThat(first.faultStatistics().totalCount()).isEqualTo(1);
    assertThat(first.totalResponseTime()).isCloseTo(1.0, within(1e-9));
    assertThat(periods.get(0).responseTimeHistogram()).hasSize(2);
    var second = periods.get(1).serviceSummaryStatistics();
    assertThat(second.totalCount()).isEqualTo(1);
    assertThat(second.errorStatistics().otherCount()).isEqualTo(1);
    assertThat(second.okCount()).isZero();

    // Period defaults to 60 s; the entity selector keeps billing's trace.
    List<TimeSeriesServiceStatistics> billing = xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300))
        .entitySelectorExpression("service(\"billing\")")).timeSeriesServiceStatistics();
    assertThat(billing).singleElement().satisfies(p -> {
      assertThat(p.timestamp()).isEqualTo(Instant.ofEpochSecond(BASE + 60));
      assertThat(p.serviceSummaryStatistics().totalCount()).isEqualTo(1);
    });
    List<TimeSeriesServiceStatistics> fiveMinutes = xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300)).period(300)
        .entitySelectorExpression("service(\"frontend\")")).timeSeriesServiceStatistics();
    assertThat(fiveMinutes).singleElement()
        .satisfies(p -> assertThat(p.serviceSummaryStatistics().totalCount()).isEqualTo(2));

    // One service: its own segments' statistics; one edge: the calls', as EdgeSummaryStatistics.
    List<TimeSeriesServiceStatistics> orders = xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300)).period(300)
        .entitySelectorExpression("service(\"orders\")")).timeSeriesServiceStatistics();
    assertThat(orders).singleElement().satisfies(p -> {
      assertThat(p.serviceSummaryStatistics().totalCount()).isEqualTo(2);
      assertThat(p.serviceSummaryStatistics().faultStatistics().totalCount()).isEqualTo(1);
      assertThat(p.serviceSummaryStatistics().totalResponseTime()).isCloseTo(0.7, within(1e-6));
      assertThat(p.edgeSummaryStatistics()).isNull();
    });
    List<TimeSeriesServiceStatistics> calls = xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300)).period(60)
        .entitySelectorExpression("edge(\"frontend\", \"orders\")")).timeSeriesServiceStatistics();
    assertThat(calls).singleElement().satisfies(p -> {
      assertThat(p.timestamp()).isEqualTo(Instant.ofEpochSecond(BASE));
      assertThat(p.serviceSummaryStatistics()).isNull();
      assertThat(p.edgeSummaryStatistics().totalCount()).isEqualTo(2);
      assertThat(p.edgeSummaryStatistics().faultStatistics().totalCount()).isEqualTo(1);
      assertThat(p.edgeSummaryStatistics().okCount()).isEqualTo(1);
    });
  }

  @Test
  void getTimeSeriesServiceStatisticsRefusesBadPeriodsAndExpressions() {
    assertThatThrownBy(() -> xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300)).period(0)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Period");
    assertThatThrownBy(() -> xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(0)).endTime(Instant.ofEpochSecond(BASE)).period(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer Period");
    assertThatThrownBy(() -> xray.getTimeSeriesServiceStatistics(b -> b
        .startTime(Instant.ofEpochSecond(BASE)).endTime(Instant.ofEpochSecond(BASE + 300))
        .entitySelectorExpression("service(")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> xray.getTimeSeriesServiceStatistics(b -> b.period(60)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("StartTime");
  }

  // ------------------------------------------------------------------ groups

  @Test
  void groupsAreCreatedReadListedUpdatedAndDeleted() {
    Group created = xray.createGroup(b -> b.groupName("slow-orders")
        .filterExpression("service(\"orders\") AND responsetime > 0.5")
        .insightsConfiguration(i -> i.insightsEnabled(true))).group();
    assertThat(created.groupName()).isEqualTo("slow-orders");
    assertThat(created.groupARN()).matches("arn:aws:xray:local:000000000000:group/slow-orders/[0-9A-Z]+");
    assertThat(created.filterExpression()).isEqualTo("service(\"orders\") AND responsetime > 0.5");
    assertThat(created.insightsConfiguration().insightsEnabled()).isTrue();
    assertThat(created.insightsConfiguration().notificationsEnabled()).isFalse();

    assertThat(xray.getGroup(b -> b.groupName("slow-orders")).group()).isEqualTo(created);
    assertThat(xray.getGroup(b -> b.groupARN(created.groupARN())).group()).isEqualTo(created);
    assertThat(xray.getGroups(b -> { }).groups()).extracting(GroupSummary::groupName).contains("slow-orders");

    // group.name / group.arn in GetTraceSummaries' filter, GroupName / GroupARN in GetServiceGraph
    // and GetTimeSeriesServiceStatistics: the group's filter applies.
    assertThat(summaries("slow-orders", null)).containsExactly(SLOW_CHECKOUT);
    assertThat(summaries("slow-orders", "service(\"billing\")")).isEmpty();
    assertThat(xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300))
        .filterExpression("group.arn = \"" + created.groupARN() + "\" OR service(\"billing\")")).traceSummaries())
        .extracting(TraceSummary::id).containsExactlyInAnyOrder(SLOW_CHECKOUT, REPORT);
    assertThat(xray.getServiceGraph(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300)).groupName("slow-orders")).services())
        .extracting(Service::name).containsExactlyInAnyOrder("frontend", "orders");
    assertThat(xray.getTimeSeriesServiceStatistics(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300)).period(300).groupName("slow-orders"))
        .timeSeriesServiceStatistics()).singleElement()
        .satisfies(p -> assertThat(p.serviceSummaryStatistics().totalCount()).isEqualTo(1));

    Group updated = xray.updateGroup(b -> b.groupName("slow-orders").filterExpression("error = true")).group();
    assertThat(updated.groupARN()).isEqualTo(created.groupARN());
    assertThat(updated.filterExpression()).isEqualTo("error = true");
    assertThat(updated.insightsConfiguration().insightsEnabled()).isTrue();
    assertThat(summaries("slow-orders", null)).containsExactly(REPORT);

    xray.deleteGroup(b -> b.groupARN(created.groupARN()));
    assertThat(xray.getGroups(b -> { }).groups()).extracting(GroupSummary::groupName).doesNotContain("slow-orders");
    assertThatThrownBy(() -> xray.getGroup(b -> b.groupName("slow-orders")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no group named 'slow-orders'");
    assertThatThrownBy(() -> summaries("slow-orders", null)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void groupsRefuseBadNamesFiltersAndDuplicates() {
    assertThatThrownBy(() -> xray.createGroup(b -> b.groupName("bad filter").filterExpression("x")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .hasMessageContaining("GroupName");
    assertThatThrownBy(() -> xray.createGroup(b -> b.groupName("broken").filterExpression("responsetime >")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("FilterExpression");
    assertThat(xray.getGroups(b -> { }).groups()).extracting(GroupSummary::groupName).doesNotContain("broken");
    xray.createGroup(b -> b.groupName("twice"));
    assertThatThrownBy(() -> xray.createGroup(b -> b.groupName("twice")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("exists already");
    assertThatThrownBy(() -> xray.updateGroup(b -> b.groupName("twice").filterExpression("annotation.")))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(xray.getGroup(b -> b.groupName("twice")).group().filterExpression()).isNull();
    assertThatThrownBy(() -> xray.deleteGroup(b -> b.groupName("never-made")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("never-made");
    assertThatThrownBy(() -> xray.getGroup(b -> { }))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("GroupName or GroupARN");
    assertThatThrownBy(() -> summaries("never-made", null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no group with name \"never-made\"");
    assertThatThrownBy(() -> xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300)).filterExpression("group.name CONTAINS \"twice\"")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("with = or !=");
    assertThatThrownBy(() -> xray.getServiceGraph(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300)).groupARN("arn:aws:xray:local:000000000000:group/x/1")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no group with ARN");
    // A group without a filter, and X-Ray's built-in Default group, match every trace.
    assertThat(summaries("twice", null)).hasSize(3);
    assertThat(summaries("Default", "!ok")).containsExactlyInAnyOrder(SLOW_CHECKOUT, REPORT);
    // A group's filter cannot name a group: no loops of groups.
    assertThatThrownBy(() -> xray.createGroup(b -> b.groupName("nested").filterExpression("group.name = \"twice\"")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'group.name' is not supported");
    xray.deleteGroup(b -> b.groupName("twice"));
  }

  // ------------------------------------------------------------------ helpers

  /** The ids of the traces that {@code group.name = "group"} (and {@code filter}, if given) matches. */
  private static List<String> summaries(String group, String filter) {
    String expression = "group.name = \"" + group + "\"" + (filter == null ? "" : " AND " + filter);
    return xray.getTraceSummaries(b -> b.startTime(Instant.ofEpochSecond(BASE))
        .endTime(Instant.ofEpochSecond(BASE + 300)).filterExpression(expression))
        .traceSummaries().stream().map(TraceSummary::id).toList();
  }

  private static Service service(List<Service> services, String name) {
    return services.stream().filter(s -> name.equals(s.name())).findFirst().orElseThrow();
  }

  private static String traceId(int n) {
    return String.format(Locale.ROOT, "1-%08x-%024x", BASE, n);
  }

  /** A segment document; {@code callId}, when given, is a subsegment calling the next service. */
  private static String segment(String traceId, String id, String parentId, String name, double start,
      double seconds, String flags, String callId) {
    String parent = parentId == null ? "" : ",\"parent_id\":\"" + parentId + "\"";
    String call = callId == null ? "" : ",\"subsegments\":[{\"id\":\"c" + id.substring(1) + "\",\"name\":\"orders\""
        + ",\"start_time\":" + (start + 0.01) + ",\"end_time\":" + (start + seconds - 0.01)
        + ",\"namespace\":\"remote\",\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://orders/\"}}}]";
    return "{\"name\":\"" + name + "\",\"id\":\"" + id + "\",\"trace_id\":\"" + traceId + "\"" + parent
        + ",\"start_time\":" + start + ",\"end_time\":" + (start + seconds) + flags + call + "}";
  }
}
