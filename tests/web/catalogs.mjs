// The pages' message catalogs (client/web/shared/i18n, docs/i18n.md) against each other and
// against the pages' code:
//   - languages.json lists exactly the catalogs there are, English among them;
//   - every catalog has every key English has, and no other;
//   - a message has the same {parameters} as in English, and a count-dependent one (an object
//     of plural forms) has the forms its language needs (Intl.PluralRules) and no others;
//   - every key is used by the pages (a quoted string in their scripts, or data-i18n /
//     data-i18n-attrs in their HTML), and every key the pages use is in English.
//
//   node tests/web/catalogs.mjs [CLIENT_WEB_DIR]       (exit status 1 with every problem named)

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(process.argv[2] || path.join(here, '../../client/web'));
const dir = path.join(web, 'shared/i18n');
const problems = [];
const problem = (text) => problems.push(text);

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problem(`${path.relative(web, file)}: not valid JSON (${error.message})`);
    return null;
  }
}

function parameters(message) {
  const forms = typeof message === 'string' ? [message] : Object.values(message || {});
  return new Set(forms.flatMap((form) => [...String(form).matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
}

const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const list = (items) => [...items].sort().join(', ');

// ---- the catalogs --------------------------------------------------------------------------

const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'languages.json');
const present = files.map((f) => f.slice(0, -'.json'.length));
const listed = readJson(path.join(dir, 'languages.json')) || [];
if (!Array.isArray(listed)) problem('languages.json: must be a list of language tags');
const listedSet = new Set(Array.isArray(listed) ? listed : []);
for (const lang of present) {
  if (!listedSet.has(lang)) problem(`languages.json does not list ${lang} (there is ${lang}.json)`);
}
for (const lang of listedSet) {
  if (!present.includes(lang)) problem(`languages.json lists ${lang}, but there is no ${lang}.json`);
  try {
    Intl.getCanonicalLocales(lang);
  } catch {
    problem(`languages.json: ${lang} is not a BCP 47 language tag`);
  }
}

const catalogs = new Map(present.map((lang) => [lang, readJson(path.join(dir, `${lang}.json`))]));
const en = catalogs.get('en');
if (!en) {
  problem('there is no English catalog (en.json): every other catalog is checked against it');
} else {
  for (const [lang, catalog] of catalogs) {
    if (!catalog || typeof catalog !== 'object' || Array.isArray(catalog)) {
      if (catalog) problem(`${lang}.json: must be an object of key -> message`);
      continue;
    }
    const categories = new Set(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
    const missing = Object.keys(en).filter((k) => !(k in catalog));
    const extra = Object.keys(catalog).filter((k) => !(k in en));
    if (missing.length) problem(`${lang}.json is missing ${missing.length} key(s) English has: ${list(missing)}`);
    if (extra.length) problem(`${lang}.json has ${extra.length} key(s) English does not: ${list(extra)}`);
    for (const [key, message] of Object.entries(catalog)) {
      if (!(key in en)) continue;
      const plural = typeof en[key] === 'object';
      if (typeof message === 'string') {
        if (plural) problem(`${lang}.json ${key}: English has plural forms, this is a plain string`);
      } else if (message && typeof message === 'object' && !Array.isArray(message)) {
        if (!plural) problem(`${lang}.json ${key}: English is a plain string, this has plural forms`);
        const forms = new Set(Object.keys(message));
        const needed = [...categories].filter((c) => !forms.has(c));
        const unknown = [...forms].filter((c) => !categories.has(c));
        if (needed.length) problem(`${lang}.json ${key}: missing the plural form(s) ${list(needed)} of ${lang}`);
        if (unknown.length) problem(`${lang}.json ${key}: ${lang} has no plural form(s) ${list(unknown)}`);
        for (const [form, text] of Object.entries(message)) {
          if (typeof text !== 'string') problem(`${lang}.json ${key}.${form}: must be a string`);
        }
      } else {
        problem(`${lang}.json ${key}: must be a string or an object of plural forms`);
        continue;
      }
      const want = parameters(en[key]);
      const got = parameters(message);
      if (!sameSet(want, got)) {
        problem(`${lang}.json ${key}: parameters {${list(got)}} differ from English {${list(want)}}`);
      }
    }
  }
}

// ---- the pages' use of them ----------------------------------------------------------------

function sources(root) {
  return readdirSync(root).flatMap((name) => {
    const file = path.join(root, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(m?js|html)$/.test(name) ? [file] : [];
  });
}

if (en) {
  const keys = new Set(Object.keys(en));
  const namespaces = new Set([...keys].map((k) => k.split('.')[0]));
  const used = new Set();
  const unknownUses = [];
  for (const file of sources(web)) {
    const text = readFileSync(file, 'utf8');
    const where = path.relative(web, file);
    const found = [];
    if (file.endsWith('.html')) {
      for (const m of text.matchAll(/data-i18n="([^"]*)"/g)) found.push(m[1]);
      for (const m of text.matchAll(/data-i18n-attrs="([^"]*)"/g)) {
        for (const pair of m[1].split(';')) found.push((pair.split(':')[1] || '').trim());
      }
    } else {
      // Any quoted string shaped like a key of a catalog namespace ("app.refer.title").
      for (const m of text.matchAll(/['"`]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"`]/g)) {
        if (namespaces.has(m[1].split('.')[0])) found.push(m[1]);
      }
    }
    for (const key of found) {
      if (keys.has(key)) used.add(key);
      else unknownUses.push(`${where}: ${key}`);
    }
  }
  if (unknownUses.length) problem(`keys the pages use that en.json does not have: ${unknownUses.sort().join(', ')}`);
  const unused = [...keys].filter((k) => !used.has(k));
  if (unused.length) problem(`keys no page uses (remove them from every catalog): ${list(unused)}`);
}

if (problems.length) {
  for (const p of problems) console.error(`catalogs: ${p}`);
  process.exit(1);
}
console.log(`catalogs: ${present.length} languages (${list(present)}), ${Object.keys(en).length} keys each, all used`);
