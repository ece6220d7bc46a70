// The pages' languages: one message catalog per language in /shared/i18n/<language>.json (listed
// in /shared/i18n/languages.json), every person-facing string read through t(key, params).
//
// A message is a string with {name} parameters, or, when it depends on a count, an object of
// Intl.PluralRules categories ({"one": "{count} referral", "other": "{count} referrals"}). Numbers
// given as parameters are formatted for the locale. Dates, times, numbers and money are formatted
// with Intl in locale() (format.js), never by hand. A key missing from a catalog falls back to
// English (tests/web/catalogs.mjs keeps the catalogs complete).
//
// Static text in the HTML is marked with data-i18n="key" (the element's text) and
// data-i18n-attrs="attribute:key;attribute:key"; translatePage() fills both.

const DIR = '/shared/i18n';
const FALLBACK = 'en';

let loaded = false;
let catalogLanguage = FALLBACK;
let localeTag = FALLBACK;
let messages = {};
let fallback = {};
let plurals = new Intl.PluralRules(FALLBACK);
let numbers = new Intl.NumberFormat(FALLBACK);

async function fetchJson(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

let languagesRead = null;

// The languages there is a catalog for ("en", "it", ...), English among them; read once.
export function availableLanguages() {
  if (!languagesRead) {
    languagesRead = fetchJson(`${DIR}/languages.json`).then((list) => {
      const languages = Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
      return languages.includes(FALLBACK) ? languages : [FALLBACK, ...languages];
    });
  }
  return languagesRead;
}

function languageOf(tag) {
  try {
    return new Intl.Locale(tag).language;
  } catch {
    return '';
  }
}

// The catalog for the first of `wanted` (BCP 47 tags, best first) that has one: an exact match
// ("pt-BR"), else the same language ("it-IT" -> "it"); English when none has.
export function bestLanguage(wanted, available) {
  for (const tag of wanted.filter(Boolean)) {
    const exact = available.find((a) => a.toLowerCase() === String(tag).toLowerCase());
    if (exact) return exact;
    const base = available.find((a) => a === languageOf(tag));
    if (base) return base;
  }
  return FALLBACK;
}

// Switches the page to the catalog that best matches `wanted` (a tag or a list of tags, best
// first): loads it, sets <html lang> and translates the static text. Formatting uses the first
// wanted tag of that language ("es-MX" numbers with the "es" catalog), else the catalog's own.
// Nothing happens when that is already the page's language.
export async function useLanguage(wanted) {
  const tags = (Array.isArray(wanted) ? wanted : [wanted]).filter(Boolean);
  const available = await availableLanguages();
  const chosen = bestLanguage(tags, available);
  const regional = tags.find((x) => languageOf(x) === languageOf(chosen));
  let tag = chosen;
  try {
    tag = Intl.getCanonicalLocales(regional || chosen)[0];
  } catch {
    // not a well-formed tag: the catalog's own language formats
  }
  if (loaded && chosen === catalogLanguage && tag === localeTag) return catalogLanguage;
  loaded = true;
  if (!Object.keys(fallback).length) fallback = (await fetchJson(`${DIR}/${FALLBACK}.json`)) || {};
  messages = chosen === FALLBACK ? fallback : (await fetchJson(`${DIR}/${chosen}.json`)) || fallback;
  catalogLanguage = messages === fallback ? FALLBACK : chosen;
  localeTag = catalogLanguage === chosen ? tag : FALLBACK;
  plurals = new Intl.PluralRules(localeTag);
  numbers = new Intl.NumberFormat(localeTag);
  document.documentElement.lang = catalogLanguage;
  translatePage(document);
  return catalogLanguage;
}

// The language of the text shown ("it").
export function language() {
  return catalogLanguage;
}

// The locale for Intl formatting ("it-IT", or "it").
export function locale() {
  return localeTag;
}

// The message for `key` with its {parameters} filled; a count-dependent message picks its plural
// form from params.count. The key itself when no catalog has it (visible, never blank).
export function t(key, params = {}) {
  let message = key in messages ? messages[key] : fallback[key];
  if (message === undefined) return key;
  if (typeof message === 'object' && message !== null) {
    const count = Number(params.count);
    message = message[plurals.select(count)] ?? message.other ?? '';
  }
  return String(message).replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? numbers.format(value) : String(value ?? '');
  });
}

// The message for `key` as a list of its text and of the values of `parts` (elements, say), in
// the order the language puts them: "{from} thanked {to}" -> [fromNode, " thanked ", toNode].
// `params` fill the message's other parameters as t() does.
export function tParts(key, parts, params = {}) {
  const marks = Object.fromEntries(Object.keys(parts).map((name) => [name, `\u0000${name}\u0000`]));
  return t(key, { ...params, ...marks }).split(/\u0000(\w+)\u0000/)
    .map((piece, i) => (i % 2 ? parts[piece] : piece))
    .filter((piece) => piece !== '');
}

// Fills the elements marked with data-i18n / data-i18n-attrs under `root`.
export function translatePage(root) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-attrs]')) {
    for (const pair of element.dataset.i18nAttrs.split(';')) {
      const [attribute, key] = pair.split(':').map((s) => s.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
}

// The name of a language in that language ("Italiano"), for a language picker.
export function languageName(tag) {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
    return name ? name.charAt(0).toLocaleUpperCase(tag) + name.slice(1) : tag;
  } catch {
    return tag;
  }
}
