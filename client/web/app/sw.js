// The phone page's service worker (scope /app/): keeps the app shell on the phone so the page
// opens without a connection (submissions then wait in the outbox). Network first, so a new
// version is used as soon as the server is reachable; the API is never cached.

const CACHE = 'reciproca-app-shell-v8';
const SHELL = [
  '/app/',
  '/app/app.js',
  '/app/agenda.js',
  '/app/answers.js',
  '/app/checks.js',
  '/app/forms.js',
  '/app/inbox.js',
  '/app/live.js',
  '/app/render.js',
  '/app/reports.js',
  '/app/roster.js',
  '/app/run.js',
  '/app/state.js',
  '/app/visitors.js',
  '/app/app.css',
  '/app/outbox.js',
  '/app/manifest.webmanifest',
  '/app/icons/icon-192.png',
  '/app/icons/icon-512.png',
  '/shared/api.js',
  '/shared/events.js',
  '/shared/dom.js',
  '/shared/format.js',
  '/shared/i18n.js',
  '/shared/reasons.js',
  '/shared/vendor/qrcode.js',
];
const LANGUAGES = '/shared/i18n/languages.json';

// Every language's catalog too (shared/i18n/languages.json lists them), so the page opens
// offline in whichever the member picks; and the server's error messages in those languages
// (/shared/errors, for the checks made before queuing), where the server has them.
async function shellWithCatalogs() {
  const response = await fetch(LANGUAGES);
  const languages = response.ok ? await response.json() : [];
  return {
    shell: [...SHELL, LANGUAGES, ...languages.map((tag) => `/shared/i18n/${tag}.json`)],
    optional: languages.map((tag) => `/shared/errors/${tag}.json`),
  };
}

self.addEventListener('install', (event) => {
  event.waitUntil(Promise.all([caches.open(CACHE), shellWithCatalogs()])
    .then(([cache, { shell, optional }]) => Promise.all([cache.addAll(shell),
      ...optional.map((url) => cache.add(url).catch(() => {}))]))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('reciproca-app-shell-') && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/metrics') return;
  const navigation = request.mode === 'navigate';
  if (!navigation && !url.pathname.startsWith('/app/') && !url.pathname.startsWith('/shared/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') {
        await cache.put(navigation ? '/app/' : request, response.clone());
      }
      return response;
    } catch (error) {
      const cached = await cache.match(navigation ? '/app/' : request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
