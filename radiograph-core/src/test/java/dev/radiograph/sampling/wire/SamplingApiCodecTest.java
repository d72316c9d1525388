package dev.radiograph.sampling.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.internal.JsonParseException;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingRulesRequest;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingRulesResponse;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingTargetsRequest;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingTargetsResponse;
import dev.radiograph.sampling.wire.SamplingApi.SamplingBoost;
import dev.radiograph.sampling.wire.SamplingApi.SamplingBoostStatisticsDocument;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRateBoost;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRule;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRuleRecord;
import dev.radiograph.sampling.wire.SamplingApi.SamplingStatisticsDocument;
import dev.radiograph.sampling.wire.SamplingApi.SamplingTargetDocument;
import dev.radiograph.sampling.wire.SamplingApi.UnprocessedStatistics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The sampling API's JSON: AWS's documents, round trips, exact timestamps, and bad input named. */
class SamplingApiCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  private static SamplingRule checkout() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("tier", "gold");
    attributes.put("region", "eu");
    return SamplingRule.builder()
        .ruleName("checkout")
        .ruleArn("arn:aws:xray:us-east-1:123456789012:sampling-rule/checkout")
        .resourceArn("*")
        .priority(100)
        .fixedRate(0.25)
        .reservoirSize(5)
        .serviceName("shop")
        .serviceType("*")
        .host("*")
        .httpMethod("POST")
        .urlPath("/checkout*")
        .version(1)
        .attributes(attributes)
        .samplingRateBoost(new SamplingRateBoost(0.5, 2))
        .build();
  }

  // --- GetSamplingRules -----------------------------------------------------------------------

  @Test
  void rulesRequestWritesNextTokenAlwaysAndReadsEmptyBodiesAsEmptyRequests() {
    assertThat(text(SamplingApiCodec.write(new GetSamplingRulesRequest(null)))).isEqualTo("{\"NextToken\":null}");
    assertThat(text(SamplingApiCodec.write(new GetSamplingRulesRequest("page-2")))).isEqualTo("{\"NextToken\":\"page-2\"}");
    assertThat(SamplingApiCodec.readGetSamplingRulesRequest(bytes("{\"NextToken\":\"page-2\",\"Extra\":[1]}")))
        .isEqualTo(new GetSamplingRulesRequest("page-2"));
    assertThat(SamplingApiCodec.readGetSamplingRulesRequest(bytes("{\"NextToken\":null}")))
        .isEqualTo(new GetSamplingRulesRequest(null));
    assertThat(SamplingApiCodec.readGetSamplingRulesRequest(bytes(" \n"))).isEqualTo(new GetSamplingRulesRequest(null));
    assertThat(SamplingApiCodec.readGetSamplingRulesRequest(new byte[0])).isEqualTo(new GetSamplingRulesRequest(null));
    assertThat(SamplingApiCodec.readGetSamplingRulesRequest(null)).isEqualTo(new GetSamplingRulesRequest(null));
  }

  @Test
  void readsAwssGetSamplingRulesAnswer() {
    // The shape of the AWS CLI's documented get-sampling-rules output.
    String aws = "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"Default\","
        + "\"RuleARN\":\"arn:aws:xray:us-east-1:123456789012:sampling-rule/Default\",\"ResourceARN\":\"*\","
        + "\"Priority\":10000,\"FixedRate\":0.01,\"ReservoirSize\":0,\"ServiceName\":\"*\",\"ServiceType\":\"*\","
        + "\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\",\"Version\":1,\"Attributes\":{}},"
        + "\"CreatedAt\":0.0,\"ModifiedAt\":1529959993.0},"
        + "{\"SamplingRule\":{\"RuleName\":\"base-scorekeep\","
        + "\"RuleARN\":\"arn:aws:xray:us-east-1:123456789012:sampling-rule/base-scorekeep\",\"ResourceARN\":\"*\","
        + "\"Priority\":9000,\"FixedRate\":0.1,\"ReservoirSize\":2,\"ServiceName\":\"Scorekeep\","
        + "\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\",\"Version\":1,"
        + "\"Attributes\":{}},\"CreatedAt\":1530573954.0,\"ModifiedAt\":1530920505.0}]}";
    GetSamplingRulesResponse response = SamplingApiCodec.readGetSamplingRulesResponse(bytes(aws));
    assertThat(response.nextToken()).isNull();
    assertThat(response.samplingRuleRecords()).hasSize(2);
    SamplingRuleRecord first = response.samplingRuleRecords().get(0);
    assertThat(first.createdAt()).isEqualTo(Instant.EPOCH);
    assertThat(first.modifiedAt()).isEqualTo(Instant.ofEpochSecond(1529959993));
    SamplingRule rule = first.samplingRule();
    assertThat(rule.ruleName()).isEqualTo("Default");
    assertThat(rule.priority()).isEqualTo(10000);
    assertThat(rule.fixedRate()).isEqualTo(0.01);
    assertThat(rule.reservoirSize()).isZero();
    assertThat(rule.version()).isEqualTo(1);
    assertThat(rule.attributes()).isEmpty();
    assertThat(rule.samplingRateBoost()).isNull();
    assertThat(response.samplingRuleRecords().get(1).samplingRule().serviceName()).isEqualTo("Scorekeep");
  }

  @Test
  void rulesResponseRoundTripsWithEveryMemberInXRaysOrder() throws Exception {
    SamplingRuleRecord record = new SamplingRuleRecord(checkout(),
        Instant.ofEpochSecond(1530000000, 123_000_000), Instant.ofEpochSecond(1530000100));
    GetSamplingRulesResponse response = new GetSamplingRulesResponse(List.of(record), "page-2");
    byte[] json = SamplingApiCodec.write(response);

    assertThat(SamplingApiCodec.readGetSamplingRulesResponse(json)).isEqualTo(response);
    JsonNode tree = JSON.readTree(json);
    assertThat(fieldNames(tree.at("/SamplingRuleRecords/0/SamplingRule"))).containsExactly("RuleName", "RuleARN",
        "ResourceARN", "Priority", "FixedRate", "ReservoirSize", "ServiceName", "ServiceType", "Host", "HTTPMethod",
        "URLPath", "Version", "Attributes", "SamplingRateBoost");
    assertThat(fieldNames(tree.at("/SamplingRuleRecords/0/SamplingRule/Attributes"))).containsExactly("tier", "region");
    assertThat(text(json)).contains("\"CreatedAt\":1530000000.123,\"ModifiedAt\":1530000100}")
        .contains("\"SamplingRateBoost\":{\"MaxRate\":0.5,\"CooldownWindowMinutes\":2}")
        .endsWith(",\"NextToken\":\"page-2\"}");
  }

  @Test
  void absentMembersAreLeftOutButNextTokenIsNull() {
    SamplingRule bare = SamplingRule.builder().ruleName("bare").build();
    GetSamplingRulesResponse response = new GetSamplingRulesResponse(
        List.of(new SamplingRuleRecord(bare, null, null), new SamplingRuleRecord(null, null, null)), null);
    String json = text(SamplingApiCodec.write(response));
    assertThat(json).isEqualTo("{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"bare\"}},{}],\"NextToken\":null}");
    assertThat(SamplingApiCodec.readGetSamplingRulesResponse(bytes(json))).isEqualTo(response);
    // Empty attributes are not absent attributes.
    SamplingRule empty = SamplingRule.builder().ruleName("e").attributes(Map.of()).build();
    assertThat(text(SamplingApiCodec.write(new GetSamplingRulesResponse(
        List.of(new SamplingRuleRecord(empty, null, null)), null)))).contains("{\"RuleName\":\"e\",\"Attributes\":{}}");
    // No records at all.
    assertThat(SamplingApiCodec.readGetSamplingRulesResponse(bytes("{}")).samplingRuleRecords()).isEmpty();
    assertThat(text(SamplingApiCodec.write(new GetSamplingRulesResponse(null, null))))
        .isEqualTo("{\"SamplingRuleRecords\":[],\"NextToken\":null}");
  }

  @Test
  void unknownMembersAreIgnoredAndNullMembersAreAbsent() {
    GetSamplingRulesResponse response = SamplingApiCodec.readGetSamplingRulesResponse(bytes(
        "{\"Future\":{\"x\":1},\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"r\",\"Host\":null,"
            + "\"NewMatcher\":\"*\",\"SamplingRateBoost\":{\"MaxRate\":0.2,\"Later\":true}},\"Tags\":[]}],"
            + "\"NextToken\":null}"));
    SamplingRule rule = response.samplingRuleRecords().get(0).samplingRule();
    assertThat(rule).isEqualTo(SamplingRule.builder().ruleName("r")
        .samplingRateBoost(new SamplingRateBoost(0.2, null)).build());
  }

  @Test
  void badRulesNameTheMember() {
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"FixedRate\":\"high\"}}]}",
        "SamplingRuleRecords[0].SamplingRule.FixedRate must be a number, found string");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{},{\"SamplingRule\":{\"Priority\":1.5}}]}",
        "SamplingRuleRecords[1].SamplingRule.Priority must be a 32-bit integer, found 1.5");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"ReservoirSize\":4294967296}}]}",
        "SamplingRuleRecords[0].SamplingRule.ReservoirSize must be a 32-bit integer, found 4294967296");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"Attributes\":{\"tier\":1}}}]}",
        "SamplingRuleRecords[0].SamplingRule.Attributes.tier must be a string, found number");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"SamplingRateBoost\":{\"MaxRate\":1e999}}}]}",
        "SamplingRuleRecords[0].SamplingRule.SamplingRateBoost.MaxRate must be a finite number");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"SamplingRule\":[]}]}",
        "SamplingRuleRecords[0].SamplingRule must be an object, found array");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse, "{\"SamplingRuleRecords\":[7]}",
        "SamplingRuleRecords[0] must be an object, found number");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse, "{\"SamplingRuleRecords\":{}}",
        "SamplingRuleRecords must be an array, found object");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse,
        "{\"SamplingRuleRecords\":[{\"CreatedAt\":true}]}",
        "SamplingRuleRecords[0].CreatedAt must be epoch seconds, found boolean");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse, "{\"NextToken\":7}",
        "NextToken must be a string, found number");
    assertBad(SamplingApiCodec::readGetSamplingRulesResponse, "[]", "the response body must be an object, found array");
    assertBad(SamplingApiCodec::readGetSamplingRulesRequest, "{\"NextToken\":7}",
        "NextToken must be a string, found number");
    assertBad(SamplingApiCodec::readGetSamplingRulesRequest, "\"x\"", "the request body must be an object, found string");
    assertThatThrownBy(() -> SamplingApiCodec.readGetSamplingRulesResponse(bytes("")))
        .isInstanceOf(JsonParseException.class);
    assertThatThrownBy(() -> SamplingApiCodec.readGetSamplingRulesRequest(bytes("{not json")))
        .isInstanceOf(JsonParseException.class).isInstanceOf(IllegalArgumentException.class);
  }

  // --- timestamps -----------------------------------------------------------------------------

  @Test
  void timestampsAreWrittenExactlyAndReadLeniently() {
    assertThat(writtenTimestamp(Instant.ofEpochSecond(1530000000))).isEqualTo("1530000000");
    assertThat(writtenTimestamp(Instant.ofEpochSecond(1530000000, 500_000_000))).isEqualTo("1530000000.5");
    assertThat(writtenTimestamp(Instant.ofEpochSecond(1530000000, 1))).isEqualTo("1530000000.000000001");
    assertThat(writtenTimestamp(Instant.ofEpochSecond(-1, 500_000_000))).isEqualTo("-0.5");

    assertThat(readTimestamp("1530000000")).isEqualTo(Instant.ofEpochSecond(1530000000));
    assertThat(readTimestamp("1.530000000123E9")).isEqualTo(Instant.ofEpochSecond(1530000000, 123_000_000));
    assertThat(readTimestamp("1530923107.0")).isEqualTo(Instant.ofEpochSecond(1530923107));
    assertThat(readTimestamp("\"1530000000.25\"")).isEqualTo(Instant.ofEpochSecond(1530000000, 250_000_000));
    assertThat(readTimestamp("\"2018-07-07T00:20:06Z\"")).isEqualTo(Instant.parse("2018-07-07T00:20:06Z"));
    assertThat(readTimestamp("0.9999999999")).isEqualTo(Instant.ofEpochSecond(1)); // rounded to the nanosecond

    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse, "{\"LastRuleModification\":\"yesterday\"}",
        "LastRuleModification is not a valid timestamp: yesterday");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse, "{\"LastRuleModification\":1e999}",
        "LastRuleModification must be epoch seconds, found Infinity");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse, "{\"LastRuleModification\":9223372036854775807}",
        "LastRuleModification is not a valid timestamp: 9223372036854775807");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse, "{\"LastRuleModification\":1e300}",
        "LastRuleModification is not a valid timestamp");
  }

  private static String writtenTimestamp(Instant instant) {
    String json = text(SamplingApiCodec.write(new GetSamplingTargetsResponse(null, instant, null, null)));
    String prefix = "{\"SamplingTargetDocuments\":[],\"LastRuleModification\":";
    assertThat(json).startsWith(prefix).endsWith(",\"UnprocessedStatistics\":[]}");
    return json.substring(prefix.length(), json.length() - ",\"UnprocessedStatistics\":[]}".length());
  }

  private static Instant readTimestamp(String json) {
    return SamplingApiCodec.readGetSamplingTargetsResponse(bytes("{\"LastRuleModification\":" + json + "}"))
        .lastRuleModification();
  }

  // --- GetSamplingTargets ---------------------------------------------------------------------

  @Test
  void targetsRequestRoundTripsAndKeepsAbsentListsAbsent() throws Exception {
    GetSamplingTargetsRequest request = new GetSamplingTargetsRequest(
        List.of(new SamplingStatisticsDocument("checkout", "0123456789abcdef01234567",
            Instant.ofEpochSecond(1700000000, 500_000_000), 12, 4, 1)),
        List.of(new SamplingBoostStatisticsDocument("checkout", "shop", Instant.ofEpochSecond(1700000000), 2, 12, 1)));
    byte[] json = SamplingApiCodec.write(request);
    assertThat(text(json)).isEqualTo("{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"checkout\","
        + "\"ClientID\":\"0123456789abcdef01234567\",\"Timestamp\":1700000000.5,\"RequestCount\":12,"
        + "\"SampledCount\":4,\"BorrowCount\":1}],\"SamplingBoostStatisticsDocuments\":[{\"RuleName\":\"checkout\","
        + "\"ServiceName\":\"shop\",\"Timestamp\":1700000000,\"AnomalyCount\":2,\"TotalCount\":12,"
        + "\"SampledAnomalyCount\":1}]}");
    assertThat(SamplingApiCodec.readGetSamplingTargetsRequest(json)).isEqualTo(request);

    GetSamplingTargetsRequest withoutBoost = new GetSamplingTargetsRequest(List.of(), null);
    assertThat(text(SamplingApiCodec.write(withoutBoost))).isEqualTo("{\"SamplingStatisticsDocuments\":[]}");
    assertThat(SamplingApiCodec.readGetSamplingTargetsRequest(bytes("{\"SamplingStatisticsDocuments\":[]}")))
        .isEqualTo(withoutBoost);
    assertThat(SamplingApiCodec.readGetSamplingTargetsRequest(bytes("")))
        .isEqualTo(new GetSamplingTargetsRequest(null, null));
    assertThat(SamplingApiCodec.readGetSamplingTargetsRequest(bytes("{\"SamplingStatisticsDocuments\":[{}]}"))
        .samplingStatisticsDocuments()).containsExactly(new SamplingStatisticsDocument(null, null, null, null, null, null));
  }

  @Test
  void readsTheStatisticsTheAwsCliExampleSends() {
    GetSamplingTargetsRequest request = SamplingApiCodec.readGetSamplingTargetsRequest(bytes(
        "{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"base-scorekeep\",\"ClientID\":\"ABCDEF1234567890ABCDEF10\","
            + "\"Timestamp\":\"2018-07-07T00:20:06Z\",\"RequestCount\":110,\"SampledCount\":20,\"BorrowCount\":10},"
            + "{\"RuleName\":\"polling-scorekeep\",\"ClientID\":\"ABCDEF1234567890ABCDEF10\","
            + "\"Timestamp\":1530922806,\"RequestCount\":10500,\"SampledCount\":31,\"BorrowCount\":0}]}"));
    assertThat(request.samplingBoostStatisticsDocuments()).isNull();
    assertThat(request.samplingStatisticsDocuments()).containsExactly(
        new SamplingStatisticsDocument("base-scorekeep", "ABCDEF1234567890ABCDEF10",
            Instant.parse("2018-07-07T00:20:06Z"), 110, 20, 10),
        new SamplingStatisticsDocument("polling-scorekeep", "ABCDEF1234567890ABCDEF10",
            Instant.ofEpochSecond(1530922806), 10500, 31, 0));
  }

  @Test
  void readsAwssGetSamplingTargetsAnswer() {
    // The AWS CLI's documented get-sampling-targets output.
    GetSamplingTargetsResponse response = SamplingApiCodec.readGetSamplingTargetsResponse(bytes(
        "{\"SamplingTargetDocuments\":[{\"RuleName\":\"base-scorekeep\",\"FixedRate\":0.1,\"ReservoirQuota\":2,"
            + "\"ReservoirQuotaTTL\":1530923107.0,\"Interval\":10},{\"RuleName\":\"polling-scorekeep\","
            + "\"FixedRate\":0.003,\"ReservoirQuota\":0,\"ReservoirQuotaTTL\":1530923107.0,\"Interval\":10}],"
            + "\"LastRuleModification\":1530920505.0,\"UnprocessedStatistics\":[]}"));
    assertThat(response.samplingTargetDocuments()).containsExactly(
        new SamplingTargetDocument("base-scorekeep", 0.1, 2, Instant.ofEpochSecond(1530923107), 10, null),
        new SamplingTargetDocument("polling-scorekeep", 0.003, 0, Instant.ofEpochSecond(1530923107), 10, null));
    assertThat(response.lastRuleModification()).isEqualTo(Instant.ofEpochSecond(1530920505));
    assertThat(response.unprocessedStatistics()).isEmpty();
    assertThat(response.unprocessedBoostStatistics()).isNull();
  }

  @Test
  void targetsResponseRoundTrips() {
    GetSamplingTargetsResponse response = new GetSamplingTargetsResponse(
        List.of(new SamplingTargetDocument("checkout", 0.1, 3, Instant.ofEpochSecond(1700000100), 10,
            new SamplingBoost(0.4, Instant.ofEpochSecond(1700000200, 250_000_000)))),
        Instant.ofEpochSecond(1699999999),
        List.of(new UnprocessedStatistics("gone", "400", "Unknown rule")),
        List.of());
    byte[] json = SamplingApiCodec.write(response);
    assertThat(text(json)).isEqualTo("{\"SamplingTargetDocuments\":[{\"RuleName\":\"checkout\",\"FixedRate\":0.1,"
        + "\"ReservoirQuota\":3,\"ReservoirQuotaTTL\":1700000100,\"Interval\":10,"
        + "\"SamplingBoost\":{\"BoostRate\":0.4,\"BoostRateTTL\":1700000200.25}}],"
        + "\"LastRuleModification\":1699999999,"
        + "\"UnprocessedStatistics\":[{\"RuleName\":\"gone\",\"ErrorCode\":\"400\",\"Message\":\"Unknown rule\"}],"
        + "\"UnprocessedBoostStatistics\":[]}");
    assertThat(SamplingApiCodec.readGetSamplingTargetsResponse(json)).isEqualTo(response);

    GetSamplingTargetsResponse sparse = new GetSamplingTargetsResponse(
        List.of(new SamplingTargetDocument("r", null, null, null, null, new SamplingBoost(null, null))), null, null, null);
    byte[] sparseJson = SamplingApiCodec.write(sparse);
    assertThat(text(sparseJson)).isEqualTo(
        "{\"SamplingTargetDocuments\":[{\"RuleName\":\"r\",\"SamplingBoost\":{}}],\"UnprocessedStatistics\":[]}");
    assertThat(SamplingApiCodec.readGetSamplingTargetsResponse(sparseJson)).isEqualTo(sparse);
  }

  @Test
  void badTargetsNameTheMember() {
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest,
        "{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"a\"},{\"RequestCount\":1.5}]}",
        "SamplingStatisticsDocuments[1].RequestCount must be a 32-bit integer, found 1.5");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest,
        "{\"SamplingStatisticsDocuments\":[{\"ClientID\":7}]}",
        "SamplingStatisticsDocuments[0].ClientID must be a string, found number");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest,
        "{\"SamplingStatisticsDocuments\":[{\"Timestamp\":{}}]}",
        "SamplingStatisticsDocuments[0].Timestamp must be epoch seconds, found object");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest,
        "{\"SamplingBoostStatisticsDocuments\":[{\"AnomalyCount\":\"2\"}]}",
        "SamplingBoostStatisticsDocuments[0].AnomalyCount must be a number, found string");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest, "{\"SamplingStatisticsDocuments\":[null]}",
        "SamplingStatisticsDocuments[0] must be an object, found null");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest, "{\"SamplingStatisticsDocuments\":\"all\"}",
        "SamplingStatisticsDocuments must be an array, found string");
    assertBad(SamplingApiCodec::readGetSamplingTargetsRequest, "[]", "the request body must be an object, found array");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse,
        "{\"SamplingTargetDocuments\":[{\"SamplingBoost\":{\"BoostRateTTL\":false}}]}",
        "SamplingTargetDocuments[0].SamplingBoost.BoostRateTTL must be epoch seconds, found boolean");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse,
        "{\"SamplingTargetDocuments\":[{\"Interval\":10.5}]}",
        "SamplingTargetDocuments[0].Interval must be a 32-bit integer, found 10.5");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse,
        "{\"UnprocessedBoostStatistics\":[{\"ErrorCode\":400}]}",
        "UnprocessedBoostStatistics[0].ErrorCode must be a string, found number");
    assertBad(SamplingApiCodec::readGetSamplingTargetsResponse, "[1,2,3]",
        "the response body must be an object, found array");
  }

  private static <T> void assertBad(Function<byte[], T> reader, String json, String message) {
    assertThatThrownBy(() -> reader.apply(bytes(json)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
