// Building filter expressions from what the user clicked: one place that quotes values the way the
// daemon's filter parser reads them (query/FilterLexer.java: double quotes, backslash escapes).

/** `text` as a filter string literal. */
export function quote(text) {
  return `"${String(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A comparison of `field` with `value`: a number or boolean as is, anything else quoted. */
export function equals(field, value) {
  return `${field} = ${typeof value === 'number' || typeof value === 'boolean' ? String(value) : quote(value)}`;
}

/** `filter AND term`; the term alone when there is no filter. */
export function and(filter, term) {
  const current = (filter || '').trim();
  return current ? `${current} AND ${term}` : term;
}
