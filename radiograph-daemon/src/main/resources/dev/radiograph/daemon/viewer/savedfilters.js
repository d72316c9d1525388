// X-Ray groups as saved filters: a menu beside the filter box that lists the daemon's groups
// (GetGroups) and, when one is picked, puts the group's filter expression in the box.

import { el, replaceChildren } from './dom.js';
import * as api from './api.js';

export class SavedFilters {
  /** @param {HTMLSelectElement} select  @param {(expression: string) => void} onPick */
  constructor(select, onPick) {
    this.select = select;
    this.groups = [];
    this.loading = null;
    this.key = null;
    select.addEventListener('change', () => {
      if (select.value === '') return;
      const group = this.groups[Number(select.value)];
      select.value = '';
      if (group) onPick(group.FilterExpression || '');
    });
    // Groups are made with the AWS CLI or SDKs while the page is open: look again before it opens.
    select.addEventListener('focus', () => this.load());
  }

  /** Fetches the groups and redraws the menu; hidden while there are none. Never throws. */
  load() {
    if (this.loading) return this.loading;
    this.loading = api.groups()
      .then((groups) => this.render(groups))
      .catch(() => this.render([]))
      .finally(() => { this.loading = null; });
    return this.loading;
  }

  render(groups) {
    // Unchanged groups leave the menu alone: it may be open, or an option about to be picked.
    const key = JSON.stringify(groups.map((g) => [g.GroupName, g.FilterExpression || '']));
    if (key === this.key) return;
    this.key = key;
    this.groups = groups;
    replaceChildren(this.select,
      el('option', { value: '', text: `Groups (${groups.length})` }),
      groups.map((group, i) => el('option', {
        value: String(i),
        text: group.GroupName,
        title: group.FilterExpression || 'every trace',
      })));
    this.select.value = '';
    this.select.hidden = groups.length === 0;
  }
}
