// Light or dark, and local time or UTC: the top bar's two settings, remembered in localStorage.
//
// "Auto" follows the system (prefers-color-scheme) and changes with it; style.css keys its dark
// colours on data-theme="dark" so that one block serves the system's choice and the user's.

import { setUtc } from './dom.js';

const THEME_KEY = 'radiograph.theme'; // auto | light | dark
const UTC_KEY = 'radiograph.utc';     // "true" for UTC
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch (e) {
    return null; // storage disabled: the defaults
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch (e) {
    // Not remembered; still applied.
  }
}

/** Wires the theme menu; applies the remembered choice now. */
export function installTheme(select) {
  const apply = () => {
    const choice = select.value;
    const dark = choice === 'dark' || (choice === 'auto' && systemDark.matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  };
  const remembered = stored(THEME_KEY);
  select.value = remembered === 'light' || remembered === 'dark' ? remembered : 'auto';
  apply();
  select.addEventListener('change', () => {
    store(THEME_KEY, select.value);
    apply();
  });
  systemDark.addEventListener('change', apply);
}

/** Wires the UTC switch; `onChange` redraws what shows times. */
export function installTimeZone(checkbox, onChange) {
  checkbox.checked = stored(UTC_KEY) === 'true';
  setUtc(checkbox.checked);
  checkbox.addEventListener('change', () => {
    store(UTC_KEY, String(checkbox.checked));
    setUtc(checkbox.checked);
    onChange();
  });
}
