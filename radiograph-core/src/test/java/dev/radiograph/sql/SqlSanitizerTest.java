package dev.radiograph.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlSanitizerTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      SELECT * FROM orders WHERE id = 42                         | SELECT * FROM orders WHERE id = ?
      SELECT * FROM t WHERE name = 'O''Brien' AND x = 1.5e-3     | SELECT * FROM t WHERE name = ? AND x = ?
      INSERT INTO t (a, b) VALUES ('x', -7), ('y', .5)           | INSERT INTO t (a, b) VALUES (?, -?), (?, ?)
      SELECT col1, t2.c3 FROM t2 WHERE c3 IN (1, 2, 3)           | SELECT col1, t2.c3 FROM t2 WHERE c3 IN (?, ?, ?)
      SELECT "Name 1" FROM "T2" WHERE `k` = 0x1F                 | SELECT "Name 1" FROM "T2" WHERE `k` = ?
      SELECT E'a\\'b', N'x', X'0A', b'01' FROM dual              | SELECT ?, ?, ?, ? FROM dual
      SELECT $$secret$$, $tag$it's$tag$ WHERE a = $1             | SELECT ?, ? WHERE a = $1
      SELECT * FROM t WHERE a = ? AND b = :name AND c = @p1      | SELECT * FROM t WHERE a = ? AND b = :name AND c = @p1
      SELECT '5'::int -- a comment 7                             | SELECT ?::int -- a comment 7
      SELECT /* hint 9 */ 1                                      | SELECT /* hint 9 */ ?
      SELECT 'unterminated AND password = 'x                     | SELECT ?x
      UPDATE t SET v = 'it''s' WHERE k = 'a\\'b' AND n = 3       | UPDATE t SET v = ? WHERE k = ? AND n = ?
      """)
  void replacesLiteralsAndKeepsTheRest(String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(sql)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"12000", "9000"})
  void cutsLongQueries(int length) {
    String sql = "SELECT " + "a".repeat(length);
    assertThat(SqlSanitizer.sanitize(sql)).hasSize(SqlSanitizer.MAX_QUERY_LENGTH).endsWith("...");
    assertThat(SqlSanitizer.cut(sql)).hasSize(SqlSanitizer.MAX_QUERY_LENGTH);
  }
}
