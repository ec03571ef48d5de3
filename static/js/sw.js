/* Service worker, served by the app at /sw.js with a CONFIG line in front of this file:
   {version, pages, assets, offline, outbox}. It keeps the app shell (start page, report
   form, offline page, My reports, CSS, JS, icons) in a versioned cache, answers page loads
   network-first with a short timeout, and sends the outbox on Background Sync. The survey
   list and the survey pages a person has opened are kept as well (the last copy seen), so a
   survey can be answered without a connection; the answers wait in the outbox. It never
   stores map tiles (the OpenStreetMap tile policy forbids offline copies) nor receipt pages
   (they carry a secret link). */
/* global CONFIG, Outbox */
"use strict";
importScripts(CONFIG.outbox);

const PREFIX = "kopingreport-shell-", CACHE = `${PREFIX}${CONFIG.version}`;
const LANG_KEY = "/__shell-lang";
const TIMEOUT = 3500;
/* Pages kept as they were last seen (network-first), apart from the app shell. */
const VISITED = /^\/surveys(\/\d+)?$/;

async function precache(cache) {
  // Pages are fetched with the visitor's cookies, so they are cached in their language.
  await cache.addAll(CONFIG.pages.map((url) => new Request(url, { credentials: "same-origin", cache: "no-cache" })));
  await cache.addAll(CONFIG.assets);
  const start = await cache.match(CONFIG.pages[0]);
  if (start && language(start)) await cache.put(LANG_KEY, new Response(language(start)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(precache).then(() => {
    // The first version takes over at once; a later one waits for "Reload" in a page.
    if (!self.registration.active) return self.skipWaiting();
    return undefined;
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

/* The language of the cached pages: the one the person last saw. */
async function shellLanguage(cache) {
  const had = await cache.match(LANG_KEY);
  return had ? had.text() : "";
}
const language = (res) => res.headers.get("Content-Language") || "";

/* Re-fetch the cached pages when the person has switched language: all of them or none,
   one switch at a time, and the latest switch wins. Offline, the next page load tries again. */
let switching = Promise.resolve(), wanted = "";
function relanguage(lang) {
  wanted = lang;
  switching = switching.catch(() => {}).then(async () => {
    const cache = await caches.open(CACHE);
    if (wanted !== lang || (await shellLanguage(cache)) === lang) return;
    const fresh = await Promise.all(CONFIG.pages.map((url) => fetch(url, { credentials: "same-origin", cache: "no-cache" })));
    if (wanted !== lang || fresh.some((res) => !res.ok || language(res) !== lang)) return;
    await Promise.all(fresh.map((res, i) => cache.put(CONFIG.pages[i], res)));
    await cache.put(LANG_KEY, new Response(lang));
  });
  return switching;
}

/* A visited page opened before this worker controlled it: fetch and keep it now. */
async function keep(path) {
  const cache = await caches.open(CACHE);
  const res = await fetch(path, { credentials: "same-origin", cache: "no-cache" });
  if (res.ok && !res.redirected) await cache.put(path, res);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "skip-waiting") self.skipWaiting();
  if (data.type === "keep" && VISITED.test(data.path || "")) event.waitUntil(keep(data.path).catch(() => {}));
  if (data.type === "lang" && /^[a-z]{2,3}$/.test(data.lang || "")) event.waitUntil(relanguage(data.lang).catch(() => {}));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  // Rejecting makes the browser try again later (Chromium: 3 attempts with back-off).
  event.waitUntil(Outbox.flush({ force: true }).then((results) => {
    if (results.some((r) => r.kind === "retry")) throw new Error("outbox: not sent yet");
  }));
});

function timeout(ms) { return new Promise((resolve) => { setTimeout(resolve, ms); }); }

async function page(request, url) {
  const cache = await caches.open(CACHE);
  // A survey page opened with a single-use code is not kept: the code is not for later.
  const shell = CONFIG.pages.includes(url.pathname);
  const visited = VISITED.test(url.pathname) && !url.searchParams.has("code");
  const network = fetch(request).then(async (res) => {
    // Keep the fresh copy: a shell page if it is in the language of the other cached pages,
    // a survey page as it is (in the survey's language).
    if ((shell || visited) && res.ok && res.type === "basic" && !res.redirected &&
        (visited || language(res) === (await shellLanguage(cache)))) await cache.put(url.pathname, res.clone());
    return res;
  });
  if (visited) return latest(cache, network, url);
  // Other pages, and a change of language (?lang=), wait for the network.
  if (!shell || url.searchParams.has("lang")) {
    return network.catch(async () => (shell && (await cache.match(url.pathname))) || cache.match(CONFIG.offline));
  }
  // A shell page: the network if it answers soon, otherwise the cached copy.
  const quick = await Promise.race([network.catch(() => null), timeout(TIMEOUT)]);
  if (quick && quick.status < 500) return quick;
  const cached = await cache.match(url.pathname);
  if (cached) return cached;
  return quick || network.catch(() => cache.match(CONFIG.offline));
}

/* A survey page: the network if it answers soon, otherwise the copy last seen. */
async function latest(cache, network, url) {
  const quick = await Promise.race([network.catch(() => null), timeout(TIMEOUT)]);
  if (quick && quick.status < 500) return quick;
  return (await cache.match(url.pathname)) || quick || network.catch(() => cache.match(CONFIG.offline));
}

async function asset(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  try {
    const res = await fetch(request);
    // Versioned files never change: keep what the app loads later (e.g. the map library).
    if (res.ok && new URL(request.url).searchParams.has("v")) {
      const copy = res.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return res;
  } catch (err) {
    // Offline, e.g. url(../icons/icon.svg) in the CSS: any version will do.
    return (await caches.match(request, { ignoreSearch: true })) || Response.error();
  }
}

/* The area outlines: the map is useful offline with them even without tiles. */
async function areas(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (err) {
    return (await cache.match(request)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request, url));
  else if (url.pathname.startsWith("/static/")) event.respondWith(asset(request));
  else if (url.pathname === "/api/v1/areas") event.respondWith(areas(request));
});
