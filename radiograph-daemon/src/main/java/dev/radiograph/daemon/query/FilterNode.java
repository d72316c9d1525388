package dev.radiograph.daemon.query;

import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * A parsed filter expression: a small immutable tree that {@link FilterExpression#matches} walks.
 *
 * <p>RATIONALE: the store evaluates one expression against every trace in a time range, so nodes
 * are final classes with the comparison resolved at parse time (field, operator, literal), and
 * the scalar keywords allocate nothing. A missing value (a {@code null} or a {@code NaN}) fails
 * every comparison, {@code !=} included; {@code !} over the comparison is how to ask for "not
 * equal or absent".
 */
sealed interface FilterNode {

  boolean test(TraceFacts trace);

  /** The empty expression. */
  final class MatchAll implements FilterNode {
    static final MatchAll INSTANCE = new MatchAll();

    private MatchAll() {}

    @Override
    public boolean test(TraceFacts trace) {
      return true;
    }
  }

  final class And implements FilterNode {
    final FilterNode[] parts;

    And(List<FilterNode> parts) {
      this.parts = parts.toArray(new FilterNode[0]);
    }

    @Override
    public boolean test(TraceFacts trace) {
      for (FilterNode part : parts) {
        if (!part.test(trace)) {
          return false;
        }
      }
      return true;
    }
  }

  final class Or implements FilterNode {
    final FilterNode[] parts;

    Or(List<FilterNode> parts) {
      this.parts = parts.toArray(new FilterNode[0]);
    }

    @Override
    public boolean test(TraceFacts trace) {
      for (FilterNode part : parts) {
        if (part.test(trace)) {
          return true;
        }
      }
      return false;
    }
  }

  final class Not implements FilterNode {
    final FilterNode operand;

    Not(FilterNode operand) {
      this.operand = operand;
    }

    @Override
    public boolean test(TraceFacts trace) {
      return !operand.test(trace);
    }
  }

  /** {@code ok}, {@code error}, {@code fault}, {@code throttle}, alone or {@code = true/false}. */
  final class Flag implements FilterNode {
    final FlagKind kind;
    final boolean expected;

    Flag(FlagKind kind, boolean expected) {
      this.kind = kind;
      this.expected = expected;
    }

    @Override
    public boolean test(TraceFacts trace) {
      return kind.get(trace) == expected;
    }
  }

  /** {@code responsetime}, {@code duration}, {@code http.status}: compared, or bare (present). */
  final class NumberTest implements FilterNode {
    final NumberField field;
    final Op op; // null: the value is present
    final double value;

    NumberTest(NumberField field, Op op, double value) {
      this.field = field;
      this.op = op;
      this.value = value;
    }

    @Override
    public boolean test(TraceFacts trace) {
      double actual = field.get(trace);
      if (Double.isNaN(actual)) {
        return false;
      }
      return op == null || op.test(actual, value);
    }
  }

  /** The single-valued string keywords: compared, or bare (present). */
  final class StringTest implements FilterNode {
    final StringField field;
    final Op op; // null: the value is present
    final String value;

    StringTest(StringField field, Op op, String value) {
      this.field = field;
      this.op = op;
      this.value = value;
    }

    @Override
    public boolean test(TraceFacts trace) {
      String actual = field.get(trace);
      if (actual == null) {
        return false;
      }
      return op == null || op.test(actual, value);
    }
  }

  /** {@code user}: any of the trace's users satisfies the comparison; bare: there is a user. */
  final class UserTest implements FilterNode {
    final Op op; // null: some user is set
    final String value;

    UserTest(Op op, String value) {
      this.op = op;
      this.value = value;
    }

    @Override
    public boolean test(TraceFacts trace) {
      Collection<String> users = trace.users();
      if (users == null) {
        return false;
      }
      if (users instanceof List<String> list && users instanceof RandomAccess) {
        for (int i = 0, n = list.size(); i < n; i++) {
          if (matches(list.get(i))) {
            return true;
          }
        }
        return false;
      }
      for (String user : users) {
        if (matches(user)) {
          return true;
        }
      }
      return false;
    }

    private boolean matches(String user) {
      return user != null && (op == null || op.test(user, value));
    }
  }

  /** {@code service("name")}, {@code service()}: the trace has a service by that name, or any. */
  final class ServiceTest implements FilterNode {
    final String name; // null: any service

    ServiceTest(String name) {
      this.name = name;
    }

    @Override
    public boolean test(TraceFacts trace) {
      Collection<String> services = trace.services();
      if (services == null) {
        return false;
      }
      if (name == null) {
        return !services.isEmpty();
      }
      return services.contains(name);
    }
  }

  /** {@code edge("from", "to")}: the trace has a call from service {@code from} to {@code to}. */
  final class EdgeTest implements FilterNode {
    final String from;
    final String to;

    EdgeTest(String from, String to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public boolean test(TraceFacts trace) {
      return trace.hasEdge(from, to);
    }
  }

  /**
   * {@code annotation.KEY}: a trace matches if any of its values for the key satisfies the
   * comparison. Only values of the literal's type take part: {@code annotation.n = 5} does not
   * match the string {@code "5"}. Bare, it matches when the key has any value.
   */
  abstract sealed class AnnotationTest implements FilterNode
      permits AnnotationPresent, AnnotationString, AnnotationNumber, AnnotationBoolean {
    final String key;

    AnnotationTest(String key) {
      this.key = key;
    }

    @Override
    public final boolean test(TraceFacts trace) {
      Collection<Object> values = trace.annotationValues(key);
      if (values == null) {
        return false;
      }
      if (values instanceof List<Object> list && values instanceof RandomAccess) {
        for (int i = 0, n = list.size(); i < n; i++) {
          Object value = list.get(i);
          if (value != null && matches(value)) {
            return true;
          }
        }
        return false;
      }
      for (Object value : values) {
        if (value != null && matches(value)) {
          return true;
        }
      }
      return false;
    }

    abstract boolean matches(Object value);
  }

  final class AnnotationPresent extends AnnotationTest {
    AnnotationPresent(String key) {
      super(key);
    }

    @Override
    boolean matches(Object value) {
      return true;
    }
  }

  final class AnnotationString extends AnnotationTest {
    final Op op;
    final String literal;

    AnnotationString(String key, Op op, String literal) {
      super(key);
      this.op = op;
      this.literal = literal;
    }

    @Override
    boolean matches(Object value) {
      return value instanceof String s && op.test(s, literal);
    }
  }

  final class AnnotationNumber extends AnnotationTest {
    final Op op;
    final double literal;
    final boolean exactLong; // the literal is an integer that fits a long: compare longs exactly
    final long longLiteral;

    AnnotationNumber(String key, Op op, double literal, boolean exactLong, long longLiteral) {
      super(key);
      this.op = op;
      this.literal = literal;
      this.exactLong = exactLong;
      this.longLiteral = longLiteral;
    }

    @Override
    boolean matches(Object value) {
      if (value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof Byte) {
        long actual = ((Number) value).longValue();
        if (exactLong) {
          return op.test(Long.compare(actual, longLiteral));
        }
        return op.test((double) actual, literal);
      }
      if (value instanceof Number number) {
        double actual = number.doubleValue();
        return !Double.isNaN(actual) && op.test(actual, literal);
      }
      return false;
    }
  }

  final class AnnotationBoolean extends AnnotationTest {
    final boolean expected; // = true and != false both mean "expected true"

    AnnotationBoolean(String key, boolean expected) {
      super(key);
      this.expected = expected;
    }

    @Override
    boolean matches(Object value) {
      return value instanceof Boolean b && b == expected;
    }
  }

  enum FlagKind {
    OK {
      @Override
      boolean get(TraceFacts trace) {
        return !trace.hasError() && !trace.hasFault() && !trace.hasThrottle();
      }
    },
    ERROR {
      @Override
      boolean get(TraceFacts trace) {
        return trace.hasError();
      }
    },
    FAULT {
      @Override
      boolean get(TraceFacts trace) {
        return trace.hasFault();
      }
    },
    THROTTLE {
      @Override
      boolean get(TraceFacts trace) {
        return trace.hasThrottle();
      }
    };

    abstract boolean get(TraceFacts trace);
  }

  enum NumberField {
    RESPONSE_TIME {
      @Override
      double get(TraceFacts trace) {
        return trace.responseTime();
      }
    },
    DURATION {
      @Override
      double get(TraceFacts trace) {
        return trace.duration();
      }
    },
    HTTP_STATUS {
      @Override
      double get(TraceFacts trace) {
        Integer status = trace.httpStatus();
        return status == null ? Double.NaN : status;
      }
    };

    /** The value, or {@code NaN} when the trace has none. */
    abstract double get(TraceFacts trace);
  }

  enum StringField {
    URL {
      @Override
      String get(TraceFacts trace) {
        return trace.httpUrl();
      }
    },
    METHOD {
      @Override
      String get(TraceFacts trace) {
        return trace.httpMethod();
      }
    },
    USER_AGENT {
      @Override
      String get(TraceFacts trace) {
        return trace.httpUserAgent();
      }
    },
    CLIENT_IP {
      @Override
      String get(TraceFacts trace) {
        return trace.httpClientIp();
      }
    };

    abstract String get(TraceFacts trace);
  }

  /** Comparison operators. String comparisons are case-sensitive, as in X-Ray. */
  enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    CONTAINS("CONTAINS"),
    BEGINSWITH("BEGINSWITH"),
    ENDSWITH("ENDSWITH");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** Whether the operator compares numbers. */
    boolean forNumbers() {
      return this != CONTAINS && this != BEGINSWITH && this != ENDSWITH;
    }

    /** Whether the operator compares strings. */
    boolean forStrings() {
      return this == EQ || this == NE || !forNumbers();
    }

    boolean test(double actual, double literal) {
      switch (this) {
        case EQ:
          return actual == literal;
        case NE:
          return actual != literal;
        case LT:
          return actual < literal;
        case LE:
          return actual <= literal;
        case GT:
          return actual > literal;
        case GE:
          return actual >= literal;
        default:
          return false;
      }
    }

    /** {@code comparison} is {@code actual} compared to the literal, as {@link Long#compare}. */
    boolean test(int comparison) {
      switch (this) {
        case EQ:
          return comparison == 0;
        case NE:
          return comparison != 0;
        case LT:
          return comparison < 0;
        case LE:
          return comparison <= 0;
        case GT:
          return comparison > 0;
        case GE:
          return comparison >= 0;
        default:
          return false;
      }
    }

    boolean test(String actual, String literal) {
      switch (this) {
        case EQ:
          return actual.equals(literal);
        case NE:
          return !actual.equals(literal);
        case CONTAINS:
          return actual.contains(literal);
        case BEGINSWITH:
          return actual.startsWith(literal);
        case ENDSWITH:
          return actual.endsWith(literal);
        default:
          return false;
      }
    }
  }
}
