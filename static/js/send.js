/* The report form with JavaScript: photos are made smaller, the report is written to the
   outbox on the phone *before* anything is sent, then sent through the API. A report that
   cannot be sent yet stays in the outbox and is sent later; it never falls back to a plain
   form POST (the cached form's CSRF token may be stale). ?edit=<id> opens a waiting report.
   Every visible text comes from data-attributes the server translated. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const form = $("report-form");
  if (!form || !window.Outbox || !Outbox.supported || !window.Shrink) return;
  const d = form.dataset, lang = document.documentElement.lang;
  const photosInput = $("photos"), queued = $("queued"), title = $("form-title");
  const button = form.querySelector("button[type=submit]");
  const ANCHORS = { lat: "where", lon: "where", accuracy: "where" };
  const SKIP = new Set(["csrf_token", "submission_id", "photos"]);
  const LEASE = 30 * 60e3;
  let current = null, kept = [], busy = false, leasedAt = 0;

  function localNow() {
    const parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: d.timeZone || undefined, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(new Date()).forEach((p) => { parts[p.type] = p.value; });
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  }

  function collect() {
    const fields = [];
    new FormData(form).forEach((value, name) => {
      if (!SKIP.has(name) && typeof value === "string") fields.push([name, value]);
    });
    return fields;
  }

  /* What "My reports" shows of a waiting report. */
  function summary() {
    const chosen = form.querySelector("[name=category]:checked");
    const label = chosen && form.querySelector(`label[for="${chosen.id}"]`);
    return { category: label ? label.firstChild.textContent.trim() : "", text: form.elements.description.value.trim().slice(0, 140) };
  }

  function fill(fields) {
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((el) => { el.checked = false; });
    fields.forEach(([name, value]) => {
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((el) => {
        if (el.type === "radio" || el.type === "checkbox") el.checked = el.checked || el.value === value;
        else if (el.type !== "file") el.value = value;
      });
    });
    const outside = $("confirm-outside-field");
    if (outside && fields.some(([name]) => name === "confirm_outside")) outside.hidden = false;
  }

  /* --- errors, shown like the server's error summary ----------------------------------- */
  function clearErrors() {
    const old = $("error-summary");
    if (old) old.remove();
    form.querySelectorAll(".js-field-errors").forEach((el) => el.remove());
    form.querySelectorAll(".js-has-error").forEach((el) => el.classList.remove("has-error", "js-has-error"));
    form.querySelectorAll("[data-js-invalid]").forEach((el) => {
      const described = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && $(id));
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-js-invalid");
    });
  }

  function fieldError(name, messages) {
    const target = $(ANCHORS[name] || name);
    if (!target) return target;
    const box = target.matches("fieldset") ? target : target.closest(".field");
    const control = target.matches("input,select,textarea") && !ANCHORS[name] ? target : null;
    if (!box || $(`${name}-error`)) return target;
    const list = Object.assign(document.createElement("ul"), { className: "field-errors js-field-errors", id: `${name}-error` });
    messages.forEach((m) => {
      const li = document.createElement("li");
      li.append(Object.assign(document.createElement("span"), { className: "visually-hidden", textContent: d.msgErrorPrefix || "" }), ` ${m}`);
      list.append(li);
    });
    const after = box.querySelector(":scope > .hint") || box.querySelector(":scope > .label, :scope > legend");
    if (after) after.after(list); else box.prepend(list);
    if (!box.classList.contains("has-error")) box.classList.add("has-error", "js-has-error");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("data-js-invalid", "");
      const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(list.id)) control.setAttribute("aria-describedby", described.concat(list.id).join(" "));
    }
    return target;
  }

  function showErrors(errors) {
    clearErrors();
    const summary = Object.assign(document.createElement("div"), { className: "error-summary", id: "error-summary", tabIndex: -1 });
    summary.setAttribute("role", "alert");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    const heading = Object.assign(document.createElement("h2"), { id: "error-summary-title", textContent: d.msgErrorTitle || "" });
    const list = document.createElement("ul");
    Object.entries(errors || {}).forEach(([name, messages]) => {
      const texts = name === "Idempotency-Key" && d.msgKeyConflict ? [d.msgKeyConflict] : [].concat(messages);
      const target = name in ANCHORS || $(name) ? fieldError(name, texts) : null;
      texts.forEach((m) => {
        const li = document.createElement("li");
        li.append(target ? Object.assign(document.createElement("a"), { href: `#${target.id}`, textContent: m }) : m);
        list.append(li);
      });
    });
    if (errors && errors.lat && $("confirm-outside-field")) $("confirm-outside-field").hidden = false;
    summary.append(heading, list);
    form.before(summary);
    summary.focus();
  }

  document.addEventListener("click", (e) => {
    const a = e.target.closest("#error-summary a[href^='#']");
    const target = a && $(a.hash.slice(1));
    if (!target) return;
    e.preventDefault();
    target.scrollIntoView();
    const control = target.matches("input,textarea,select") ? target : target.querySelector("input:not([type=hidden]),textarea,select,button");
    if (control) control.focus({ preventScroll: true });
  });

  function check() {
    const errors = {}, el = form.elements;
    if (!form.querySelector("[name=category]:checked")) errors.category = [d.msgNeedCategory];
    if (!el.description.value.trim()) errors.description = [d.msgNeedDescription];
    if (!((el.lat.value && el.lon.value) || el.place.value.trim() || el.area.value)) errors.place = [d.msgNeedWhere];
    const tooMany = ($("photo-previews") || d).dataset.msgTooMany;
    const max = +d.maxPhotos || 0;
    const count = kept.length + (photosInput ? photosInput.files.length : 0) + form.querySelectorAll("[name=kept_photos]").length;
    if (max && count > max && tooMany) errors.photos = [tooMany.replace(/\{n\}/g, max)];
    return Object.keys(errors).length ? errors : null;
  }

  /* --- photos already in a waiting report ------------------------------------------------ */
  function showKept() {
    let list = $("queued-photos");
    if (!list && photosInput) {
      list = Object.assign(document.createElement("ul"), { id: "queued-photos", className: "photo-previews" });
      photosInput.before(list);
    }
    if (!list) return;
    list.replaceChildren(...kept.map((photo) => {
      const li = document.createElement("li");
      const url = URL.createObjectURL(photo.blob);
      const img = Object.assign(document.createElement("img"), { alt: "", width: 96, height: 96, src: url });
      img.onload = img.onerror = () => URL.revokeObjectURL(url);
      const remove = Object.assign(document.createElement("button"), { type: "button", className: "link-button", textContent: d.msgRemove || "×" });
      remove.setAttribute("aria-label", `${d.msgRemove || ""} ${photo.name}`.trim());
      remove.addEventListener("click", () => { kept = kept.filter((p) => p !== photo); showKept(); photosInput.focus(); });
      li.append(img, Object.assign(document.createElement("span"), { textContent: photo.name }), remove);
      return li;
    }));
  }

  /* --- the saved-but-not-sent panel --------------------------------------------------- */
  function showQueued(on) {
    if (!queued) return;
    queued.hidden = !on;
    form.hidden = on;
    if (title) title.hidden = on;
    document.querySelectorAll(".report-intro").forEach((el) => { el.hidden = on; });
    if (on) { window.scrollTo(0, 0); queued.focus(); }
  }

  function startOver() {
    if (current) Outbox.lease(current.id, 0).catch(() => {});
    current = null; kept = [];
    const clear = document.querySelector("#position-status + .link-button");
    if (clear && !clear.hidden) clear.click(); // report.js forgets the position and its marker
    form.reset();
    clearErrors();
    if (photosInput) { photosInput.value = ""; photosInput.dispatchEvent(new Event("change")); }
    showKept();
    if (form.elements.occurred_at) form.elements.occurred_at.value = localNow();
    if (title && d.titleNew) title.textContent = d.titleNew;
    history.replaceState(null, "", location.pathname);
    showQueued(false);
    if (title) { title.tabIndex = -1; title.focus(); }
  }

  function receipt(r) { location.assign(`${r.status_url}?sent=1`); }

  function outcome(result) {
    busy = false;
    button.removeAttribute("aria-disabled");
    if (result.kind === "done") { receipt(result.receipt); return; }
    if (result.kind === "attention") { showErrors(result.errors); return; }
    showQueued(true);
  }

  function failed() {
    busy = false;
    button.removeAttribute("aria-disabled");
    showErrors({ _: [d.msgNotSaved] });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (busy) return;
    const problems = check();
    if (problems) { showErrors(problems); return; }
    busy = true;
    button.setAttribute("aria-disabled", "true");
    clearErrors();
    const status = $("send-status");
    if (status) status.textContent = d.msgPreparing || "";
    Shrink.shrinkAll(photosInput ? photosInput.files : []).then((added) => {
      const report = { fields: collect(), photos: kept.concat(added), summary: summary() };
      if (status) status.textContent = d.msgSending || "";
      // Written to the phone first; only then is anything sent.
      return current ? Outbox.update(current.id, report) : Outbox.save(Object.assign({ lang }, report));
    }).then((item) => {
      if (!item) { busy = false; button.removeAttribute("aria-disabled"); showErrors({ _: [d.msgGone] }); return null; }
      current = item;
      kept = item.photos;
      if (photosInput) { photosInput.value = ""; photosInput.dispatchEvent(new Event("change")); }
      showKept();
      return Outbox.flush({ only: item.id }).then((results) => {
        Outbox.retryLater(results);
        outcome(results.find((r) => r.id === item.id) || { kind: "retry" });
      });
    }).catch(failed).finally(() => { if (status) status.textContent = ""; });
  });

  /* Delivered later (by the timer, "Send now" or the service worker) while this page shows it. */
  Outbox.on((message) => {
    if (message.type === "delivered" && current && message.id === current.id && queued && !queued.hidden) {
      receipt(message.receipt);
    }
  });
  if (queued) {
    const again = $("queued-new");
    if (again) again.addEventListener("click", startOver);
  }

  /* Editing a waiting report: the outbox leaves it alone while it is open here. */
  function renew() {
    if (current && Date.now() - leasedAt > 60e3) {
      leasedAt = Date.now();
      Outbox.lease(current.id, LEASE).catch(() => {});
    }
  }
  form.addEventListener("input", renew);
  // Back from the receipt (back/forward cache): the sent report is done, start a new one.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted && current) Outbox.get(current.id).then((item) => { if (!item) startOver(); });
  });
  window.addEventListener("pagehide", () => { if (current && !busy) Outbox.lease(current.id, 0).catch(() => {}); });

  // The offline copy of the form is cached without its query (/report?nightwalk=12): the
  // hidden fields named in data-query-fields are taken from the address instead.
  const query = new URLSearchParams(location.search);
  (d.queryFields || "").split(/\s+/).filter(Boolean).forEach((name) => {
    const el = form.elements[name];
    if (el && el.type === "hidden" && !el.value && query.get(name)) el.value = query.get(name);
  });

  const editing = query.get("edit");
  if (editing) {
    Outbox.lease(editing, LEASE).then(() => Outbox.get(editing)).then((item) => {
      if (!item) { showErrors({ _: [d.msgGone] }); return; }
      current = item;
      leasedAt = Date.now();
      kept = item.photos || [];
      fill(item.fields);
      showKept();
      if (title && d.titleEdit) title.textContent = d.titleEdit;
      if (item.state === "attention" && item.errors) showErrors(item.errors);
    }).catch(failed);
  } else if (form.elements.occurred_at && !$("error-summary")) {
    // The form may come from the offline cache, hours old: "now" is now.
    form.elements.occurred_at.value = localNow();
  }
  Outbox.start();
})();
