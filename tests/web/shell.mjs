// The phone page's service worker (client/web/app/sw.js) keeps the app shell for offline use:
// every module the page loads (followed through its imports from index.html) must be in its
// SHELL list, or the page cannot start offline on a phone that never loaded that module online.
//
//   node tests/web/shell.mjs [CLIENT_WEB_DIR]       (exit status 1 with the missing files named)

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(process.argv[2] || path.join(here, '../../client/web'));
const read = (url) => readFileSync(path.join(web, url), 'utf8');

const sw = read('/app/sw.js');
const shellText = /const SHELL = \[([\s\S]*?)\];/.exec(sw);
if (!shellText) {
  console.error('shell: no `const SHELL = [...]` in app/sw.js');
  process.exit(1);
}
const shell = new Set([...shellText[1].matchAll(/'([^']+)'/g)].map((m) => m[1]));

// What the page loads: index.html's scripts and styles, then every module's imports.
const html = read('/app/index.html');
const loaded = new Set();
const queue = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="(?:stylesheet|manifest)"[^>]*\shref)="([^"]+)"/g)]
  .map((m) => m[1]);
while (queue.length) {
  const url = queue.shift();
  if (loaded.has(url)) continue;
  loaded.add(url);
  if (!existsSync(path.join(web, url))) {
    console.error(`shell: ${url} is loaded by the page but there is no client/web${url}`);
    process.exit(1);
  }
  if (url.endsWith('.js')) {
    for (const m of read(url).matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) queue.push(m[1]);
  }
}

const missing = [...loaded].filter((url) => !shell.has(url)).sort();
if (missing.length) {
  console.error(`shell: app/sw.js does not cache ${missing.length} file(s) the page loads: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`shell: app/sw.js caches all ${loaded.size} files the page loads`);
