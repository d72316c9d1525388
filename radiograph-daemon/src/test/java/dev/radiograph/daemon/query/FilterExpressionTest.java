package dev.radiograph.daemon.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterExpressionTest {

  /** A trace's facts, set fluently. Defaults: a 200 GET that took 1.5 s, no error. */
  static class Facts implements TraceFacts {
    double responseTime = 1.0;
    double duration = 1.5;
    Integer httpStatus = 200;
    String httpUrl = "https://api.example.com/api/game/42";
    String httpMethod = "GET";
    String httpUserAgent = "curl/8.5.0";
    String httpClientIp = "10.0.0.7";
    boolean error;
    boolean fault;
    boolean throttle;
    List<String> services = new ArrayList<>(List.of("api", "AWS::DynamoDB"));
    Map<String, List<Object>> annotations = new HashMap<>();
    List<String> users = new ArrayList<>();
    java.util.Set<List<String>> edges = new java.util.HashSet<>();

    Facts edge(String from, String to) {
      edges.add(List.of(from, to));
      return this;
    }

    Facts responseTime(double v) {
      responseTime = v;
      return this;
    }

    Facts duration(double v) {
      duration = v;
      return this;
    }

    Facts status(Integer v) {
      httpStatus = v;
      return this;
    }

    Facts url(String v) {
      httpUrl = v;
      return this;
    }

    Facts method(String v) {
      httpMethod = v;
      return this;
    }

    Facts userAgent(String v) {
      httpUserAgent = v;
      return this;
    }

    Facts clientIp(String v) {
      httpClientIp = v;
      return this;
    }

    Facts error(boolean v) {
      error = v;
      return this;
    }

    Facts fault(boolean v) {
      fault = v;
      return this;
    }

    Facts throttle(boolean v) {
      throttle = v;
      return this;
    }

    Facts serviceNames(String... names) {
      services = new ArrayList<>(List.of(names));
      return this;
    }

    Facts userNames(String... names) {
      users = new ArrayList<>(List.of(names));
      return this;
    }

    Facts annotation(String key, Object... values) {
      annotations.computeIfAbsent(key, k -> new ArrayList<>()).addAll(List.of(values));
      return this;
    }

    @Override
    public String traceId() {
      return "1-5f84c7a1-0123456789abcdef01234567";
    }

    @Override
    public double responseTime() {
      return responseTime;
    }

    @Override
    public double duration() {
      return duration;
    }

    @Override
    public Integer httpStatus() {
      return httpStatus;
    }

    @Override
    public String httpUrl() {
      return httpUrl;
    }

    @Override
    public String httpMethod() {
      return httpMethod;
    }

    @Override
    public String httpUserAgent() {
      return httpUserAgent;
    }

    @Override
    public String httpClientIp() {
      return httpClientIp;
    }

    @Override
    public boolean hasError() {
      return error;
    }

    @Override
    public boolean hasFault() {
      return fault;
    }

    @Override
    public boolean hasThrottle() {
      return throttle;
    }

    @Override
    public Collection<String> services() {
      return services;
    }

    @Override
    public boolean hasEdge(String from, String to) {
      return edges.contains(List.of(from, to));
    }

    @Override
    public Collection<Object> annotationValues(String key) {
      return annotations.getOrDefault(key, List.of());
    }

    @Override
    public Collection<String> users() {
      return users;
    }
  }

  static Facts trace() {
    return new Facts();
  }

  static boolean matches(String expression, TraceFacts trace) {
    return FilterExpression.parse(expression).matches(trace);
  }

  static FilterSyntaxException syntaxError(String expression) {
    try {
      FilterExpression.parse(expression);
    } catch (FilterSyntaxException e) {
      return e;
    }
    throw new AssertionError("parse(" + expression + ") should fail");
  }

  @Nested
  class Empty {
    @Test
    void nullAndBlankMatchEveryTrace() {
      for (String text : new String[] {null, "", "   ", "\t\n"}) {
        FilterExpression expression = FilterExpression.parse(text);
        assertThat(expression.matches(trace())).isTrue();
        assertThat(expression.matches(trace().fault(true).status(null))).isTrue();
        assertThat(expression.matchesEverything()).isTrue();
      }
      assertThat(FilterExpression.parse(null).toString()).isEmpty();
      assertThat(FilterExpression.parse("ok").matchesEverything()).isFalse();
    }

    @Test
    void toStringIsTheSourceText() {
      String text = "  responsetime > 5   AND  http.url CONTAINS \"/a\\\"b\"  ";
      assertThat(FilterExpression.parse(text).toString()).isEqualTo(text);
      assertThat(FilterExpression.parse(text)).isEqualTo(FilterExpression.parse(text));
    }

    @Test
    void nullTraceDoesNotMatch() {
      assertThat(FilterExpression.parse("ok").matches(null)).isFalse();
    }
  }

  @Nested
  class BooleanKeywords {
    @Test
    void okIsNoErrorFaultOrThrottle() {
      assertThat(matches("ok", trace())).isTrue();
      assertThat(matches("ok", trace().error(true))).isFalse();
      assertThat(matches("ok", trace().fault(true))).isFalse();
      assertThat(matches("ok", trace().throttle(true))).isFalse();
      assertThat(matches("!ok", trace().fault(true))).isTrue();
      assertThat(matches("ok = false", trace().fault(true))).isTrue();
      assertThat(matches("ok = true", trace())).isTrue();
    }

    @Test
    void errorFaultThrottleEachReadTheirFact() {
      Facts error = trace().error(true);
      Facts fault = trace().fault(true);
      Facts throttle = trace().throttle(true).error(true);
      assertThat(matches("error", error)).isTrue();
      assertThat(matches("error", fault)).isFalse();
      assertThat(matches("fault", fault)).isTrue();
      assertThat(matches("fault", error)).isFalse();
      assertThat(matches("throttle", throttle)).isTrue();
      assertThat(matches("throttle", error)).isFalse();
      assertThat(matches("error", throttle)).isTrue();
    }

    @Test
    void comparedToTrueOrFalse() {
      Facts fault = trace().fault(true);
      assertThat(matches("fault = true", fault)).isTrue();
      assertThat(matches("fault = false", fault)).isFalse();
      assertThat(matches("fault != true", fault)).isFalse();
      assertThat(matches("fault != false", fault)).isTrue();
      assertThat(matches("fault != true", trace())).isTrue();
      assertThat(matches("!fault", fault)).isFalse();
      assertThat(matches("!fault", trace())).isTrue();
      assertThat(matches("fault = TRUE", fault)).isTrue();
      assertThat(matches("fault = \"true\"", fault)).isTrue();
      assertThat(matches("error=true", trace().error(true))).isTrue();
    }

    @Test
    void keywordsAreCaseInsensitive() {
      assertThat(matches("FAULT", trace().fault(true))).isTrue();
      assertThat(matches("Error = True", trace().error(true))).isTrue();
      assertThat(matches("OK", trace())).isTrue();
      assertThat(matches("Throttle", trace().throttle(true))).isTrue();
    }
  }

  @Nested
  class NumberKeywords {
    @ParameterizedTest
    @CsvSource({
      "responsetime = 2, true",
      "responsetime != 2, false",
      "responsetime != 3, true",
      "responsetime < 2, false",
      "responsetime < 2.5, true",
      "responsetime <= 2, true",
      "responsetime > 2, false",
      "responsetime > 1.999, true",
      "responsetime >= 2, true",
      "responsetime >= 2.0001, false",
      "responsetime > .5, true",
      "responsetime > 2e-3, true",
      "responsetime > -1, true",
      "responsetime = 2.0, true",
      "duration = 5, true",
      "duration >= 5 AND duration <= 8, true",
      "duration > 5, false",
      "duration < 5.5, true",
      "http.status = 503, true",
      "http.status != 200, true",
      "http.status >= 500, true",
      "http.status < 500, false",
      "http.status <= 503, true",
      "http.status > 499, true",
      "RESPONSETIME = 2, true",
      "ResponseTime > 1, true",
      "HTTP.STATUS = 503, true",
    })
    void compare(String expression, boolean expected) {
      Facts facts = trace().responseTime(2).duration(5).status(503);
      assertThat(matches(expression, facts)).as(expression).isEqualTo(expected);
    }

    @Test
    void missingValuesFailEveryComparison() {
      Facts noStatus = trace().status(null);
      for (String op : new String[] {"=", "!=", "<", "<=", ">", ">="}) {
        assertThat(matches("http.status " + op + " 200", noStatus)).as(op).isFalse();
        assertThat(matches("responsetime " + op + " 1", trace().responseTime(Double.NaN)))
            .as(op)
            .isFalse();
      }
      assertThat(matches("!(http.status = 200)", noStatus)).isTrue();
    }

    @Test
    void bareMeansPresent() {
      assertThat(matches("http.status", trace())).isTrue();
      assertThat(matches("http.status", trace().status(null))).isFalse();
      assertThat(matches("!http.status", trace().status(null))).isTrue();
      assertThat(matches("responsetime", trace())).isTrue();
      assertThat(matches("duration", trace().duration(Double.NaN))).isFalse();
    }
  }

  @Nested
  class StringKeywords {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "http.url = \"https://api.example.com/api/game/42\" | true",
          "http.url = \"https://api.example.com/api/game/\" | false",
          "http.url != \"https://x\" | true",
          "http.url != \"https://api.example.com/api/game/42\" | false",
          "http.url CONTAINS \"/api/game/\" | true",
          "http.url CONTAINS \"/API/GAME/\" | false",
          "http.url BEGINSWITH \"https://api.example.com/\" | true",
          "http.url BEGINSWITH \"http://\" | false",
          "http.url ENDSWITH \"/42\" | true",
          "http.url ENDSWITH \"/43\" | false",
          "http.url contains \"game\" | true",
          "http.url beginsWith \"https\" | true",
          "http.url endswith \"42\" | true",
          "http.method = \"GET\" | true",
          "http.method = \"get\" | false",
          "http.method != \"POST\" | true",
          "http.useragent BEGINSWITH \"curl/\" | true",
          "http.useragent CONTAINS \"Mozilla\" | false",
          "http.clientip = \"10.0.0.7\" | true",
          "http.clientip BEGINSWITH \"10.\" | true",
          "http.clientip ENDSWITH \".8\" | false",
          "HTTP.URL contains \"game\" | true",
          "Http.Method = \"GET\" | true",
          "http.url CONTAINS \"\" | true",
        })
    void compare(String expression, boolean expected) {
      assertThat(matches(expression, trace())).as(expression).isEqualTo(expected);
    }

    @Test
    void missingValuesFailEveryComparison() {
      Facts none = trace().url(null).method(null).userAgent(null).clientIp(null);
      for (String keyword :
          new String[] {"http.url", "http.method", "http.useragent", "http.clientip", "user"}) {
        for (String op : new String[] {"=", "!=", "CONTAINS", "BEGINSWITH", "ENDSWITH"}) {
          String expression = keyword + " " + op + " \"\"";
          assertThat(matches(expression, none)).as(expression).isFalse();
        }
        assertThat(matches(keyword, none)).as(keyword).isFalse();
        assertThat(matches("!" + keyword, none)).as(keyword).isTrue();
      }
      assertThat(matches("http.url", trace())).isTrue();
    }

    @Test
    void userMatchesAnyOfTheTracesUsers() {
      Facts facts = trace().userNames("alice", "bob");
      assertThat(matches("user = \"bob\"", facts)).isTrue();
      assertThat(matches("user = \"carol\"", facts)).isFalse();
      assertThat(matches("user = \"Alice\"", facts)).isFalse();
      assertThat(matches("user BEGINSWITH \"al\"", facts)).isTrue();
      assertThat(matches("user ENDSWITH \"ob\"", facts)).isTrue();
      assertThat(matches("user != \"alice\"", facts)).isTrue(); // bob is not alice
      assertThat(matches("user != \"alice\"", trace().userNames("alice"))).isFalse();
      assertThat(matches("user CONTAINS \"\"", facts)).isTrue(); // X-Ray's "has a user"
      assertThat(matches("user CONTAINS \"\"", trace())).isFalse();
      assertThat(matches("user", facts)).isTrue();
      assertThat(matches("USER = \"alice\"", facts)).isTrue();
    }

    @Test
    void escapesInStringLiterals() {
      assertThat(matches("http.url = \"a\\\"b\"", trace().url("a\"b"))).isTrue();
      assertThat(matches("http.url = \"a\\\\b\"", trace().url("a\\b"))).isTrue();
      assertThat(matches("http.url = \"a\\/b\"", trace().url("a/b"))).isTrue();
      assertThat(matches("http.url = \"a\\nb\\tc\\rd\"", trace().url("a\nb\tc\rd"))).isTrue();
      assertThat(matches("http.url = \"\\u0041\\u00e9\"", trace().url("A\u00e9"))).isTrue();
      assertThat(matches("http.url = \"\\b\\f\"", trace().url("\b\f"))).isTrue();
      assertThat(matches("http.url = \"(a) AND b\"", trace().url("(a) AND b"))).isTrue();
      assertThat(matches("http.url = \"\u65e5\u672c\"", trace().url("\u65e5\u672c"))).isTrue();
    }
  }

  @Nested
  class Annotations {
    final Facts facts =
        trace()
            .annotation("gameid", "817DL6VO")
            .annotation("age", 30L)
            .annotation("ratio", 0.25)
            .annotation("premium", true)
            .annotation("mixed", "5", 7L, false)
            .annotation("1st", "x")
            .annotation("big", 9007199254740993L);

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "annotation.gameid = \"817DL6VO\" | true",
          "annotation.gameid = \"817dl6vo\" | false",
          "annotation.gameid != \"x\" | true",
          "annotation.gameid CONTAINS \"DL6\" | true",
          "annotation.gameid BEGINSWITH \"817\" | true",
          "annotation.gameid ENDSWITH \"VO\" | true",
          "annotation[gameid] = \"817DL6VO\" | true",
          "annotation[ gameid ] = \"817DL6VO\" | true",
          "annotation[\"gameid\"] = \"817DL6VO\" | true",
          "annotation.age > 29 | true",
          "annotation.age >= 30 | true",
          "annotation.age < 30 | false",
          "annotation.age <= 30.0 | true",
          "annotation.age = 30 | true",
          "annotation.age = 30.5 | false",
          "annotation.age != 31 | true",
          "annotation.ratio < 0.3 | true",
          "annotation.ratio = 0.25 | true",
          "annotation.ratio > 0 | true",
          "annotation.premium | true",
          "annotation.premium = true | true",
          "annotation.premium = false | false",
          "annotation.premium != false | true",
          "annotation.premium != true | false",
          "annotation.premium = TRUE | true",
          "annotation.gameid | true",
          "annotation.missing | false",
          "!annotation.missing | true",
          "!annotation.age | false",
          "annotation.missing = \"x\" | false",
          "annotation.missing != \"x\" | false",
          "annotation.missing > 1 | false",
          "annotation.missing = false | false",
          "annotation.1st = \"x\" | true",
          "Annotation.age = 30 | true",
          "annotation.AGE = 30 | false",
          "annotation.big = 9007199254740993 | true",
          "annotation.big = 9007199254740992 | false",
          "annotation.big > 9007199254740992 | true",
        })
    void compare(String expression, boolean expected) {
      assertThat(matches(expression, facts)).as(expression).isEqualTo(expected);
    }

    @Test
    void anyValueOfTheKeyMaySatisfyAndOnlyValuesOfTheLiteralsTypeTakePart() {
      assertThat(matches("annotation.mixed = \"5\"", facts)).isTrue();
      assertThat(matches("annotation.mixed = 5", facts)).isFalse(); // "5" is a string
      assertThat(matches("annotation.mixed = 7", facts)).isTrue();
      assertThat(matches("annotation.mixed > 6", facts)).isTrue();
      assertThat(matches("annotation.mixed = false", facts)).isTrue();
      assertThat(matches("annotation.mixed = true", facts)).isFalse();
      assertThat(matches("annotation.mixed CONTAINS \"5\"", facts)).isTrue();
      assertThat(matches("annotation.age = \"30\"", facts)).isFalse();
      assertThat(matches("annotation.gameid = true", facts)).isFalse();
      Facts twoValues = trace().annotation("n", 1L, 10L);
      assertThat(matches("annotation.n > 5", twoValues)).isTrue();
      assertThat(matches("annotation.n < 5", twoValues)).isTrue();
      assertThat(matches("annotation.n > 5 AND annotation.n < 5", twoValues)).isTrue();
      assertThat(matches("annotation.n = 3", twoValues)).isFalse();
    }

    @Test
    void otherNumberTypesCompareByValue() {
      Facts facts = trace().annotation("n", 3, (short) 4, 5.0f, new java.math.BigDecimal("6.5"));
      assertThat(matches("annotation.n = 3", facts)).isTrue();
      assertThat(matches("annotation.n = 4", facts)).isTrue();
      assertThat(matches("annotation.n = 5", facts)).isTrue();
      assertThat(matches("annotation.n = 6.5", facts)).isTrue();
      assertThat(matches("annotation.n > 6.6", facts)).isFalse();
    }

    @Test
    void bracketsTakeKeysThatDotsCannot() {
      Facts facts = trace().annotation("a.b", "dotted");
      assertThat(matches("annotation[a.b] = \"dotted\"", facts)).isTrue();
      assertThat(matches("annotation[\"a.b\"] = \"dotted\"", facts)).isTrue();
      assertThat(matches("annotation.a.b = \"dotted\"", facts)).isTrue();
    }
  }

  @Nested
  class Edges {
    final Facts facts = trace().serviceNames("api", "backend").edge("api", "backend").edge("backend", "orders-table");

    @Test
    void aCallFromOneNodeToTheOther() {
      assertThat(matches("edge(\"api\", \"backend\")", facts)).isTrue();
      assertThat(matches("edge(\"backend\", \"orders-table\")", facts)).isTrue();
      assertThat(matches("EDGE( id(name: \"api\") , id(name: \"backend\") )", facts)).isTrue();
      assertThat(matches("edge(\"backend\", \"api\")", facts)).isFalse(); // the direction counts
      assertThat(matches("edge(\"api\", \"orders-table\")", facts)).isFalse(); // only direct calls
      assertThat(matches("!edge(\"api\", \"other\") AND service(\"api\")", facts)).isTrue();
    }
  }

  @Nested
  class Services {
    final Facts facts = trace().serviceNames("api", "backend.example.com");

    @Test
    void byName() {
      assertThat(matches("service(\"api\")", facts)).isTrue();
      assertThat(matches("service(\"backend.example.com\")", facts)).isTrue();
      assertThat(matches("service(\"API\")", facts)).isFalse();
      assertThat(matches("service(\"other\")", facts)).isFalse();
      assertThat(matches("!service(\"api\")", facts)).isFalse();
      assertThat(matches("!service(\"other\")", facts)).isTrue();
      assertThat(matches("SERVICE(\"api\")", facts)).isTrue();
      assertThat(matches("service( \"api\" )", facts)).isTrue();
    }

    @Test
    void withIdFunction() {
      assertThat(matches("service(id(name: \"api\"))", facts)).isTrue();
      assertThat(matches("service(id(name:\"other\"))", facts)).isFalse();
      assertThat(matches("service(id(name: \"api\",))", facts)).isTrue();
    }

    @Test
    void anyService() {
      assertThat(matches("service()", facts)).isTrue();
      assertThat(matches("service()", trace().serviceNames())).isFalse();
    }

    @Test
    void anyServiceWithErrorFlags() {
      assertThat(matches("service() { fault }", trace().fault(true))).isTrue();
      assertThat(matches("service() { fault }", trace())).isFalse();
      assertThat(matches("service() { fault = true }", trace().fault(true))).isTrue();
      assertThat(matches("service() { error OR throttle }", trace().throttle(true))).isTrue();
      assertThat(matches("service() {(error || fault)}", trace().error(true))).isTrue();
      assertThat(matches("service(){error}", trace().fault(true))).isFalse();
    }

    @Test
    void combinedWithTraceKeywords() {
      String expression =
          "http.url BEGINSWITH \"https://api.example.com/\" AND http.url CONTAINS \"/game/\""
              + " AND !service(\"api.example.com\")";
      assertThat(matches(expression, facts)).isTrue();
      assertThat(matches(expression, trace().serviceNames("api.example.com"))).isFalse();
    }

    @Test
    void filtersOnANamedServiceAreRejectedClearly() {
      FilterSyntaxException e = syntaxError("service(\"api.example.com\") { fault }");
      assertThat(e.position()).isEqualTo(27);
      assertThat(e.getMessage()).contains("not supported").contains("service(\"name\") { ... }");
      assertThat(syntaxError("service(id(name: \"a\")) { fault }").position()).isEqualTo(23);
    }

    @Test
    void anyServiceFiltersBeyondErrorFlagsAreRejected() {
      for (String text :
          new String[] {
            "service() { ok }",
            "service() { !fault }",
            "service() { fault AND error }",
            "service() { responsetime > 5 }",
            "service() { error = false }",
          }) {
        FilterSyntaxException e = syntaxError(text);
        assertThat(e.position()).as(text).isEqualTo(10);
        assertThat(e.getMessage()).contains("only error, fault and throttle");
      }
    }
  }

  @Nested
  class Combinations {
    final Facts errorOnly = trace().error(true);

    @Test
    void andOrNotInAllSpellings() {
      for (String and : new String[] {"AND", "and", "And", "&&"}) {
        assertThat(matches("error " + and + " http.status = 200", errorOnly)).as(and).isTrue();
        assertThat(matches("error " + and + " fault", errorOnly)).as(and).isFalse();
      }
      for (String or : new String[] {"OR", "or", "Or", "||"}) {
        assertThat(matches("fault " + or + " error", errorOnly)).as(or).isTrue();
        assertThat(matches("fault " + or + " throttle", errorOnly)).as(or).isFalse();
      }
      for (String not : new String[] {"!", "NOT ", "not ", "Not "}) {
        assertThat(matches(not + "fault", errorOnly)).as(not).isTrue();
        assertThat(matches(not + "error", errorOnly)).as(not).isFalse();
      }
      assertThat(matches("error&&!fault", errorOnly)).isTrue();
      assertThat(matches("fault||error", errorOnly)).isTrue();
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
      // error=T fault=F throttle=F
      assertThat(matches("error OR fault AND throttle", errorOnly)).isTrue(); // T or (F and F)
      assertThat(matches("(error OR fault) AND throttle", errorOnly)).isFalse();
      assertThat(matches("fault AND throttle OR error", errorOnly)).isTrue();
      assertThat(matches("fault AND (throttle OR error)", errorOnly)).isFalse();
      assertThat(matches("!fault AND error", errorOnly)).isTrue(); // (!F) and T
      assertThat(matches("!(fault AND error)", errorOnly)).isTrue();
      assertThat(matches("!error OR error", errorOnly)).isTrue(); // (!T) or T
      assertThat(matches("!(error OR fault)", errorOnly)).isFalse();
      assertThat(matches("not error and fault or throttle", errorOnly)).isFalse();
      assertThat(matches("!!error", errorOnly)).isTrue();
      assertThat(matches("!!!error", errorOnly)).isFalse();
      assertThat(matches("not not error", errorOnly)).isTrue();
      assertThat(matches("((((error))))", errorOnly)).isTrue();
      assertThat(matches("!(!(error))", errorOnly)).isTrue();
    }

    @Test
    void adjacentTermsAreAndedAsInXray() {
      // X-Ray's own example: "ok !partial duration <3" (partial aside).
      assertThat(matches("ok !fault duration <3", trace().duration(2))).isTrue();
      assertThat(matches("ok !fault duration <3", trace().duration(4))).isFalse();
      assertThat(matches("error fault", errorOnly)).isFalse();
      assertThat(matches("fault OR error http.status = 200", errorOnly)).isTrue();
      assertThat(matches("fault OR error http.status = 404", errorOnly)).isFalse();
      assertThat(matches("(fault) (error)", errorOnly)).isFalse();
    }

    @Test
    void bareStringKeywordAndNumberComparison() {
      // X-Ray's example: "http.url AND responseTime > 2".
      assertThat(matches("http.url AND responseTime > 2", trace().responseTime(3))).isTrue();
      assertThat(matches("http.url AND responseTime > 2", trace().responseTime(1))).isFalse();
      assertThat(matches("http.url AND responseTime > 2", trace().responseTime(3).url(null)))
          .isFalse();
    }

    @Test
    void longChainsAreFlat() {
      StringBuilder text = new StringBuilder("fault");
      for (int i = 0; i < 150; i++) {
        text.append(" OR fault AND !error");
      }
      text.append(" OR error");
      assertThat(matches(text.toString(), errorOnly)).isTrue();
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        value = {
          "responsetime >                 | 14 | expected a value after '>', found end of input",
          "responsetime > \"5\"           | 15 | expected a number after '>', found \"5\"",
          "responsetime CONTAINS 5        | 13 | operator 'CONTAINS' does not apply to number keyword 'responsetime'",
          "responsetime > 5s              | 15 | invalid number '5s'",
          "http.url = /api                | 11 | unexpected character '/'",
          "http.method = GET              | 14 | expected a quoted string after '=', found 'GET'",
          "http.url < \"a\"               | 9  | operator '<' does not apply to string keyword 'http.url'",
          "http.url CONTAINS \"/api       | 18 | unterminated string (no closing '\"')",
          "http.url = \"a\\qb\"           | 13 | invalid escape '\\q' in string",
          "user = 'alice'                 | 7  | strings are written in double quotes, not single quotes",
          "fault = 1                      | 8  | expected true or false after '=', found '1'",
          "fault > true                   | 6  | operator '>' does not apply to 'fault'",
          "error == true                  | 6  | '==' is not an operator; compare with '='",
          "duration >= 5 AND              | 17 | expected a keyword, found end of input",
          "duration >= 5 AND OR ok        | 18 | expected a keyword, found 'OR'",
          "(ok OR error                   | 12 | expected ')' to close '(' at position 0, found end of input",
          "ok OR error)                   | 11 | unmatched ')'",
          "()                             | 1  | expected a keyword, found ')'",
          "foo = \"bar\"                  | 0  | unknown keyword 'foo'",
          "ok AND partial                 | 7  | the X-Ray keyword 'partial' is not supported by this daemon",
          "edge(\"a\", \"b\") { error }   | 15 | edge(...) { ... } is not supported by this daemon",
          "edge(\"a\")                    | 8  | expected ',' between the two names of edge(...), found ')'",
          "edge(\"a\", b)                 | 10 | expected the called service's name in quotes or id(name: \"...\") in edge(...), found 'b'",
          "edge                           | 4  | expected '(' after 'edge', found end of input",
          "rootcause.fault.service { name = \"x\" } | 0 | the X-Ray keyword 'rootcause.fault.service' is not supported",
          "group.name = \"slow\"          | 0  | the X-Ray keyword 'group.name' is not supported",
          "annotation.                    | 11 | expected an annotation key after 'annotation.'",
          "annotation = 5                 | 0  | expected annotation.KEY or annotation[KEY] after 'annotation'",
          "annotation[key = 5             | 15 | expected ']' after the annotation key",
          "annotation[] = 5               | 11 | expected an annotation key inside 'annotation[...]'",
          "annotation.age < \"x\"         | 15 | operator '<' does not compare strings",
          "annotation.age CONTAINS 3      | 15 | operator 'CONTAINS' does not compare numbers",
          "annotation.ok > true           | 14 | operator '>' does not compare true or false",
          "annotation.x = maybe           | 15 | expected a string, number, true or false after '=', found 'maybe'",
          "service                        | 7  | expected '(' after 'service', found end of input",
          "service(api)                   | 8  | expected a quoted service name, id(name: \"...\") or ')' after 'service(', found 'api'",
          "service(\"a\"                  | 11 | expected ')' to close '(' at position 7, found end of input",
          "service(id(type: \"AWS::Lambda::Function\")) | 11 | id(type: ...) is not supported by this daemon",
          "service(id(name: \"a\" name: \"b\")) | 21 | expected ',' or ')' to close '(' at position 10, found 'name'",
          "service() { fault              | 17 | expected '}' to close '{' at position 10, found end of input",
          "id(name: \"a\")                | 0  | id(...) is only supported inside service(...)",
          "ok # fault                     | 3  | unexpected character '#'",
          "ok & fault                     | 3  | unexpected character '&' (use AND or &&)",
          "ok \"fault\"                   | 3  | expected AND, OR or end of input, found \"fault\"",
          "ok }                           | 3  | unmatched '}'",
          "true                           | 0  | expected a keyword, found 'true'",
          "http.status = 1e999            | 14 | number out of range '1e999'",
          "http.url = \"\\u12\"           | 12 | invalid escape in string: '\\u' needs four hex digits",
        })
    void saysWhereAndWhat(String text, int position, String message) {
      FilterSyntaxException e = syntaxError(text);
      assertThat(e.position()).as(text).isEqualTo(position);
      assertThat(e.getMessage()).as(text).startsWith("at position " + position + ": " + message);
      assertThat(e.reason()).as(text).startsWith(message);
      assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageMatchesTheDocumentedShape() {
      assertThat(syntaxError("responsetime >").getMessage())
          .isEqualTo("at position 14: expected a value after '>', found end of input");
    }

    @Test
    void controlCharactersAreEscapedInMessages() {
      FilterSyntaxException e = syntaxError("ok \u0001");
      assertThat(e.getMessage()).isEqualTo("at position 3: unexpected character '\\u0001'");
      String longWord = "x".repeat(200);
      assertThat(syntaxError(longWord).getMessage()).hasSizeLessThan(120).contains("...");
    }
  }

  @Nested
  class Limits {
    @Test
    void lengthIsBounded() {
      String ok = "ok" + " ".repeat(FilterExpression.MAX_LENGTH - 2);
      assertThat(FilterExpression.parse(ok).matches(trace())).isTrue();
      FilterSyntaxException e = syntaxError(ok + " ");
      assertThat(e.position()).isEqualTo(4096);
      assertThat(e.getMessage()).contains("longer than 4096 characters");
      assertThat(syntaxError(" ".repeat(5000)).position()).isEqualTo(4096);
    }

    @Test
    void nestingIsBounded() {
      String deepest = "(".repeat(64) + "ok" + ")".repeat(64);
      assertThat(matches(deepest, trace())).isTrue();
      FilterSyntaxException e = syntaxError("(".repeat(65) + "ok" + ")".repeat(65));
      assertThat(e.position()).isEqualTo(64);
      assertThat(e.getMessage()).contains("nested deeper than 64");
      String braces = "(".repeat(63) + "service() { fault }" + ")".repeat(63);
      assertThat(matches(braces, trace().fault(true))).isTrue();
      assertThat(syntaxError("(".repeat(64) + "service() { fault }" + ")".repeat(64)).position())
          .isEqualTo(74);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(", "!(", "service() {", "(!", "not ("})
    void hostileNestingIsASyntaxErrorNotAStackOverflow(String opener) {
      String text = opener.repeat(4096 / opener.length());
      assertThatThrownBy(() -> FilterExpression.parse(text))
          .isInstanceOf(FilterSyntaxException.class);
    }

    @Test
    void manyNegationsAreFine() {
      assertThat(matches("!".repeat(4000) + "ok", trace())).isTrue();
      assertThat(matches("!".repeat(4001) + "ok", trace())).isFalse();
    }
  }

  @Nested
  class Evaluation {
    @Test
    void factsThatThrowDoNotMatchAndDoNotThrow() {
      TraceFacts broken =
          new Facts() {
            @Override
            public Collection<Object> annotationValues(String key) {
              throw new IllegalStateException("boom");
            }

            @Override
            public Collection<String> users() {
              return null;
            }

            @Override
            public Collection<String> services() {
              return null;
            }
          };
      assertThat(FilterExpression.parse("annotation.x = 1").matches(broken)).isFalse();
      assertThat(FilterExpression.parse("user").matches(broken)).isFalse();
      assertThat(FilterExpression.parse("service()").matches(broken)).isFalse();
      assertThat(FilterExpression.parse("!service(\"a\")").matches(broken)).isTrue();
    }

    @Test
    void nonListCollectionsWork() {
      TraceFacts setBacked =
          new Facts() {
            @Override
            public Collection<String> users() {
              return new java.util.TreeSet<>(List.of("b", "a"));
            }

            @Override
            public Collection<Object> annotationValues(String key) {
              return new java.util.LinkedList<>(List.of(1L, "x"));
            }
          };
      assertThat(matches("user = \"a\"", setBacked)).isTrue();
      assertThat(matches("annotation.k = \"x\"", setBacked)).isTrue();
      assertThat(matches("annotation.k = 1", setBacked)).isTrue();
      assertThat(matches("annotation.k = 2", setBacked)).isFalse();
    }

    @Test
    void commonKeywordsAllocateNothing() {
      java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
      Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
      Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
      threads.setThreadAllocatedMemoryEnabled(true);
      FilterExpression expression =
          FilterExpression.parse(
              "(responsetime > 0.5 AND http.status >= 500 OR !ok) AND http.url CONTAINS"
                  + " \"/api/\" AND http.method = \"GET\" AND duration < 10 AND"
                  + " annotation.gameid = \"g\" AND user = \"alice\" OR service(\"api\")");
      Facts facts =
          trace().status(503).fault(true).annotation("gameid", "g").userNames("alice");
      facts.services = List.of("x", "api");
      boolean sink = false;
      for (int i = 0; i < 20_000; i++) {
        sink ^= expression.matches(facts);
      }
      long tid = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 100_000; i++) {
        sink ^= expression.matches(facts);
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      assertThat(sink).isFalse(); // matched an even number of times
      // A few hundred bytes of noise at most; an allocation per call would be megabytes.
      assertThat(allocated).isLessThan(64 * 1024);
    }
  }

  /**
   * Random expressions from the grammar, each paired with an independent model of what it means,
   * evaluated on random traces; then random mutations of them, which must either parse or fail
   * with a FilterSyntaxException, and must never make matches() throw.
   */
  @Nested
  class Fuzz {
    static final int VALID = 12_000;
    static final int MUTATED = 24_000;

    record Generated(String text, Predicate<Facts> meaning) {}

    final Random random = new Random(0x5EED_F11E);

    Facts randomTrace() {
      Facts f = new Facts();
      f.responseTime = random.nextInt(4) == 0 ? Double.NaN : random.nextInt(10) / 2.0;
      f.duration = random.nextInt(10) / 2.0;
      f.httpStatus = random.nextInt(4) == 0 ? null : new int[] {200, 404, 429, 500}[random.nextInt(4)];
      f.httpUrl = pick(null, "https://a/api/x", "http://b/", "");
      f.httpMethod = pick(null, "GET", "POST");
      f.httpUserAgent = pick(null, "curl", "Mozilla/5.0");
      f.httpClientIp = pick(null, "10.0.0.1", "::1");
      f.error = random.nextBoolean();
      f.fault = random.nextBoolean();
      f.throttle = random.nextInt(4) == 0;
      f.services = random.nextInt(5) == 0 ? List.of() : List.of("api", pick("db", "web", "api"));
      f.users = random.nextBoolean() ? List.of() : List.of(pick("alice", "bob", ""));
      if (random.nextBoolean()) {
        f.annotation("k", pick("v", "w", ""));
      }
      if (random.nextBoolean()) {
        f.annotation("k", (long) random.nextInt(5));
      }
      if (random.nextBoolean()) {
        f.annotation("k", random.nextBoolean());
      }
      return f;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
      return options[random.nextInt(options.length)];
    }

    Generated expression(int depth) {
      int choice = depth > 4 ? random.nextInt(4) : random.nextInt(8);
      switch (choice) {
        case 4:
          {
            Generated a = expression(depth + 1);
            Generated b = expression(depth + 1);
            String and = pick(" AND ", " and ", " && ", "&&", " ");
            return new Generated(
                "(" + a.text + and + b.text + ")", f -> a.meaning.test(f) && b.meaning.test(f));
          }
        case 5:
          {
            Generated a = expression(depth + 1);
            Generated b = expression(depth + 1);
            String or = pick(" OR ", " or ", " || ", "||");
            return new Generated(
                "(" + a.text + or + b.text + ")", f -> a.meaning.test(f) || b.meaning.test(f));
          }
        case 6:
          {
            Generated a = expression(depth + 1);
            String not = pick("!", "! ", "NOT ", "not ");
            return new Generated(not + "(" + a.text + ")", f -> !a.meaning.test(f));
          }
        case 7:
          {
            // Unparenthesised: a OR b AND !c means a OR (b AND (NOT c)).
            Generated a = term();
            Generated b = term();
            Generated c = term();
            return new Generated(
                "(" + a.text + " OR " + b.text + " AND !" + c.text + ")",
                f -> a.meaning.test(f) || (b.meaning.test(f) && !c.meaning.test(f)));
          }
        default:
          return term();
      }
    }

    Generated term() {
      switch (random.nextInt(7)) {
        case 0:
          {
            String keyword = pick("ok", "error", "fault", "throttle");
            Predicate<Facts> flag =
                switch (keyword) {
                  case "ok" -> f -> !f.error && !f.fault && !f.throttle;
                  case "error" -> f -> f.error;
                  case "fault" -> f -> f.fault;
                  default -> f -> f.throttle;
                };
            boolean literal = random.nextBoolean();
            switch (random.nextInt(3)) {
              case 0:
                return new Generated(keyword, flag);
              case 1:
                return new Generated(keyword + " = " + literal, f -> flag.test(f) == literal);
              default:
                return new Generated(keyword + " != " + literal, f -> flag.test(f) != literal);
            }
          }
        case 1:
          {
            String op = pick("=", "!=", "<", "<=", ">", ">=");
            int which = random.nextInt(3);
            double literal = which == 2 ? pick(200, 404, 429, 500) : random.nextInt(10) / 2.0;
            String keyword = new String[] {"responsetime", "duration", "http.status"}[which];
            String number = which == 2 ? String.valueOf((int) literal) : String.valueOf(literal);
            return new Generated(
                keyword + " " + op + " " + number,
                f -> {
                  double actual =
                      which == 0
                          ? f.responseTime
                          : which == 1
                              ? f.duration
                              : f.httpStatus == null ? Double.NaN : f.httpStatus;
                  return !Double.isNaN(actual) && compare(op, Double.compare(actual, literal));
                });
          }
        case 2:
          {
            String keyword = pick("http.url", "http.method", "http.useragent", "http.clientip");
            String op = pick("=", "!=", "CONTAINS", "BEGINSWITH", "ENDSWITH");
            String literal = pick("", "GET", "http", "api", "1", "curl");
            return new Generated(
                keyword + " " + op + " \"" + literal + "\"",
                f -> {
                  String actual =
                      switch (keyword) {
                        case "http.url" -> f.httpUrl;
                        case "http.method" -> f.httpMethod;
                        case "http.useragent" -> f.httpUserAgent;
                        default -> f.httpClientIp;
                      };
                  return actual != null && stringOp(op, actual, literal);
                });
          }
        case 3:
          {
            String op = pick("=", "!=", "CONTAINS", "BEGINSWITH", "ENDSWITH");
            String literal = pick("", "alice", "bo");
            return new Generated(
                "user " + op + " \"" + literal + "\"",
                f -> f.users.stream().anyMatch(u -> stringOp(op, u, literal)));
          }
        case 4:
          {
            String key = pick("annotation.k", "annotation[k]", "annotation.x");
            String name = key.endsWith("x") ? "x" : "k";
            switch (random.nextInt(4)) {
              case 0:
                return new Generated(key, f -> !f.annotationValues(name).isEmpty());
              case 1:
                {
                  String op = pick("=", "!=", "<", "<=", ">", ">=");
                  long literal = random.nextInt(5);
                  return new Generated(
                      key + " " + op + " " + literal,
                      f ->
                          f.annotationValues(name).stream()
                              .anyMatch(
                                  v -> v instanceof Long l && compare(op, Long.compare(l, literal))));
                }
              case 2:
                {
                  String op = pick("=", "!=", "CONTAINS", "BEGINSWITH", "ENDSWITH");
                  String literal = pick("v", "w", "");
                  return new Generated(
                      key + " " + op + " \"" + literal + "\"",
                      f ->
                          f.annotationValues(name).stream()
                              .anyMatch(v -> v instanceof String s && stringOp(op, s, literal)));
                }
              default:
                {
                  boolean equals = random.nextBoolean();
                  boolean literal = random.nextBoolean();
                  return new Generated(
                      key + (equals ? " = " : " != ") + literal,
                      f ->
                          f.annotationValues(name).stream()
                              .anyMatch(v -> v instanceof Boolean b && (b == literal) == equals));
                }
            }
          }
        case 5:
          {
            String name = pick("api", "db", "web", "other");
            if (random.nextInt(4) == 0) {
              return new Generated("service()", f -> !f.services.isEmpty());
            }
            return new Generated(
                "service(\"" + name + "\")", f -> f.services.contains(name));
          }
        default:
          {
            String inner = pick("fault", "error", "throttle", "fault OR error");
            Predicate<Facts> meaning =
                switch (inner) {
                  case "fault" -> f -> f.fault;
                  case "error" -> f -> f.error;
                  case "throttle" -> f -> f.throttle;
                  default -> f -> f.fault || f.error;
                };
            return new Generated("service() { " + inner + " }", meaning);
          }
      }
    }

    boolean compare(String op, int comparison) {
      return switch (op) {
        case "=" -> comparison == 0;
        case "!=" -> comparison != 0;
        case "<" -> comparison < 0;
        case "<=" -> comparison <= 0;
        case ">" -> comparison > 0;
        default -> comparison >= 0;
      };
    }

    boolean stringOp(String op, String actual, String literal) {
      return switch (op) {
        case "=" -> actual.equals(literal);
        case "!=" -> !actual.equals(literal);
        case "CONTAINS" -> actual.contains(literal);
        case "BEGINSWITH" -> actual.startsWith(literal);
        default -> actual.endsWith(literal);
      };
    }

    static final String[] FRAGMENTS = {
      "(", ")", "{", "}", "[", "]", "\"", "\\", "!", "=", "<", ">", "&", "|", ",", ":", ".",
      "-", "AND", "OR", "NOT", "and ", " or ", "annotation", "annotation.", "annotation[",
      "service(", "id(", "name:", "true", "false", "1e9", "-0.5", "9223372036854775808",
      "responsetime", "http.status", "CONTAINS", "\\u", "\u0000", "\u00e9", "\ud83d", " ",
    };

    String mutate(String text) {
      StringBuilder s = new StringBuilder(text);
      int edits = 1 + random.nextInt(4);
      for (int i = 0; i < edits; i++) {
        int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
        switch (random.nextInt(6)) {
          case 0 -> s.insert(at, pick(FRAGMENTS));
          case 1 -> {
            if (at < s.length()) {
              s.deleteCharAt(at);
            }
          }
          case 2 -> {
            if (at < s.length()) {
              s.setCharAt(at, (char) random.nextInt(128));
            }
          }
          case 3 -> s.setLength(Math.min(s.length(), at));
          case 4 -> s.insert(at, (char) random.nextInt(0x3000));
          default -> {
            int from = random.nextInt(s.length() + 1);
            int to = Math.min(s.length(), from + random.nextInt(20));
            s.insert(at, s.substring(from, to));
          }
        }
      }
      return s.toString();
    }

    @Test
    void generatedExpressionsMeanWhatTheySay() {
      List<Facts> traces = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        traces.add(randomTrace());
      }
      for (int i = 0; i < VALID; i++) {
        Generated generated = expression(0);
        if (generated.text.length() > FilterExpression.MAX_LENGTH) {
          continue;
        }
        FilterExpression parsed;
        try {
          parsed = FilterExpression.parse(generated.text);
        } catch (FilterSyntaxException e) {
          fail("valid expression rejected: " + generated.text + " -> " + e.getMessage());
          return;
        }
        for (Facts trace : traces) {
          assertThat(parsed.matches(trace))
              .as("%s on %s", generated.text, describe(trace))
              .isEqualTo(generated.meaning.test(trace));
        }
      }
    }

    @Test
    void mutatedExpressionsParseOrFailCleanly() {
      List<Facts> traces = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        traces.add(randomTrace());
      }
      int parsedCount = 0;
      int rejectedCount = 0;
      for (int i = 0; i < MUTATED; i++) {
        String text = mutate(expression(random.nextInt(3)).text);
        FilterExpression parsed;
        try {
          parsed = FilterExpression.parse(text);
        } catch (FilterSyntaxException e) {
          rejectedCount++;
          assertThat(e.position()).as(text).isBetween(0, text.length());
          assertThat(e.getMessage()).as(text).startsWith("at position " + e.position() + ": ");
          continue;
        } catch (Throwable t) {
          throw new AssertionError("parse(" + text + ") threw " + t, t);
        }
        parsedCount++;
        assertThat(parsed.toString()).isEqualTo(text);
        for (Facts trace : traces) {
          parsed.matches(trace); // must not throw
        }
      }
      // The mutations exercise both paths (most mutations break the expression).
      assertThat(parsedCount).isGreaterThan(MUTATED / 50);
      assertThat(rejectedCount).isGreaterThan(MUTATED / 2);
    }

    @Test
    void randomCharacterSoupParsesOrFailsCleanly() {
      String alphabet = "()!=<>&|\"\\{}[],: .-_0123456789aeklnorstuAEORNT";
      for (int i = 0; i < 8_000; i++) {
        int length = random.nextInt(40);
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < length; j++) {
          s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String text = s.toString();
        try {
          FilterExpression.parse(text).matches(randomTrace());
        } catch (FilterSyntaxException e) {
          assertThat(e.position()).as(text).isBetween(0, text.length());
        } catch (Throwable t) {
          throw new AssertionError("parse(" + text + ") threw " + t, t);
        }
      }
    }

    String describe(Facts f) {
      return String.format(
          "rt=%s d=%s status=%s url=%s method=%s ua=%s ip=%s e=%s f=%s t=%s services=%s"
              + " users=%s annotations=%s",
          f.responseTime, f.duration, f.httpStatus, f.httpUrl, f.httpMethod, f.httpUserAgent,
          f.httpClientIp, f.error, f.fault, f.throttle, f.services, f.users, f.annotations);
    }
  }
}
