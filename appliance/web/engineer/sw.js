// The engineer app's service worker: keeps the app shell for offline starts and shows Web Push alerts.
// Job data is cached by the page itself (IndexedDB), so that plain-http boxes without a worker work offline too.
const SHELL = 'outpost-engineer-shell-v3';
const FILES = [
  '/engineer/', '/engineer/index.html', '/engineer/app.js', '/engineer/net.js', '/engineer/store.js', '/engineer/scan.js', '/engineer/kb.js', '/engineer/engineer.css', '/kb-render.js',
  '/engineer/manifest.webmanifest', '/engineer/icon.svg', '/engineer/icon-192.png', '/i18n.js', '/dom.js', '/api.js', '/i18n/index.js', '/vendor/jsqr/jsQR.js',
];

self.addEventListener('install', (e) => {
  // i18n area files are found at run time; a missing one must not block the install.
  e.waitUntil(caches.open(SHELL).then((c) => Promise.all(FILES.map((f) => c.add(f).catch(() => {})))).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

// Static files: network first (a box update shows at once), the cached copy when the site Wi-Fi is down.
// The API is left to the page, which has its own offline copy and outbox.
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.respondWith(
    fetch(e.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(SHELL).then((c) => c.put(e.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(e.request, { ignoreSearch: true }).then((r) => r ?? (url.pathname.startsWith('/engineer/') ? caches.match('/engineer/index.html') : Response.error()))),
  );
});

self.addEventListener('push', (e) => {
  let p = {};
  try {
    p = e.data ? e.data.json() : {};
  } catch {
    p = { title: e.data?.text() };
  }
  const url = p.url ?? (p.ticketId ? `/engineer/#/job/${p.ticketId}` : '/engineer/');
  e.waitUntil(self.registration.showNotification(p.title ?? 'Outpost', { body: p.body ?? '', tag: p.ticketId ?? 'outpost', data: { url }, icon: '/engineer/icon-192.png', badge: '/engineer/icon-192.png', renotify: true }));
});

self.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const url = new URL(e.notification.data?.url ?? '/engineer/', location.origin).href;
  e.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((wins) => {
      const w = wins.find((c) => c.url.startsWith(`${location.origin}/engineer/`));
      if (w) return w.navigate(url).then((c) => (c ?? w).focus());
      return self.clients.openWindow(url);
    }),
  );
});
