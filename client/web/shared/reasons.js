// The server's own error messages, for what a page checks before it sends (docs/i18n.md): the
// server's catalogs (server/domain/messages/<tag>.json, compiled into reciprocad and served at
// /shared/errors/<tag>.json) map an error reason (server/domain/error_reasons.h, "SELF_REFERRAL")
// to an ICU MessageFormat pattern. The phone shows the very text the server would send; no text
// is copied into the pages' catalogs.

import { language, locale } from '/shared/i18n.js';

const DIR = '/shared/errors';
const loaded = new Map(); // language -> Promise of {reason: pattern}

async function fetchCatalog(tag) {
  try {
    const response = await fetch(`${DIR}/${tag}.json`);
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

function catalog(tag) {
  if (!loaded.has(tag)) loaded.set(tag, fetchCatalog(tag));
  return loaded.get(tag);
}

// Loads the server's messages for the page's language (and English, the fallback), so that
// reasonMessage() can answer at once, offline too once they were read (the service worker keeps
// them).
export function loadReasons() {
  return Promise.all([catalog('en'), catalog(language())]);
}

// The server's message for `reason` with `params` in the page's language; English when that
// language has none; `fallback` when no catalog has it (or none was loaded yet).
export async function reasonMessage(reason, params = {}, fallback = '') {
  const [english, own] = await loadReasons();
  const pattern = own[reason] ?? english[reason];
  return pattern === undefined ? fallback : formatPattern(pattern, params, locale());
}

// ICU MessageFormat, as far as the server's catalogs use it: {name}, {n, plural, =0 {..} one {..}
// other {..}} with #, and {x, select, A {..} other {..}}. Numbers are formatted for `tag`.
export function formatPattern(pattern, params, tag) {
  const numbers = new Intl.NumberFormat(tag);
  const plurals = new Intl.PluralRules(tag);
  let i = 0;
  // Reads text up to the closing brace of the current level (or the end).
  function message(hash) {
    let out = '';
    while (i < pattern.length && pattern[i] !== '}') {
      const c = pattern[i];
      if (c === '{') {
        i += 1;
        out += argument(hash);
      } else if (c === '#' && hash !== null) {
        out += hash;
        i += 1;
      } else if (c === "'" && pattern[i + 1] === "'") {
        out += "'";
        i += 2;
      } else {
        out += c;
        i += 1;
      }
    }
    return out;
  }
  function word() {
    const m = /^\s*([^\s,{}]+)\s*/.exec(pattern.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[1];
  }
  function argument(hash) {
    const name = word();
    const value = params[name];
    if (pattern[i] === '}') {
      i += 1;
      const n = Number(value);
      return typeof value === 'number' || (value !== '' && value !== undefined && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(String(value)))
        ? numbers.format(n) : String(value ?? '');
    }
    i += 1; // ','
    const type = word();
    i += 1; // ','
    const options = new Map();
    while (i < pattern.length && pattern[i] !== '}') {
      const key = word();
      if (pattern[i] !== '{') break;
      i += 1;
      const start = i;
      options.set(key, start);
      skip();
    }
    i += 1; // the argument's '}'
    const end = i;
    let key = 'other';
    let innerHash = hash;
    if (type === 'plural') {
      const n = Number(value);
      innerHash = numbers.format(n);
      key = options.has(`=${n}`) ? `=${n}` : plurals.select(n);
    } else if (type === 'select') {
      key = String(value ?? '');
    }
    if (!options.has(key)) key = 'other';
    if (!options.has(key)) return '';
    i = options.get(key);
    const text = message(innerHash);
    i = end;
    return text;
  }
  // Skips a {...} sub-message whose '{' was just read, up to and past its '}'.
  function skip() {
    let depth = 1;
    while (i < pattern.length && depth > 0) {
      if (pattern[i] === '{') depth += 1;
      else if (pattern[i] === '}') depth -= 1;
      i += 1;
    }
  }
  return message(null);
}
