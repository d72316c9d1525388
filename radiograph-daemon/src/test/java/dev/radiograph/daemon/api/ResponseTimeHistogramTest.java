package dev.radiograph.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.daemon.query.FilterSyntaxException;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.MemoryTraceStore;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.daemon.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseTimeHistogramTest {
  private static final double T0 = 1_700_000_000;

  private final TraceStore store = new MemoryTraceStore(1000, Long.MAX_VALUE);

  private void trace(int n, double start, double responseTime, boolean fault) {
    String id = String.format("1-6553f100-%024x", n);
    store.add(DocumentSummary.parse("{\"name\":\"api\",\"id\":\"" + String.format("%016x", n) + "\",\"trace_id\":\"" + id
        + "\",\"start_time\":" + start + ",\"end_time\":" + (start + responseTime) + (fault ? ",\"fault\":true" : "") + "}"));
  }

  private Map<String, Object> answer(String body) {
    byte[] bytes = ResponseTimeHistogram.answer(body.getBytes(StandardCharsets.UTF_8), store);
    return Json.asObject(Json.parse(bytes), "answer");
  }

  @SuppressWarnings("unchecked")
  private static List<List<Number>> buckets(Map<String, Object> answer) {
    return ((List<Object>) answer.get("Buckets")).stream()
        .map(b -> (Map<String, Object>) b)
        .map(b -> List.of((Number) b.get("From"), (Number) b.get("To"), (Number) b.get("Count")))
        .toList();
  }

  @Test
  void equalRoundBucketsFromTheFastestToTheSlowestTrace() {
    trace(1, T0 + 1, 0.1, false);
    trace(2, T0 + 2, 0.2, false);
    trace(3, T0 + 3, 0.3, false);
    trace(4, T0 + 4, 0.4, true);
    Map<String, Object> answer = answer("{\"StartTime\":" + T0 + ",\"EndTime\":" + (T0 + 10) + ",\"Buckets\":4}");
    // 0.3 s over 4 buckets is 0.075, rounded up to 0.1; values on a boundary start a bucket.
    assertThat(buckets(answer)).extracting(b -> b.get(0).doubleValue() + "-" + b.get(1).doubleValue() + ":" + b.get(2).longValue())
        .containsExactly("0.1-0.2:1", "0.2-0.3:1", "0.3-0.4:1", "0.4-0.5:1");
    assertThat(((Number) answer.get("Total")).longValue()).isEqualTo(4);
  }

  @Test
  void everyMatchingTraceIsCountedWithTheDefaultBuckets() {
    for (int i = 0; i < 1000; i++) {
      trace(i, T0 + i * 0.001, 0.001 + i * 0.002, i % 10 == 0);
    }
    Map<String, Object> answer = answer("{\"StartTime\":" + T0 + ",\"EndTime\":" + (T0 + 10) + "}");
    List<List<Number>> buckets = buckets(answer);
    assertThat(buckets.size()).isBetween(20, ResponseTimeHistogram.DEFAULT_BUCKETS + 1);
    assertThat(buckets.stream().mapToLong(b -> b.get(2).longValue()).sum()).isEqualTo(1000);
    assertThat(buckets.get(0).get(0).doubleValue()).isLessThanOrEqualTo(0.001);
    assertThat(buckets.get(buckets.size() - 1).get(1).doubleValue()).isGreaterThan(1.999);
    double width = buckets.get(0).get(1).doubleValue() - buckets.get(0).get(0).doubleValue();
    for (List<Number> b : buckets) {
      assertThat(b.get(1).doubleValue() - b.get(0).doubleValue()).isCloseTo(width, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(((Number) answer.get("Total")).longValue()).isEqualTo(1000);
  }

  @Test
  void theFilterAndTheRangeChooseTheTraces() {
    trace(1, T0 + 1, 0.1, false);
    trace(2, T0 + 2, 0.5, true);
    trace(3, T0 + 50, 0.9, true);
    Map<String, Object> faults = answer("{\"StartTime\":" + T0 + ",\"EndTime\":" + (T0 + 10) + ",\"FilterExpression\":\"fault\"}");
    assertThat(((Number) faults.get("Total")).longValue()).isEqualTo(1);
    assertThat(buckets(faults)).hasSize(1).first().satisfies(b -> {
      assertThat(b.get(0).doubleValue()).isLessThanOrEqualTo(0.5);
      assertThat(b.get(1).doubleValue()).isGreaterThan(0.5);
      assertThat(b.get(2).longValue()).isEqualTo(1);
    });
    Map<String, Object> narrowed = answer("{\"StartTime\":" + T0 + ",\"EndTime\":" + (T0 + 100)
        + ",\"FilterExpression\":\"responsetime >= 0.4 AND responsetime <= 1\"}");
    assertThat(((Number) narrowed.get("Total")).longValue()).isEqualTo(2);
  }

  @Test
  void nothingMatchingGivesNoBuckets() {
    assertThat(answer("{\"StartTime\":" + T0 + ",\"EndTime\":" + (T0 + 10) + "}"))
        .containsEntry("Buckets", List.of()).containsEntry("Total", 0L);
  }

  @Test
  void badRequestsAreClientErrors() {
    assertThatThrownBy(() -> answer("{\"EndTime\":1}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StartTime is required");
    assertThatThrownBy(() -> answer("{\"StartTime\":2,\"EndTime\":1}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EndTime");
    assertThatThrownBy(() -> answer("{\"StartTime\":1,\"EndTime\":2,\"Buckets\":0}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Buckets");
    assertThatThrownBy(() -> answer("{\"StartTime\":1,\"EndTime\":2,\"Buckets\":2.5}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> answer("{\"StartTime\":1,\"EndTime\":2,\"FilterExpression\":\"responsetime >\"}")).isInstanceOf(FilterSyntaxException.class);
    assertThatThrownBy(() -> answer("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
