/* Surveys with JavaScript: the whole survey on one page with conditions evaluated live,
   places marked on a lazily loaded map, answers sent to /api/v1/surveys/<id>/responses and,
   without a connection, kept on the phone (IndexedDB) and sent later. Results pages get a
   heat layer of the published squares. The pages work without this file. Every visible
   text comes from data-attributes the server translated. */
(() => {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  /* --- Leaflet, loaded only when a map is needed ----------------------------------------- */
  let leaflet = null;
  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      document.head.append(Object.assign(document.createElement(tag), attrs, { onload: resolve, onerror: reject }));
    });
  }
  function loadLeaflet(d) {
    leaflet = leaflet || Promise.all([
      load("link", { rel: "stylesheet", href: d.leafletCss }), load("script", { src: d.leafletJs }),
    ]).then(() => window.L, (err) => { leaflet = null; throw err; });
    return leaflet;
  }
  function baseMap(L, el, d) {
    L.Icon.Default.imagePath = d.leafletCss.split("?")[0].replace(/[^/]*$/, "images/");
    const map = L.map(el, { zoomControl: true }).setView((d.mapCenter || "59.5137,15.9906").split(",").map(Number), +d.mapZoom || 13);
    map.attributionControl.setPrefix(false);
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 }).addTo(map);
    return map;
  }

  /* --- the outbox of survey answers (IndexedDB) --------------------------------------------- */
  const DB = "kopingreport-surveys";
  function db() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore("answers", { keyPath: "key" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function store(mode, fn) {
    return db().then((conn) => new Promise((resolve, reject) => {
      const t = conn.transaction("answers", mode);
      let result;
      fn(t.objectStore("answers"), (v) => { result = v; });
      t.oncomplete = () => { conn.close(); resolve(result); };
      t.onerror = t.onabort = () => { conn.close(); reject(t.error); };
    }));
  }
  const keep = (item) => store("readwrite", (s) => s.put(item));
  const forget = (key) => store("readwrite", (s) => s.delete(key));
  const waiting = () => store("readonly", (s, set) => { s.getAll().onsuccess = (e) => set(e.target.result); });

  /* Send one answer. Resolves to {status, data}; status 0 means no connection. */
  function post(item) {
    const body = new FormData();
    item.fields.forEach(([name, value, filename]) => (filename ? body.append(name, value, filename) : body.append(name, value)));
    return fetch(`${item.url}?lang=${encodeURIComponent(item.lang)}`, {
      method: "POST", body, credentials: "same-origin", cache: "no-store",
      headers: { "Idempotency-Key": item.key, Accept: "application/json" },
    }).then((res) => res.json().then((data) => ({ status: res.status, data }), () => ({ status: res.status, data: null })),
             () => ({ status: 0, data: null }));
  }
  /* Send what waits; resolves to the keys the server has now received. A call while a
     round is under way gets that round's result. */
  let running = null;
  function flush() {
    if (!window.indexedDB) return Promise.resolve([]);
    running = running || waiting().then(async (items) => {
      const received = [];
      for (const item of items || []) {
        const { status } = await post(item);
        if (status === 0 || status >= 500 || status === 429) break; // still offline: try later
        await forget(item.key); // received, refused as a repeat, or invalid: nothing to retry
        if (status === 201) received.push(item.key);
      }
      return received;
    }).catch(() => []).finally(() => { running = null; });
    return running;
  }
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flush(); });
  flush();

  /* --- the survey form --------------------------------------------------------------------- */
  const form = $("#survey-form");
  if (form) initForm(form);
  $$(".sv-heat[data-geojson]").forEach(initHeat);

  function initForm(form) {
    const d = form.dataset;
    const lang = document.documentElement.lang;
    $$(".js-only[hidden]", form).forEach((el) => { el.hidden = false; });
    // One page: every section shown, conditions handled here.
    $$(".sv-section", form).forEach((s) => { s.hidden = false; });
    $$(".sv-next, .sv-send, .sv-back, .sv-progress, .sv-condition-hint", form).forEach((el) => { el.hidden = true; });
    $(".sv-send-all", form).hidden = false;
    const blocks = $$("[data-question]", form);
    const byName = new Map(blocks.map((b) => [b.dataset.question, b]));
    const chosen = (name) => $$(`[name="${name}"]:checked`, form).map((el) => el.value);

    function applyConditions() {
      blocks.forEach((block) => {
        if (!block.dataset.condition) return;
        const rule = JSON.parse(block.dataset.condition);
        const source = byName.get(rule.field);
        const sourceShown = !source || !source.hidden;
        block.hidden = !(sourceShown && chosen(rule.field).some((v) => rule.values.includes(v)));
      });
    }
    applyConditions();
    form.addEventListener("change", applyConditions);
    blocks.filter((b) => b.dataset.kind === "map_point").forEach((b) => initPoints(b, d));

    function answered(block) {
      const name = block.dataset.question, kind = block.dataset.kind;
      if (kind === "matrix") return $$("fieldset.sv-row", block).every((row) => $$("input:checked", row).length);
      if (["single", "multiple", "scale", "yes_no"].includes(kind)) return chosen(name).length > 0;
      if (kind === "map_point") return $$("input[type=hidden], select, input[type=text]", block).some((el) => el.value && !/_note$/.test(el.name));
      if (kind === "photo") return !!($(`#${name}`, block).files.length || $(`[name="${name}_kept"]`, block));
      const el = $(`[name="${name}"]`, block);
      return !!(el && el.value.trim());
    }
    function check() {
      const errors = {};
      blocks.filter((b) => !b.hidden).forEach((block) => {
        const name = block.dataset.question;
        if (block.dataset.required && !answered(block)) {
          errors[name] = [block.dataset.kind === "matrix" ? d.msgRequiredRows : d.msgRequired];
        }
        const max = +block.dataset.max || 0;
        if (max && chosen(name).length > max) errors[name] = [d.msgTooMany.replace("{n}", max)];
        const other = $(`[name="${name}_other"]`, block);
        if (other && chosen(name).includes("other") && !other.value.trim()) errors[name] = [d.msgOther];
      });
      return errors;
    }

    function showErrors(errors) {
      $$(".js-errors", form).forEach((el) => el.remove());
      $$(".js-has-error", form).forEach((el) => el.classList.remove("has-error", "js-has-error"));
      const old = $("#error-summary");
      if (old) old.remove();
      const box = Object.assign(document.createElement("div"), { className: "error-summary", id: "error-summary", tabIndex: -1 });
      box.setAttribute("role", "alert");
      const list = document.createElement("ul");
      Object.entries(errors).forEach(([name, messages]) => {
        const block = byName.get(name);
        const target = document.getElementById(name) || (block && block.querySelector("[id]"));
        [].concat(messages).forEach((m) => {
          const li = document.createElement("li");
          li.append(target ? Object.assign(document.createElement("a"), { href: `#${target.id}`, textContent: m }) : m);
          list.append(li);
        });
        if (block) {
          block.classList.add("has-error", "js-has-error");
          const ul = Object.assign(document.createElement("ul"), { className: "field-errors js-errors" });
          [].concat(messages).forEach((m) => ul.append(Object.assign(document.createElement("li"), { textContent: m })));
          const legend = $("legend, label", block);
          legend.after(ul);
        }
      });
      box.append(Object.assign(document.createElement("h2"), { textContent: d.msgErrorTitle }), list);
      form.before(box);
      box.focus();
    }

    function fields() {
      const out = [];
      new FormData(form).forEach((value, name) => {
        if (name === "csrf_token" || name === "nav") return;
        if (value instanceof File) { if (value.name) out.push([name, value, value.name]); } else out.push([name, value]);
      });
      return out;
    }

    let busy = false;
    form.addEventListener("submit", (e) => {
      if (d.preview || !window.fetch || !window.indexedDB) return; // a plain post still works
      e.preventDefault();
      if (busy) return;
      const problems = check();
      if (Object.keys(problems).length) { showErrors(problems); return; }
      busy = true;
      const status = $("#send-status");
      status.textContent = d.msgSending;
      const item = { key: form.elements.submission_id.value, url: d.api, lang, fields: fields() };
      keep(item).catch(() => null).then(() => post(item)).then(({ status: code, data }) => {
        busy = false;
        status.textContent = "";
        if (code === 201) { forget(item.key).finally(() => location.assign(d.thanks)); return; }
        if (code === 0 || code >= 500 || code === 429) { showQueued(); return; }
        forget(item.key);
        if (code === 422 && data && data.errors) { showErrors(data.errors); return; }
        location.assign(d.already); // 409 (already answered, closed), 401 (log in): the page says why
      }).catch(() => { busy = false; showErrors({ _: [d.msgNotSaved] }); });
    });

    function showQueued() {
      form.hidden = true;
      const panel = $("#queued");
      panel.hidden = false;
      panel.focus();
      const key = form.elements.submission_id.value;
      const again = () => flush().then((keys) => { if (keys.includes(key)) location.assign(d.thanks); });
      window.addEventListener("online", again);
      setInterval(again, 30e3);
    }
  }

  /* --- places on a map: each tap fills the next free slot ------------------------------------ */
  function initPoints(block, d) {
    const mapEl = $(".sv-map", block), status = $(".position-status", block);
    const slots = $$(".sv-point", block);
    const markers = new Map();
    let map = null;
    const say = (text) => { if (status) status.textContent = text || ""; };
    const input = (slot, end) => $(`input[name$="_${end}"]`, slot);
    function set(slot, lat, lon) {
      input(slot, "lat").value = lat == null ? "" : lat.toFixed(6);
      input(slot, "lon").value = lon == null ? "" : lon.toFixed(6);
      $(".sv-point-marked", slot).hidden = lat == null;
      if (lat != null) $("details", slot).open = true;
      if (markers.has(slot)) { markers.get(slot).remove(); markers.delete(slot); }
      if (lat != null && map) addMarker(slot, lat, lon);
    }
    function addMarker(slot, lat, lon) {
      const m = window.L.marker([lat, lon], { alt: d.msgMarked }).addTo(map);
      m.on("click", () => set(slot, null));
      markers.set(slot, m);
    }
    function place(lat, lon) {
      const free = slots.find((s) => !input(s, "lat").value);
      if (!free) { say(d.msgFull); return; }
      set(free, lat, lon);
      say(d.msgMarked);
    }
    slots.forEach((slot) => {
      const lat = input(slot, "lat").value, lon = input(slot, "lon").value;
      if (lat && lon) $(".sv-point-marked", slot).hidden = false;
      $(".sv-point-clear", slot).addEventListener("click", () => set(slot, null));
    });
    function start() {
      if (map) return;
      loadLeaflet(d).then((L) => {
        map = baseMap(L, mapEl, d);
        fetch(d.areasUrl, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : Promise.reject()))
          .then((geo) => L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, fillOpacity: 0.04 } }).addTo(map))
          .catch(() => {});
        map.on("click", (e) => place(e.latlng.lat, e.latlng.lng));
        slots.forEach((slot) => {
          const lat = +input(slot, "lat").value, lon = +input(slot, "lon").value;
          if (lat && lon) addMarker(slot, lat, lon);
        });
      }).catch(() => { mapEl.hidden = true; say(d.msgMapFailed); });
    }
    if ("IntersectionObserver" in window) {
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); start(); }
      }, { rootMargin: "200px" });
      seen.observe(mapEl);
    } else start();
    const use = $(".sv-use-position", block);
    use.addEventListener("click", () => {
      if (!navigator.geolocation) { say(d.msgDenied); return; }
      say(d.msgLocating);
      navigator.geolocation.getCurrentPosition((pos) => {
        place(pos.coords.latitude, pos.coords.longitude);
        if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 16);
      }, () => say(d.msgDenied), { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
    });
  }

  /* --- results: the heat layer of published squares --------------------------------------- */
  function initHeat(box) {
    const d = (box.closest("[data-leaflet-js]") || box).dataset;
    box.hidden = false;
    const el = $(".sv-heat-map", box);
    Promise.all([loadLeaflet(d), fetch(box.dataset.geojson, { headers: { Accept: "application/json" } }).then((r) => r.json())])
      .then(([L, geo]) => {
        const map = baseMap(L, el, d);
        const max = Math.max(1, ...geo.features.map((f) => f.properties.responses));
        const layer = L.geoJSON(geo, {
          style: (f) => ({ className: `sv-cell-${Math.min(4, Math.ceil((4 * f.properties.responses) / max))}`, weight: 1, fillOpacity: 0.7 }),
        }).addTo(map);
        if (geo.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 15 });
      }).catch(() => { box.hidden = true; });
  }
})();
