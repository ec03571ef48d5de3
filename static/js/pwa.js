/* Every page: register the service worker and show the app's notices in #app-status —
   reports waiting in this phone's outbox ("Send now"), a report delivered in the background,
   a new version ("Reload"). Texts come from the server (data-attributes). Kept tiny: the
   outbox code (outbox.js) is loaded only when something is waiting. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const box = $("app-status");
  if (!box || !window.indexedDB) return;
  const d = box.dataset, lang = document.documentElement.lang;
  let loading = null;
  const parse = (json) => { try { return JSON.parse(json || "{}"); } catch (e) { return {}; } };
  const reportForms = parse(d.msgWaiting), answerForms = parse(d.msgAnswers);
  const rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  const counted = (forms, n) => ((rules && forms[rules.select(n)]) || forms.other || "").replace("{n}", n);
  /* "1 report waiting to be sent · 1 survey answer waiting to be sent" */
  function waiting(items) {
    const answers = items.filter((i) => i.kind === "survey").length, reports = items.length - answers;
    return [reports && counted(reportForms, reports), answers && counted(answerForms, answers)]
      .filter(Boolean).join(" · ");
  }
  const info = (text) => { $("outbox-info").textContent = text || ""; };

  /* Read the outbox without creating the database when there is none. */
  function read() {
    return new Promise((resolve) => {
      const out = { items: [], receipts: [] };
      const req = indexedDB.open("kopingreport");
      req.onupgradeneeded = () => req.transaction.abort();
      req.onerror = () => resolve(out);
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("receipts")) { db.close(); resolve(out); return; }
        const t = db.transaction(["outbox", "receipts"]);
        t.objectStore("outbox").getAll().onsuccess = (e) => { out.items = e.target.result; };
        t.objectStore("receipts").getAll().onsuccess = (e) => { out.receipts = e.target.result; };
        t.oncomplete = t.onabort = () => { db.close(); resolve(out); };
      };
    });
  }

  function outbox() {
    loading = loading || (window.Outbox ? Promise.resolve(window.Outbox) : new Promise((resolve, reject) => {
      document.head.append(Object.assign(document.createElement("script"), {
        src: d.outbox, onload: () => resolve(window.Outbox), onerror: reject }));
    }));
    return loading;
  }

  function delivered(receipt) {
    if (!receipt || location.pathname === new URL(receipt.status_url).pathname) return;
    // The reference is isolated (FSI … PDI) so that it reads right inside Arabic text.
    $("delivered-text").textContent = (d.msgDelivered || "").replace("{ref}", `\u2068${receipt.reference}\u2069`);
    $("delivered-link").href = `${receipt.status_url}?sent=1`;
    $("delivered-note").hidden = false;
    $("delivered-close").onclick = () => {
      $("delivered-note").hidden = true;
      outbox().then((o) => o.markSeen(receipt.reference));
    };
  }

  function show(state) {
    const items = state.items, attention = items.filter((i) => i.state === "attention").length;
    $("outbox-note").hidden = !items.length;
    $("outbox-count").textContent = waiting(items);
    // A report and a survey answer each have their own notice (both may need attention).
    const answerAttention = items.filter((i) => i.state === "attention" && i.kind === "survey").length;
    $("outbox-attention").hidden = attention === answerAttention;
    $("outbox-attention-answer").hidden = !answerAttention;
    $("send-now").hidden = items.length === attention;
    if (!items.length) info("");
    delivered(state.receipts.filter((r) => !r.seen).sort((a, b) => b.sentAt - a.sentAt)[0]);
    return state;
  }
  const refresh = () => read().then(show);

  $("send-now").addEventListener("click", () => {
    info(d.msgSending);
    outbox().then((o) => o.flush({ force: true }).then(o.retryLater))
      .then((results) => info(results.some((r) => r.kind === "retry") ? d.msgFailed : ""),
            () => info(d.msgFailed));
  });
  if (window.BroadcastChannel) {
    new BroadcastChannel("kopingreport-outbox").onmessage = (e) => {
      refresh();
      if (e.data && e.data.type === "delivered") delivered(e.data.receipt);
    };
  }
  // App start: anything waiting is retried (online, visibility, timer) from every page.
  refresh().then((state) => { if (state.items.length) outbox().then((o) => o.start()); });

  if (!("serviceWorker" in navigator) || !d.sw) return;
  const sw = navigator.serviceWorker;
  let reloading = false;
  function offer(worker) {
    if (!worker || !sw.controller) return;
    $("update-note").hidden = false;
    $("update-reload").onclick = () => { reloading = true; worker.postMessage({ type: "skip-waiting" }); };
  }
  sw.addEventListener("controllerchange", () => { if (reloading) location.reload(); });
  window.addEventListener("load", () => {
    sw.register(d.sw, { scope: "/" }).then((reg) => {
      offer(reg.waiting);
      reg.addEventListener("updatefound", () => {
        const worker = reg.installing;
        if (worker) worker.addEventListener("statechange", () => { if (worker.state === "installed") offer(worker); });
      });
    }).catch(() => {});
    // The offline copies of the pages follow the language the person chose.
    sw.ready.then((reg) => reg.active && reg.active.postMessage({ type: "lang", lang }));
  });
})();
