// The Sampling page: the daemon's sampling rules in the order the SDKs apply them (X-Ray's:
// priority, then name), each field as X-Ray holds it, with the counts the SDKs report for it.

import { el, formatAgo, formatCount, formatPercent, replaceChildren } from './dom.js';

const COLUMNS = [
  ['Priority', 'num'], ['Rule', ''], ['Reservoir', 'num'], ['Rate', 'num'], ['Service', ''], ['Type', ''],
  ['Host', ''], ['Method', ''], ['URL path', ''], ['Resource ARN', ''], ['Attributes', ''], ['Boost', ''],
  ['Requests', 'num'], ['Sampled', 'num'], ['Borrowed', 'num'], ['Reported', ''],
];

export class SamplingRules {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
  }

  /**
   * @param records GetSamplingRules' SamplingRuleRecords
   * @param summaries GetSamplingStatisticSummaries' list, or null when the daemon has no counts
   *   (it forwards to AWS, where the rules and their counts live); `note` then says why
   */
  update(records, summaries, note) {
    const counts = new Map((summaries || []).map((s) => [s.RuleName, s]));
    const rules = records.map((r) => r.SamplingRule || {}).sort((a, b) =>
      (a.Priority ?? 0) - (b.Priority ?? 0) || String(a.RuleName).localeCompare(String(b.RuleName)));
    replaceChildren(this.container,
      note ? el('div', { class: 'sampling-note', role: 'note', text: note }) : null,
      el('table', { class: 'sampling-table' },
        el('thead', null, el('tr', null, COLUMNS.map(([name, cls]) => el('th', { class: cls || null, text: name })))),
        el('tbody', { id: 'sampling-rules' }, rules.map((rule) => row(rule, counts.get(rule.RuleName))))),
      rules.length ? null : el('div', { class: 'empty', text: 'No sampling rules.' }));
  }
}

function row(rule, summary) {
  const attributes = Object.entries(rule.Attributes || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const boost = rule.SamplingRateBoost
    ? `${formatPercent(rule.SamplingRateBoost.MaxRate)} for ${rule.SamplingRateBoost.CooldownWindowMinutes} min`
    : '';
  const cells = [
    [String(rule.Priority ?? ''), 'num'],
    [String(rule.RuleName ?? ''), 'rule-name'],
    [`${formatCount(rule.ReservoirSize)}/s`, 'num'],
    [formatPercent(rule.FixedRate), 'num'],
    [rule.ServiceName, ''], [rule.ServiceType, ''], [rule.Host, ''], [rule.HTTPMethod, ''], [rule.URLPath, ''],
    [rule.ResourceARN, ''], [attributes, ''], [boost, ''],
    [summary ? formatCount(summary.RequestCount) : '—', 'num count-requests'],
    [summary ? formatCount(summary.SampledCount) : '—', 'num count-sampled'],
    [summary ? formatCount(summary.BorrowCount) : '—', 'num count-borrowed'],
    [summary && summary.RequestCount > 0 ? formatAgo(summary.Timestamp) : '—', ''],
  ];
  return el('tr', { class: 'sampling-row', dataset: { rule: String(rule.RuleName ?? '') } },
    cells.map(([text, cls]) => el('td', { class: cls || null, text: text === undefined || text === null ? '' : String(text) })));
}
