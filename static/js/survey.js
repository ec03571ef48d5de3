/* Surveys with JavaScript: the whole survey on one page with conditions evaluated live,
   places marked on a lazily loaded map, answers written to the phone's outbox (outbox.js,
   the same one as reports) and sent from there to /api/v1/surveys/<id>/responses — at once,
   or when the connection returns. Results pages get a heat layer of the published squares.
   The pages work without this file. Every visible text comes from data-attributes the
   server translated. */
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

  /* The survey list and a survey page are kept for use without a connection. The service
     worker keeps what it serves; the page it did not serve yet (the first visit) is asked
     for here. */
  const sw = navigator.serviceWorker;
  if (sw && !sw.controller && /^\/surveys(\/\d+)?$/.test(location.pathname)) {
    sw.ready.then((reg) => reg.active && reg.active.postMessage({ type: "keep", path: location.pathname }))
      .catch(() => {});
  }

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

    /* The answers as the outbox keeps them: text fields, and photos as blobs. */
    function answers() {
      const fields = [], photos = [];
      new FormData(form).forEach((value, name) => {
        if (["csrf_token", "nav", "submission_id"].includes(name)) return;
        if (typeof value === "string") fields.push([name, value]);
        else if (value.name) photos.push({ field: name, blob: value, name: value.name });
      });
      return { fields, photos };
    }
    const title = ($("#survey-title") || {}).textContent || "";
    // Only this survey's answers (the outbox also holds reports and other surveys).
    const mine = (item) => item.kind === "survey" && item.url === d.api;

    let busy = false, current = null;
    const status = $("#send-status");
    const done = () => { busy = false; status.textContent = ""; };
    function outcome(result) {
      done();
      if (result.kind === "retry") { showQueued(); return; }
      if (result.kind === "attention") { // nothing was stored: the answers stay here to fix
        Outbox.remove(current.id).catch(() => {});
        current = null;
        showErrors(result.errors);
        return;
      }
      // 201 received; 409 already answered (or closed): the page says why.
      location.assign(result.status === 201 ? d.thanks : d.already);
    }
    form.addEventListener("submit", (e) => {
      if (d.preview || !window.Outbox || !Outbox.supported) return; // a plain post still works
      e.preventDefault();
      if (busy) return;
      const problems = check();
      if (Object.keys(problems).length) { showErrors(problems); return; }
      busy = true;
      status.textContent = d.msgSending;
      // One answer per survey waits on a phone; a second one would be refused anyway.
      Outbox.list().then((items) => {
        const waiting = items.find(mine);
        if (waiting) { current = waiting; done(); showQueued(); return null; }
        const item = Object.assign({ kind: "survey", url: d.api, page: location.pathname, lang,
                                     summary: { title } }, answers());
        return Outbox.save(item).then((kept) => {
          current = kept;
          return Outbox.flush({ only: kept.id }).then((results) => {
            Outbox.retryLater(results);
            outcome(results.find((r) => r.id === kept.id) || { kind: "retry" });
          });
        });
      }).catch(() => { done(); showErrors({ _: [d.msgNotSaved] }); });
    });

    function showQueued() {
      form.hidden = true;
      const panel = $("#queued");
      panel.hidden = false;
      panel.focus();
    }
    if (!window.Outbox || !Outbox.supported || d.preview) return;
    // Sent later (when the connection returns, by "Send now" or the service worker).
    Outbox.on((message) => {
      if (message.type === "delivered" && current && message.id === current.id) {
        location.assign(message.status === 201 ? d.thanks : d.already);
      }
    });
    Outbox.start();
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
