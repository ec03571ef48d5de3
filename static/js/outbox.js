/* The outbox: reports and survey answers kept on the phone (IndexedDB) until the server has
   them, and the receipts of sent reports ("My reports"). Shared by the pages and the service
   worker (importScripts), so it holds no visible text. Sending again is always safe: every
   item carries its own Idempotency-Key and the server stores it once however often it arrives.
   An item says where it goes (url, default the report API) and what it is (kind: "report",
   the default, or "survey"). */
(function (scope) {
  "use strict";
  const DB = "kopingreport", VERSION = 1, NAME = "kopingreport-outbox";
  const API = "/api/v1/reports";
  const FIRST_DELAY = 5e3, MAX_DELAY = 3e5; // back-off 5 s, 10 s, 20 s … at most 5 min
  const channel = "BroadcastChannel" in scope ? new BroadcastChannel(NAME) : null;
  const listeners = [];
  let opening = null;

  function open() {
    opening = opening || new Promise((resolve, reject) => {
      const req = scope.indexedDB.open(DB, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const name of ["outbox", "receipts"]) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "id" });
        }
      };
      req.onsuccess = () => {
        req.result.onversionchange = () => { req.result.close(); opening = null; };
        resolve(req.result);
      };
      req.onerror = () => { opening = null; reject(req.error); };
    });
    return opening;
  }

  /* One transaction; fn(tx, set) queues requests and set()s the result. */
  function run(names, mode, fn) {
    return open().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction(names, mode);
      let result;
      fn(t, (value) => { result = value; });
      t.oncomplete = () => resolve(result);
      t.onerror = t.onabort = () => reject(t.error);
    }));
  }
  const all = (name) => run(name, "readonly", (t, set) => {
    t.objectStore(name).getAll().onsuccess = (e) => set(e.target.result);
  });
  const one = (name, id) => run(name, "readonly", (t, set) => {
    t.objectStore(name).get(id).onsuccess = (e) => set(e.target.result);
  });
  const drop = (name, id) => run(name, "readwrite", (t) => t.objectStore(name).delete(id)).then(changed);
  /* Read, change and write one outbox item atomically: fn returns the new item, null to
     delete it, or undefined to leave it as it is. */
  const change = (id, fn) => run("outbox", "readwrite", (t, set) => {
    const store = t.objectStore("outbox");
    store.get(id).onsuccess = (e) => {
      const item = fn(e.target.result);
      if (item === null) store.delete(id);
      else if (item) store.put(item);
      set(item);
    };
  });

  function notify(message) {
    if (channel) channel.postMessage(message);
    listeners.forEach((fn) => fn(message));
  }
  function changed(value) { notify({ type: "changed" }); return value; }
  const withLock = (fn) => (scope.navigator.locks ? scope.navigator.locks.request(NAME, fn) : fn());
  const byAge = (a, b) => a.createdAt - b.createdAt;

  function uuid() {
    if (scope.crypto.randomUUID) return scope.crypto.randomUUID();
    const b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /* Keep an item: {lang, fields: [[name, value]], photos: [{blob, name, field?}], summary,
     kind?, url?} (a report unless kind and url say otherwise). */
  function save(item) {
    const now = Date.now();
    const kept = Object.assign({ createdAt: now, attempts: 0 }, item, {
      id: item.id || uuid(), key: item.key || item.id || uuid(), state: "waiting",
      errors: null, nextAt: 0, lockedUntil: 0, updatedAt: now,
    });
    return run("outbox", "readwrite", (t) => t.objectStore("outbox").put(kept))
      .then(() => { persist(); return changed(kept); });
  }

  function persist() {
    const storage = scope.navigator.storage;
    if (scope.document && storage && storage.persist) {
      storage.persisted().then((yes) => yes || storage.persist()).catch(() => {});
    }
  }

  function classify(status, data, item) {
    if (status === 201 && data && data.reference) return { kind: "done", status, receipt: data };
    // A survey answer has no receipt; "already answered" (or closed) is settled as well:
    // sending it again could never change the server's answer.
    if (item.kind === "survey" && (status === 201 || status === 409)) {
      return { kind: "done", status, errors: status === 409 ? (data && data.errors) || null : null };
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return { kind: "attention", status, errors: (data && data.errors) || { _: [] } };
    }
    return { kind: "retry", status };
  }

  function send(item) {
    // Without photos the fields go URL-encoded: smaller, and a tenth less work for the
    // server than multipart, whose parsing was its largest single cost per report.
    const photos = item.photos || [];
    const body = photos.length ? new FormData() : new URLSearchParams();
    item.fields.forEach(([name, value]) => body.append(name, value));
    photos.forEach((p) => body.append(p.field || "photos", p.blob, p.name));
    const bytes = photos.reduce((sum, p) => sum + p.blob.size, 0);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30e3 + bytes / 10); // ≥ 10 kB/s
    // The language is pinned in the URL, so a retry days later is the same report to the
    // server. The session cookie goes along when there is one (a logged-in night walker's
    // report is theirs) but is not needed: the API takes no CSRF token and checks the Origin.
    return fetch(`${item.url || API}?lang=${encodeURIComponent(item.lang || "")}`, {
      method: "POST", body, credentials: "same-origin", cache: "no-store", signal: abort.signal,
      headers: { "Idempotency-Key": item.key, Accept: "application/json" },
    }).then((res) => res.json().then((data) => classify(res.status, data, item),
                                     () => classify(res.status, null, item)),
             () => ({ kind: "retry", status: 0 }))
      .finally(() => clearTimeout(timer));
  }

  function delay(attempts) {
    const base = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** Math.max(0, attempts - 1));
    return Math.min(MAX_DELAY, base * (0.75 + Math.random() / 2));
  }

  function settle(item, result) {
    if (result.kind === "done" && !result.receipt) { // a survey answer: nothing to keep
      return run("outbox", "readwrite", (t) => t.objectStore("outbox").delete(item.id)).then(() => {
        notify({ type: "delivered", id: item.id, kind: item.kind, status: result.status });
        return changed(Object.assign(result, { id: item.id }));
      });
    }
    if (result.kind === "done") {
      const r = result.receipt;
      const receipt = {
        id: r.reference, reference: r.reference, status_url: r.status_url, state_label: r.state_label,
        category_name: r.category_name, area: r.area, created_at: r.created_at,
        sentAt: Date.now(), seen: false,
      };
      return run(["outbox", "receipts"], "readwrite", (t) => {
        t.objectStore("receipts").put(receipt);
        t.objectStore("outbox").delete(item.id);
      }).then(() => {
        notify({ type: "delivered", id: item.id, receipt });
        return Object.assign(result, { id: item.id, receipt });
      });
    }
    return change(item.id, (now) => {
      if (!now || now.updatedAt !== item.updatedAt) return undefined; // deleted or edited meanwhile
      now.attempts = (now.attempts || 0) + 1;
      now.lastStatus = result.status;
      if (result.kind === "attention") {
        now.state = "attention";
        now.errors = result.errors;
        // The key was used for an earlier version that did arrive: a fixed report goes as a new one.
        now.newKey = !!result.errors["Idempotency-Key"];
      } else {
        now.nextAt = Date.now() + delay(now.attempts);
      }
      return now;
    }).then(() => changed(Object.assign(result, { id: item.id })));
  }

  /* Send what is due (or everything waiting with force, or just one report with only). */
  function flush(options) {
    const opts = options || {};
    return withLock(async () => {
      const results = [];
      for (const item of (await all("outbox")).sort(byAge)) {
        const now = Date.now();
        if (opts.only && item.id !== opts.only) continue;
        if (item.state !== "waiting" || (item.lockedUntil || 0) > now) continue;
        if (!opts.force && !opts.only && (item.nextAt || 0) > now) continue;
        const result = await settle(item, await send(item));
        results.push(result);
        if (result.kind === "retry") break; // no connection: the rest would fail as well
      }
      return results;
    });
  }

  /* The page is editing this report: the outbox leaves it alone until the lease ends. */
  function lease(id, ms) {
    return withLock(() => change(id, (item) => {
      if (!item) return undefined;
      item.lockedUntil = ms ? Date.now() + ms : 0;
      return item;
    }));
  }

  /* Put an edited report back in the outbox (undefined if it was sent in the meantime). */
  function update(id, changes) {
    return withLock(() => change(id, (item) => {
      if (!item) return undefined;
      return Object.assign(item, changes, {
        state: "waiting", errors: null, nextAt: 0, lockedUntil: 0, attempts: 0,
        updatedAt: Date.now(), key: item.newKey ? uuid() : item.key, newKey: false,
      });
    })).then(changed);
  }

  /* In a page: retry when the connection returns, the page is shown again, on a timer with
     back-off, and on Background Sync where the browser has it (not Safari/iOS). */
  let started = false, timer = 0;
  function start() {
    if (started || !scope.document) return;
    started = true;
    // The connection coming back and the app starting are worth a try at once; the timer and
    // switching back to the app respect the back-off.
    const again = (force) => flush({ force: force === true }).then(retryLater, () => retryLater([]));
    scope.addEventListener("online", () => again(true));
    scope.document.addEventListener("visibilitychange", () => {
      if (scope.document.visibilityState === "visible") again();
    });
    start.again = again;
    again(true);
  }
  function retryLater(results) {
    clearTimeout(timer);
    all("outbox").then((items) => {
      const due = items.filter((i) => i.state === "waiting")
        .map((i) => Math.max(i.nextAt || 0, i.lockedUntil || 0));
      if (due.length && start.again) {
        timer = setTimeout(start.again, Math.max(1000, Math.min(...due) - Date.now()));
      }
      if (due.length && (results || []).some((r) => r.kind === "retry")) background();
    }).catch(() => {});
    return results;
  }
  function background() {
    const sw = scope.navigator.serviceWorker;
    if (sw) sw.ready.then((reg) => reg.sync && reg.sync.register("outbox")).catch(() => {});
  }

  function on(fn) {
    listeners.push(fn);
    if (channel) channel.addEventListener("message", (e) => fn(e.data || {}));
  }

  scope.Outbox = {
    supported: !!(scope.indexedDB && scope.fetch && scope.FormData && scope.AbortController),
    uuid, save, update, lease, flush, start, retryLater, on,
    list: () => all("outbox").then((items) => items.sort(byAge)),
    get: (id) => one("outbox", id),
    remove: (id) => drop("outbox", id),
    receipts: () => all("receipts").then((r) => r.sort((a, b) => b.sentAt - a.sentAt)),
    forget: (reference) => drop("receipts", reference),
    keepReceipt: (receipt) => run("receipts", "readwrite", (t) => {
      const store = t.objectStore("receipts");
      store.get(receipt.id).onsuccess = (e) => store.put(Object.assign({ sentAt: Date.now() }, e.target.result, receipt));
    }).then(changed),
    markSeen: (reference) => run("receipts", "readwrite", (t) => {
      const store = t.objectStore("receipts");
      store.get(reference).onsuccess = (e) => {
        if (e.target.result && !e.target.result.seen) store.put(Object.assign(e.target.result, { seen: true }));
      };
    }).then(changed),
  };
})(self);
