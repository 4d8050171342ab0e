// The app's service worker (served at /app/sw.js, scope /app/): the app shell
// — index.html, the built scripts and styles, the manifest and icon — is kept
// in the cache, so a village child director with no signal can open the app
// and record visits and new files into the outbox (src/outbox.ts). The API is
// never cached: it is not under /app/, and nothing else is answered here.
// The build (vite.config.ts) fills in the version and the list of files.
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const CACHE = `childcare-app-${VERSION}`;
const INDEX = "/app/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([INDEX, ...SHELL]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("childcare-app-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/app/")) return;
  if (request.mode === "navigate") {
    // the network first (a new version, the gateway's headers), the kept shell without one
    event.respondWith(fetch(request).catch(() => caches.match(INDEX, { cacheName: CACHE })));
    return;
  }
  // built files are named by their content: the kept copy is the file
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((kept) => kept || fetch(request)));
});
