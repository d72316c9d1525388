package dev.radiograph.daemon.query;

import dev.radiograph.daemon.query.FilterLexer.Kind;
import dev.radiograph.daemon.query.FilterLexer.Token;
import dev.radiograph.daemon.query.FilterNode.AnnotationBoolean;
import dev.radiograph.daemon.query.FilterNode.AnnotationNumber;
import dev.radiograph.daemon.query.FilterNode.AnnotationPresent;
import dev.radiograph.daemon.query.FilterNode.AnnotationString;
import dev.radiograph.daemon.query.FilterNode.Flag;
import dev.radiograph.daemon.query.FilterNode.FlagKind;
import dev.radiograph.daemon.query.FilterNode.NumberField;
import dev.radiograph.daemon.query.FilterNode.NumberTest;
import dev.radiograph.daemon.query.FilterNode.Op;
import dev.radiograph.daemon.query.FilterNode.ServiceTest;
import dev.radiograph.daemon.query.FilterNode.StringField;
import dev.radiograph.daemon.query.FilterNode.StringTest;
import dev.radiograph.daemon.query.FilterNode.UserTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recursive descent over X-Ray's filter expression grammar:
 *
 * <pre>
 * expression := or END
 * or         := and (("OR" | "||") and)*
 * and        := unary (("AND" | "&amp;&amp;")? unary)*      adjacent terms are ANDed, as in X-Ray's
 *                                                  example {@code ok !partial duration <3}
 * unary      := ("!" | "NOT")* primary
 * primary    := "(" or ")"
 *             | "service" "(" [STRING | id(name: STRING)] ")" ["{" or "}"]
 *             | "edge" "(" (STRING | id(name: STRING)) "," (STRING | id(name: STRING)) ")"
 *             | ANNOTATION [operator (STRING | NUMBER | true | false)]
 *             | KEYWORD [operator value]
 * </pre>
 *
 * <p>Recursion happens only at "(" and "{", and {@link FilterExpression#MAX_DEPTH} bounds it, so
 * hostile input cannot exhaust the stack. Every error is a {@link FilterSyntaxException} with the
 * offset of the token that is wrong.
 */
final class FilterParser {

  private enum Type {
    BOOLEAN,
    NUMBER,
    STRING,
    USER,
    EDGE,
    SERVICE
  }

  private record Keyword(
      String name, Type type, FlagKind flag, NumberField number, StringField string) {}

  private static final Map<String, Keyword> KEYWORDS =
      Map.ofEntries(
          flag("ok", FlagKind.OK),
          flag("error", FlagKind.ERROR),
          flag("fault", FlagKind.FAULT),
          flag("throttle", FlagKind.THROTTLE),
          number("responsetime", NumberField.RESPONSE_TIME),
          number("duration", NumberField.DURATION),
          number("http.status", NumberField.HTTP_STATUS),
          string("http.url", StringField.URL),
          string("http.method", StringField.METHOD),
          string("http.useragent", StringField.USER_AGENT),
          string("http.clientip", StringField.CLIENT_IP),
          Map.entry("user", new Keyword("user", Type.USER, null, null, null)),
          Map.entry("service", new Keyword("service", Type.SERVICE, null, null, null)),
          Map.entry("edge", new Keyword("edge", Type.EDGE, null, null, null)));

  /** X-Ray keywords this daemon does not have the facts for (yet). */
  private static final List<String> UNSUPPORTED =
      List.of(
          "partial", "inferred", "first", "last", "remote", "root", "index", "coverage", "name",
          "type", "message", "availabilityzone", "instance.id", "resource.arn",
          "group.name", "group.arn", "json");

  private final String src;
  private final FilterGroups groups;
  private final FilterLexer lexer;
  private Token token;
  private int depth;

  private FilterParser(String src, FilterGroups groups) {
    this.src = src;
    this.groups = groups;
    this.lexer = new FilterLexer(src);
  }

  /**
   * Parses non-blank {@code src} of at most {@link FilterExpression#MAX_LENGTH} chars; {@code
   * groups} resolves {@code group.name}/{@code group.arn}, or is null where there are none.
   */
  static FilterNode parse(String src, FilterGroups groups) {
    FilterParser parser = new FilterParser(src, groups);
    parser.advance();
    FilterNode node = parser.or();
    if (parser.token.kind() == Kind.RPAREN) {
      throw parser.error("unmatched ')'");
    }
    if (parser.token.kind() == Kind.RBRACE) {
      throw parser.error("unmatched '}'");
    }
    if (parser.token.kind() != Kind.END) {
      throw parser.error("expected AND, OR or end of input, found " + parser.token.describe());
    }
    return node;
  }

  private FilterNode or() {
    List<FilterNode> parts = new ArrayList<>(2);
    parts.add(and());
    while (token.kind() == Kind.OR_OR || token.isWord("or")) {
      advance();
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new FilterNode.Or(parts);
  }

  private FilterNode and() {
    List<FilterNode> parts = new ArrayList<>(2);
    parts.add(unary());
    while (true) {
      if (token.kind() == Kind.AND_AND || token.isWord("and")) {
        advance();
      } else if (!startsTerm(token)) {
        break;
      }
      parts.add(unary());
    }
    return parts.size() == 1 ? parts.get(0) : new FilterNode.And(parts);
  }

  /** Whether {@code t} can begin a term, which then joins the previous one with an implicit AND. */
  private static boolean startsTerm(Token t) {
    switch (t.kind()) {
      case BANG:
      case LPAREN:
      case ANNOTATION:
        return true;
      case WORD:
        return !t.isWord("or") && !t.isWord("and") && operatorWord(t) == null;
      default:
        return false;
    }
  }

  private FilterNode unary() {
    boolean negate = false;
    while (token.kind() == Kind.BANG || token.isWord("not")) {
      negate = !negate;
      advance();
    }
    FilterNode node = primary();
    return negate ? new FilterNode.Not(node) : node;
  }

  private FilterNode primary() {
    Token t = token;
    switch (t.kind()) {
      case LPAREN:
        {
          enter();
          advance();
          FilterNode inner = or();
          expectClose(Kind.RPAREN, "')' to close '(' at position " + t.start());
          depth--;
          return inner;
        }
      case ANNOTATION:
        advance();
        return annotation(t);
      case WORD:
        return keyword(t);
      case END:
        throw error("expected a keyword, found end of input");
      default:
        throw error("expected a keyword, found " + t.describe());
    }
  }

  private FilterNode keyword(Token t) {
    String lower = t.text().toLowerCase(Locale.ROOT);
    Keyword keyword = KEYWORDS.get(lower);
    if (keyword == null && groups != null && (lower.equals("group.name") || lower.equals("group.arn"))) {
      advance();
      return group(t, lower.substring("group.".length()));
    }
    if (keyword == null) {
      if (lower.equals("and") || lower.equals("or")) {
        throw error("expected a keyword, found '" + t.text() + "'");
      }
      if (lower.equals("true") || lower.equals("false")) {
        throw error("expected a keyword, found '" + t.text() + "' (write e.g. 'error = true')");
      }
      if (lower.equals("id")) {
        throw error("id(...) is only supported inside service(...)");
      }
      if (lower.startsWith("rootcause.") || lower.equals("rootcause")
          || UNSUPPORTED.contains(lower)) {
        throw error(
            "the X-Ray keyword '" + printable(t.text()) + "' is not supported by this daemon");
      }
      throw error("unknown keyword '" + printable(t.text()) + "'");
    }
    advance();
    switch (keyword.type()) {
      case BOOLEAN:
        return flag(keyword);
      case NUMBER:
        return numberKeyword(keyword);
      case STRING:
      case USER:
        return stringKeyword(keyword);
      case EDGE:
        return edge(t);
      case SERVICE:
      default:
        return service(t);
    }
  }

  /** {@code group.name = "x"} or {@code group.arn != "..."}: the group's filter, or its negation. */
  private FilterNode group(Token keyword, String field) {
    Token opToken = token;
    Op op = operator(opToken);
    if (op != Op.EQ && op != Op.NE) {
      throw error("compare '" + keyword.text() + "' with = or != to a quoted group " + field);
    }
    advance();
    Token value = token;
    if (value.kind() != Kind.STRING) {
      throw error(expectedAfter("a quoted string", opToken, value));
    }
    FilterExpression filter = groups.filterOf(field, value.value());
    if (filter == null) {
      throw error("no group with " + field + " \"" + printable(value.value()) + "\"");
    }
    advance();
    return op == Op.EQ ? filter.root() : new FilterNode.Not(filter.root());
  }

  private FilterNode flag(Keyword keyword) {
    Token opToken = token;
    Op op = operator(opToken);
    if (op == null) {
      return new Flag(keyword.flag(), true);
    }
    if (op != Op.EQ && op != Op.NE) {
      throw error(
          "operator '" + opToken.text() + "' does not apply to '" + keyword.name()
              + "'; compare it with = or != to true or false");
    }
    advance();
    Boolean literal = booleanLiteral(token);
    if (literal == null) {
      throw error(
          token.kind() == Kind.END
              ? "expected a value after '" + opToken.text() + "', found end of input"
              : "expected true or false after '" + opToken.text() + "', found "
                  + token.describe());
    }
    advance();
    return new Flag(keyword.flag(), (op == Op.EQ) == literal);
  }

  private FilterNode numberKeyword(Keyword keyword) {
    Token opToken = token;
    Op op = operator(opToken);
    if (op == null) {
      return new NumberTest(keyword.number(), null, 0);
    }
    if (!op.forNumbers()) {
      throw error(
          "operator '" + opToken.text() + "' does not apply to number keyword '"
              + keyword.name() + "'");
    }
    advance();
    Token value = token;
    if (value.kind() != Kind.NUMBER) {
      throw error(expectedAfter("a number", opToken, value));
    }
    advance();
    return new NumberTest(keyword.number(), op, value.number());
  }

  private FilterNode stringKeyword(Keyword keyword) {
    Token opToken = token;
    Op op = operator(opToken);
    if (op == null) {
      return keyword.type() == Type.USER
          ? new UserTest(null, null)
          : new StringTest(keyword.string(), null, null);
    }
    if (!op.forStrings()) {
      throw error(
          "operator '" + opToken.text() + "' does not apply to string keyword '"
              + keyword.name() + "'; use =, !=, CONTAINS, BEGINSWITH or ENDSWITH");
    }
    advance();
    Token value = token;
    if (value.kind() != Kind.STRING) {
      throw error(expectedAfter("a quoted string", opToken, value));
    }
    advance();
    return keyword.type() == Type.USER
        ? new UserTest(op, value.value())
        : new StringTest(keyword.string(), op, value.value());
  }

  private FilterNode annotation(Token annotation) {
    String key = annotation.value();
    Token opToken = token;
    Op op = operator(opToken);
    if (op == null) {
      return new AnnotationPresent(key);
    }
    advance();
    Token value = token;
    Boolean bool = booleanLiteral(value);
    if (value.kind() == Kind.STRING) {
      if (!op.forStrings()) {
        throw error(opToken, "operator '" + opToken.text() + "' does not compare strings");
      }
      advance();
      return new AnnotationString(key, op, value.value());
    }
    if (value.kind() == Kind.NUMBER) {
      if (!op.forNumbers()) {
        throw error(opToken, "operator '" + opToken.text() + "' does not compare numbers");
      }
      advance();
      return new AnnotationNumber(
          key, op, value.number(), value.exactLong(), value.longValue());
    }
    if (bool != null && value.kind() == Kind.WORD) {
      if (op != Op.EQ && op != Op.NE) {
        throw error(opToken, "operator '" + opToken.text() + "' does not compare true or false");
      }
      advance();
      return new AnnotationBoolean(key, (op == Op.EQ) == bool);
    }
    throw error(expectedAfter("a string, number, true or false", opToken, value));
  }

  /** {@code service(...)} with an optional {@code { filter }}; the token is after the keyword. */
  private FilterNode service(Token keyword) {
    if (token.kind() != Kind.LPAREN) {
      throw error("expected '(' after '" + keyword.text() + "', found " + token.describe());
    }
    Token open = token;
    advance();
    String name = null;
    if (token.kind() == Kind.STRING) {
      name = token.value();
      advance();
    } else if (token.isWord("id")) {
      name = idFunction();
    } else if (token.kind() != Kind.RPAREN) {
      throw error(
          "expected a quoted service name, id(name: \"...\") or ')' after 'service(', found "
              + token.describe());
    }
    expectClose(Kind.RPAREN, "')' to close '(' at position " + open.start());
    if (token.kind() != Kind.LBRACE) {
      return new ServiceTest(name);
    }
    Token brace = token;
    if (name != null) {
      throw error(
          "service(\"name\") { ... } is not supported by this daemon: it cannot yet apply a filter"
              + " to one service's segments; write service(\"name\") AND ... for a trace-level"
              + " filter");
    }
    enter();
    advance();
    FilterNode inner = or();
    expectClose(Kind.RBRACE, "'}' to close '{' at position " + brace.start());
    depth--;
    if (!anySegmentFlags(inner)) {
      throw error(
          brace,
          "inside service() { ... } this daemon supports only error, fault and throttle,"
              + " joined with OR");
    }
    // "Some service's segment has a fault" is exactly what hasFault() tells.
    return inner;
  }

  /** {@code edge("from", "to")}: the trace has a call from one to the other (after the keyword). */
  private FilterNode edge(Token keyword) {
    if (token.kind() != Kind.LPAREN) {
      throw error("expected '(' after '" + keyword.text() + "', found " + token.describe());
    }
    Token open = token;
    advance();
    String from = edgeEnd("the calling service's name");
    if (token.kind() != Kind.COMMA) {
      throw error("expected ',' between the two names of edge(...), found " + token.describe());
    }
    advance();
    String to = edgeEnd("the called service's name");
    expectClose(Kind.RPAREN, "')' to close '(' at position " + open.start());
    if (token.kind() == Kind.LBRACE) {
      throw error("edge(...) { ... } is not supported by this daemon");
    }
    return new FilterNode.EdgeTest(from, to);
  }

  private String edgeEnd(String what) {
    if (token.kind() == Kind.STRING) {
      String name = token.value();
      advance();
      return name;
    }
    if (token.isWord("id")) {
      return idFunction();
    }
    throw error("expected " + what + " in quotes or id(name: \"...\") in edge(...), found " + token.describe());
  }

  /** Whether {@code node} is error/fault/throttle (true), or an OR of such. */
  private static boolean anySegmentFlags(FilterNode node) {
    if (node instanceof Flag flag) {
      return flag.expected && flag.kind != FlagKind.OK;
    }
    if (node instanceof FilterNode.Or or) {
      for (FilterNode part : or.parts) {
        if (!anySegmentFlags(part)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** {@code id(name: "n")}; the token is {@code id}. Returns the name. */
  private String idFunction() {
    Token id = token;
    advance();
    if (token.kind() != Kind.LPAREN) {
      throw error("expected '(' after 'id', found " + token.describe());
    }
    Token open = token;
    advance();
    String name = null;
    while (token.kind() != Kind.RPAREN) {
      Token field = token;
      if (field.kind() != Kind.WORD) {
        throw error("expected name: \"...\" inside id(...), found " + field.describe());
      }
      if (!field.isWord("name")) {
        if (field.isWord("type") || field.isWord("account.id")) {
          throw error(
              "id(" + field.text() + ": ...) is not supported by this daemon; only"
                  + " id(name: \"...\") is");
        }
        throw error("unknown field '" + printable(field.text()) + "' in id(...)");
      }
      advance();
      if (token.kind() != Kind.COLON) {
        throw error("expected ':' after '" + field.text() + "', found " + token.describe());
      }
      advance();
      if (token.kind() != Kind.STRING) {
        throw error("expected a quoted string after ':', found " + token.describe());
      }
      if (name != null) {
        throw error(field, "'name' given twice in id(...)");
      }
      name = token.value();
      advance();
      if (token.kind() == Kind.COMMA) {
        advance();
      } else if (token.kind() != Kind.RPAREN) {
        throw error(
            "expected ',' or ')' to close '(' at position " + open.start() + ", found "
                + token.describe());
      }
    }
    if (name == null) {
      throw error(id, "id(...) needs name: \"...\"");
    }
    advance();
    return name;
  }

  private static Op operator(Token t) {
    switch (t.kind()) {
      case EQ:
        return Op.EQ;
      case NE:
        return Op.NE;
      case LT:
        return Op.LT;
      case LE:
        return Op.LE;
      case GT:
        return Op.GT;
      case GE:
        return Op.GE;
      case WORD:
        return operatorWord(t);
      default:
        return null;
    }
  }

  private static Op operatorWord(Token t) {
    if (t.isWord("contains")) {
      return Op.CONTAINS;
    }
    if (t.isWord("beginswith")) {
      return Op.BEGINSWITH;
    }
    if (t.isWord("endswith")) {
      return Op.ENDSWITH;
    }
    return null;
  }

  /** {@code true}/{@code false}, bare or quoted, any case; otherwise null. */
  private static Boolean booleanLiteral(Token t) {
    if (t.kind() != Kind.WORD && t.kind() != Kind.STRING) {
      return null;
    }
    String text = t.kind() == Kind.WORD ? t.text() : t.value();
    if (text.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (text.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static String expectedAfter(String what, Token op, Token found) {
    if (found.kind() == Kind.END) {
      return "expected a value after '" + op.text() + "', found end of input";
    }
    return "expected " + what + " after '" + op.text() + "', found " + found.describe();
  }

  private void expectClose(Kind kind, String what) {
    if (token.kind() != kind) {
      throw error("expected " + what + ", found " + token.describe());
    }
    advance();
  }

  private void enter() {
    if (++depth > FilterExpression.MAX_DEPTH) {
      throw error("expression nested deeper than " + FilterExpression.MAX_DEPTH + " levels");
    }
  }

  private void advance() {
    token = lexer.next();
  }

  private FilterSyntaxException error(String reason) {
    return error(token, reason);
  }

  private FilterSyntaxException error(Token at, String reason) {
    return new FilterSyntaxException(at.kind() == Kind.END ? src.length() : at.start(), reason);
  }

  private static String printable(String text) {
    return FilterLexer.printable(text, 40);
  }

  private static Map.Entry<String, Keyword> flag(String name, FlagKind kind) {
    return Map.entry(name, new Keyword(name, Type.BOOLEAN, kind, null, null));
  }

  private static Map.Entry<String, Keyword> number(String name, NumberField field) {
    return Map.entry(name, new Keyword(name, Type.NUMBER, null, field, null));
  }

  private static Map.Entry<String, Keyword> string(String name, StringField field) {
    return Map.entry(name, new Keyword(name, Type.STRING, null, null, field));
  }
}
