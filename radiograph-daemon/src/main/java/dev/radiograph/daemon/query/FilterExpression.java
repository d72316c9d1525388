package dev.radiograph.daemon.query;

/**
 * An X-Ray filter expression, as accepted by GetTraceSummaries' {@code FilterExpression} and the
 * viewer's search box: {@code responsetime > 5 AND http.url CONTAINS "/api/"}, {@code
 * annotation.gameid = "817DL6VO"}, {@code service("api") AND !ok}.
 *
 * <p>Parse once with {@link #parse}, then call {@link #matches} for each trace. Instances are
 * immutable and thread-safe.
 *
 * <p>What is supported:
 *
 * <ul>
 *   <li>Boolean keywords {@code ok}, {@code error}, {@code fault}, {@code throttle}: bare, with
 *       {@code !}, or compared {@code = true}, {@code != false}. {@code ok} means no error, fault
 *       or throttle.
 *   <li>Number keywords {@code responsetime}, {@code duration}, {@code http.status} with {@code =
 *       != < <= > >=}.
 *   <li>String keywords {@code http.url}, {@code http.method}, {@code http.useragent}, {@code
 *       http.clientip}, {@code user} with {@code = !=}, {@code CONTAINS}, {@code BEGINSWITH},
 *       {@code ENDSWITH}; values in double quotes with backslash escapes; case-sensitive.
 *   <li>A bare value keyword ({@code http.url}, {@code user}, {@code http.status}) means "is
 *       set".
 *   <li>{@code annotation.KEY} or {@code annotation[KEY]} compared to a string, number or boolean
 *       with the operators of that type; bare, "has the annotation". Any of the trace's values for
 *       the key may satisfy the comparison.
 *   <li>{@code service("name")}, {@code service(id(name: "name"))}, {@code service()}; and {@code
 *       service() { fault }} (error, fault, throttle, joined with OR).
 *   <li>{@code edge("a", "b")} (names or {@code id(name: "...")}): the trace has a call from a to
 *       b, an edge of the service map.
 *   <li>{@code AND}/{@code &&}, {@code OR}/{@code ||}, {@code NOT}/{@code !}, parentheses; {@code
 *       NOT} binds tightest, then {@code AND}, then {@code OR}; adjacent terms are ANDed as in
 *       X-Ray ({@code ok !fault duration < 3}). Keywords and operators are case-insensitive.
 *   <li>{@code group.name = "name"}, {@code group.arn = "arn"} (or {@code !=}): the group's own
 *       filter, when parsed with {@link #parse(String, FilterGroups)}; a group's filter cannot
 *       name another group.
 * </ul>
 *
 * <p>A comparison on a value the trace does not have is false ({@code http.status != 200} does not
 * match a trace without a status; {@code !(http.status = 200)} does).
 */
public final class FilterExpression {

  /** The longest expression {@link #parse} accepts, in chars. */
  public static final int MAX_LENGTH = 4096;

  /** How deeply parentheses and braces may nest. */
  public static final int MAX_DEPTH = 64;

  private static final FilterExpression MATCH_ALL =
      new FilterExpression("", FilterNode.MatchAll.INSTANCE);

  private final String text;
  private final FilterNode root;

  private FilterExpression(String text, FilterNode root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Parses {@code text}. A null or blank text gives an expression that matches every trace.
   *
   * @throws FilterSyntaxException if the text is not a valid filter expression, is longer than
   *     {@link #MAX_LENGTH} or nests deeper than {@link #MAX_DEPTH}; nothing else is thrown
   */
  public static FilterExpression parse(String text) {
    return parse(text, null);
  }

  /**
   * Parses {@code text} as {@link #parse(String)} does, resolving {@code group.name} and
   * {@code group.arn} through {@code groups} (when null, they are refused as unsupported).
   *
   * @throws FilterSyntaxException as {@link #parse(String)} does, and for a group that does not exist
   */
  public static FilterExpression parse(String text, FilterGroups groups) {
    if (text == null) {
      return MATCH_ALL;
    }
    if (text.length() > MAX_LENGTH) {
      throw new FilterSyntaxException(
          MAX_LENGTH, "filter expression longer than " + MAX_LENGTH + " characters");
    }
    if (text.isBlank()) {
      return text.isEmpty() ? MATCH_ALL : new FilterExpression(text, FilterNode.MatchAll.INSTANCE);
    }
    FilterNode root;
    try {
      root = FilterParser.parse(text, groups);
    } catch (FilterSyntaxException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Not expected; but a bad expression must never become a 500.
      throw new FilterSyntaxException(0, "cannot parse filter expression (" + e + ")");
    }
    return new FilterExpression(text, root);
  }

  /**
   * Whether {@code trace} satisfies this expression. Never throws: a trace whose facts throw does
   * not match.
   */
  public boolean matches(TraceFacts trace) {
    if (trace == null) {
      return false;
    }
    try {
      return root.test(trace);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** This expression's tree, to become a part of another ({@code group.name}). */
  FilterNode root() {
    return root;
  }

  /** Whether this expression matches every trace (it was null or blank). */
  public boolean matchesEverything() {
    return root == FilterNode.MatchAll.INSTANCE;
  }

  /** The source text, as given to {@link #parse} ({@code ""} for null). */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FilterExpression that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
