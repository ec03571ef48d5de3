/* "My reports": what waits in this phone's outbox (open and change, delete) and the receipts of
   sent reports (status, remove). Everything is read from IndexedDB; texts come from the page. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("my-reports");
  if (!root || !window.Outbox || !Outbox.supported) return;
  const d = root.dataset, lang = document.documentElement.lang;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props || {});
    node.append(...children.filter((c) => c != null && c !== ""));
    return node;
  };
  const dated = (template, time) => {
    const [before, after] = (template || "{date}").split("{date}");
    const date = new Date(time);
    return el("p", { className: "hint" }, before, el("time", { dateTime: date.toISOString(), textContent: when.format(date) }), after);
  };

  /* A survey answer: which survey, its state, and "Delete" (it cannot be changed here). */
  function waitingAnswer(item) {
    const attention = item.state === "attention";
    const errors = attention && item.errors ? el("ul", { className: "field-errors" },
      ...Object.values(item.errors).flat().map((m) => el("li", { textContent: m }))) : null;
    const remove = el("button", { type: "button", className: "link-button", textContent: d.msgDelete });
    remove.addEventListener("click", () => {
      if (window.confirm(d.msgConfirmDeleteAnswer)) Outbox.remove(item.id).then(render);
    });
    const open = attention && item.page ? el("a", { className: "button", href: item.page, textContent: d.msgOpenSurvey }) : null;
    return el("li", { className: "status-card" },
      el("h3", { textContent: d.msgSurveyAnswer }),
      el("p", { className: `state ${attention ? "state-attention" : "state-waiting"}`, textContent: attention ? d.msgAttention : d.msgWaiting }),
      errors, (item.summary || {}).title ? el("p", { textContent: item.summary.title }) : null,
      dated(d.msgSaved, item.createdAt), el("p", { className: "app-actions" }, open, open && " ", remove));
  }

  function waitingItem(item) {
    if (item.kind === "survey") return waitingAnswer(item);
    const attention = item.state === "attention";
    const s = item.summary || {};
    const errors = attention && item.errors ? el("ul", { className: "field-errors" },
      ...Object.values(item.errors).flat().map((m) => el("li", { textContent: m }))) : null;
    const remove = el("button", { type: "button", className: "link-button", textContent: d.msgDelete });
    remove.addEventListener("click", () => {
      if (window.confirm(d.msgConfirmDelete)) Outbox.remove(item.id).then(render);
    });
    const open = el("a", { className: "button", href: `${d.editUrl}?edit=${encodeURIComponent(item.id)}`, textContent: d.msgOpen });
    return el("li", { className: "status-card" },
      el("h3", { textContent: s.category || "–" }),
      el("p", { className: `state ${attention ? "state-attention" : "state-waiting"}`, textContent: attention ? d.msgAttention : d.msgWaiting }),
      errors, s.text ? el("p", { textContent: s.text }) : null,
      dated(d.msgSaved, item.createdAt), el("p", { className: "app-actions" }, open, " ", remove));
  }

  function sentItem(receipt) {
    const state = el("p", { className: "state", textContent: receipt.state_label || "" });
    const forget = el("button", { type: "button", className: "link-button", textContent: d.msgForget });
    forget.addEventListener("click", () => {
      if (window.confirm(d.msgConfirmForget)) Outbox.forget(receipt.reference).then(render);
    });
    const status = el("a", { className: "button", href: receipt.status_url, textContent: d.msgStatus });
    status.setAttribute("aria-label", `${d.msgStatus} ${receipt.reference}`);
    // The current state, when there is a connection (the receipt keeps the last one seen).
    fetch(receipt.status_url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then((r) => (r.ok ? r.json() : null)).then((now) => {
        if (!now || now.state_label === receipt.state_label) return;
        state.textContent = now.state_label;
        Outbox.keepReceipt({ id: receipt.id, state_label: now.state_label });
      }).catch(() => {});
    return el("li", { className: "status-card" },
      el("h3", { textContent: receipt.reference }), state,
      el("p", { textContent: [receipt.category_name, receipt.area].filter(Boolean).join(" · ") }),
      dated(d.msgSent, receipt.sentAt || receipt.created_at),
      el("p", { className: "app-actions" }, status, " ", forget));
  }

  let drawing = null;
  function render() {
    drawing = drawing || Promise.all([Outbox.list(), Outbox.receipts()]).then(([items, receipts]) => {
      $("waiting-list").replaceChildren(...items.map(waitingItem));
      $("waiting-empty").hidden = items.length > 0;
      $("sent-list").replaceChildren(...receipts.map(sentItem));
      $("sent-empty").hidden = receipts.length > 0;
      root.hidden = false;
    }).finally(() => { drawing = null; });
    return drawing;
  }

  Outbox.on((message) => { if (message.type === "changed" || message.type === "delivered") render(); });
  render();
  Outbox.start();
})();
