// Keeps the app usable offline after the first visit.
// Pages: network first, falling back to the cached copy. Hashed assets: cache first.
// Stamped by scripts/post-build.mjs at each build: the build id names the cache (a new build is a
// new sw.js, so the browser installs it and the old cache is dropped) and FILES is every file
// of the build, the workers' included.
const BUILD = '__BUILD__';
const FILES = [/*__FILES__*/];
const CACHE = 'reform-registry-' + BUILD;
// The workers' files (spreadsheets, exchange import and export) are not named by content: fetched network first, so an update
// is never stale, and kept for offline use.
const WORKER = ['reform-sheets.js', 'reform-sheets_bg.wasm', 'sheet_loader.js', 'reform-exchange.js', 'reform-exchange_bg.wasm', 'exchange_loader.js'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.put('./', await fetch('./', { cache: 'no-cache' }));
    // Files named by their content are the same everywhere; the others are fetched afresh.
    await cache.addAll(FILES.map((f) => new Request(f, { cache: /-[0-9a-f]{12,}[._]/.test(f) ? 'default' : 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const res = await fetch(req);
        const cache = await caches.open(CACHE);
        cache.put('./', res.clone());
        return res;
      } catch (e) {
        return (await caches.match('./')) || Response.error();
      }
    })());
    return;
  }
  if (WORKER.some((w) => new URL(req.url).pathname.endsWith('/' + w))) {
    event.respondWith((async () => {
      try {
        const res = await fetch(req, { cache: 'no-cache' });
        if (res.ok) {
          (await caches.open(CACHE)).put(req, res.clone());
          return res;
        }
        return (await caches.match(req)) || res;
      } catch (e) {
        return (await caches.match(req)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const hit = await caches.match(req);
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
    return res;
  })());
});
