// The phone page's service worker (scope /app/): keeps the app shell on the phone so the page
// opens without a connection (submissions then wait in the outbox). Network first, so a new
// version is used as soon as the server is reachable; the API is never cached. It also shows the
// Web Push notifications the server sends while the page is closed (docs/push.md), and a tap on
// one opens the page.

const CACHE = 'reciproca-app-shell-v9';
const SHELL = [
  '/app/',
  '/app/app.js',
  '/app/agenda.js',
  '/app/answers.js',
  '/app/chapter_form.js',
  '/app/checks.js',
  '/app/forms.js',
  '/app/inbox.js',
  '/app/live.js',
  '/app/render.js',
  '/app/reports.js',
  '/app/roster.js',
  '/app/rotation.js',
  '/app/run.js',
  '/app/state.js',
  '/app/substitutes.js',
  '/app/visitors.js',
  '/app/app.css',
  '/app/outbox.js',
  '/app/push.js',
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

// A push message: the server's JSON {kind, title, body, url, tag}, already in the chapter's
// language. Every push shows a notification (browsers require it of userVisibleOnly).
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : '' };
  }
  const options = {
    body: data.body || '',
    icon: '/app/icons/icon-192.png',
    badge: '/app/icons/icon-192.png',
    data: { url: data.url || '/app/', kind: data.kind || '' },
  };
  if (data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(data.title || 'Reciproca', options));
});

// A tap: the page that is open comes forward, else the page opens (only ever this origin's).
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let url = new URL((event.notification.data && event.notification.data.url) || '/app/', self.location.origin);
  if (url.origin !== self.location.origin) url = new URL('/app/', self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    for (const client of windows) {
      if (new URL(client.url).pathname.startsWith('/app/') && 'focus' in client) return client.focus();
    }
    return self.clients.openWindow(url.href);
  }));
});
