/* Moderation back office, progressive enhancement: the queue and the report page work without
   this file (plain forms). Keyboard work, photo redaction by dragging, the position map.
   Every visible string comes from data-attributes the server translated (#mod-live). */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const live = $("mod-live");
  const msg = (name, vars) => Object.entries(vars || {}).reduce(
    (t, [k, v]) => t.split("{" + k + "}").join(v), (live && live.dataset[name]) || "");
  let sayTimer = 0;
  function say(name, vars) {
    if (!live) return;
    const text = msg(name, vars);
    live.textContent = "";
    clearTimeout(sayTimer);
    /* Emptied first and filled a moment later, so the same message is read out again. */
    sayTimer = setTimeout(() => { live.textContent = text; }, 60);
  }
  /* Keys belong to the field while someone types in it. */
  const typing = (el) => !!el && (el.isContentEditable || el.tagName === "TEXTAREA" ||
    el.tagName === "SELECT" || (el.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(el.type)));
  const plainKey = (e) => !(e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e.target));
  const idIn = (url) => ((url || "").match(/\/(\d+)\/?(?:[?#]|$)/) || [])[1] || "";

  /* ---- The queue: j/k or arrows move, Enter/o opens, x selects, * selects all, a accepts. ---- */
  function initQueue(table) {
    const form = $("bulk-form");
    const rows = Array.from(table.querySelectorAll("tbody tr[data-url]"));
    const box = (tr) => tr.querySelector("input[type=checkbox]");
    const selected = () => rows.filter((tr) => box(tr) && box(tr).checked);
    let at = -1, busy = false;
    const mark = () => rows.forEach((tr, n) => tr.classList.toggle("is-focused", n === at));
    function focusRow(i) {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      mark();
      const row = rows[at];
      (row.querySelector("a") || box(row) || row).focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
    function sync(tr) {
      const cb = box(tr);
      tr.classList.toggle("is-selected", !!(cb && cb.checked));
    }
    function setBox(tr, on) {
      const cb = box(tr);
      if (!cb) return;
      cb.checked = on;
      sync(tr);
    }
    table.addEventListener("focusin", (e) => {
      const tr = e.target.closest("tr[data-url]");
      if (tr) { at = rows.indexOf(tr); mark(); }
    });
    table.addEventListener("change", (e) => {
      const tr = e.target.closest("tr[data-url]");
      if (tr) { sync(tr); say("msgSelected", { n: selected().length }); }
    });
    /* A click on the row (outside its link and box) makes it the current row. */
    table.addEventListener("click", (e) => {
      const tr = e.target.closest("tr[data-url]");
      if (tr && !e.target.closest("a,input,button,label")) focusRow(rows.indexOf(tr));
    });
    rows.forEach(sync);
    function accept() {
      let chosen = selected();
      if (!chosen.length && at >= 0) { setBox(rows[at], true); chosen = [rows[at]]; }
      if (!chosen.length || !form) { say("msgSelectFirst"); return; }
      const action = form.elements.action;
      if (action) action.value = "accepted";
      busy = true;
      say("msgSaving");
      form.requestSubmit();
    }
    document.addEventListener("keydown", (e) => {
      if (busy || !plainKey(e)) return;
      const k = e.key, active = document.activeElement;
      const here = table.contains(active) || active === document.body || active === $("main");
      if (k === "j" || (k === "ArrowDown" && here)) focusRow(at < 0 ? 0 : at + 1);
      else if (k === "k" || (k === "ArrowUp" && here)) focusRow(at < 0 ? 0 : at - 1);
      else if ((k === "Enter" && here) || k === "o") {
        if (at < 0) return;
        location.href = rows[at].dataset.url;
      } else if (k === "x") {
        if (at < 0) focusRow(0);
        if (at < 0) return;
        setBox(rows[at], !box(rows[at]).checked);
        say("msgSelected", { n: selected().length });
      } else if (k === "*") {
        const all = selected().length < rows.length;
        rows.forEach((tr) => setBox(tr, all));
        say("msgSelected", { n: selected().length });
      } else if (k === "a") accept();
      else return;
      e.preventDefault();
    });
    /* Back from another page (bfcache): the form may be submitted again. */
    window.addEventListener("pageshow", () => { busy = false; });
  }

  /* ---- One report: j/k older/newer, q queue, a/r/f/d/n change the state and go on. ---- */
  const KEYS = { a: "accepted", r: "in_review", f: "forwarded", d: "resolved", n: "no_action" };
  const THEN_QUEUE = "kr-mod-then-queue";
  const store = {
    get: () => { try { return sessionStorage.getItem(THEN_QUEUE); } catch (err) { return null; } },
    set: (v) => { try { if (v) sessionStorage.setItem(THEN_QUEUE, v); else sessionStorage.removeItem(THEN_QUEUE); } catch (err) { /* private mode */ } },
  };

  function initCase(kase) {
    const d = kase.dataset, form = $("state-form");
    const rid = form ? idIn(form.getAttribute("action").replace(/\/state(?=[?#]|$)/, "")) : "";
    /* The last report was saved: back to the queue, unless the save was refused. */
    if (rid && store.get() === rid) {
      store.set("");
      if (!document.querySelector(".notice-error")) { location.replace(d.queue); return false; }
    }
    let busy = false;
    function act(state) {
      const select = form.elements.state;
      if (!select || !Array.from(select.options).some((o) => o.value === state)) {
        say("msgNotAllowed");
        return;
      }
      select.value = state;
      const next = idIn(d.older);
      busy = true;
      say("msgSaving");
      if (!next) { store.set(rid); form.requestSubmit(); return; }
      let go = form.querySelector("button[name=go_next]");
      if (go) { go.value = next; form.requestSubmit(go); return; }
      go = Object.assign(document.createElement("input"), { type: "hidden", name: "go_next", value: next });
      form.append(go);
      form.requestSubmit();
    }
    document.addEventListener("keydown", (e) => {
      if (busy || !plainKey(e)) return;
      const k = e.key;
      if (k === "j" || k === "k") {
        const url = k === "j" ? d.older : d.newer;
        if (url) location.href = url; else say("msgNoMore");
      } else if (k === "q") location.href = d.queue;
      else if (KEYS[k] && form) act(KEYS[k]);
      else return;
      e.preventDefault();
    });
    window.addEventListener("pageshow", () => { busy = false; });
    return true;
  }

  /* ---- Reply templates fill the reply. ---- */
  function initTemplates() {
    const reply = $("reply-text");
    document.querySelectorAll(".use-template[data-text]").forEach((b) => b.addEventListener("click", () => {
      if (!reply) return;
      reply.value = b.dataset.text;
      reply.focus();
    }));
  }

  /* ---- Redaction: drag rectangles on the photo; each becomes a hidden "x,y,w,h" field. ---- */
  const clamp = (v) => Math.min(1, Math.max(0, v));
  function initRedaction(li) {
    const img = li.querySelector("img.redact-target"), form = li.querySelector("form.redact-form");
    if (!img || !form) return;
    const link = img.closest("a") || img;
    const frame = Object.assign(document.createElement("div"), { className: "redact-frame" });
    const layer = Object.assign(document.createElement("div"), { className: "redact-layer" });
    layer.setAttribute("aria-hidden", "true");
    link.before(frame);
    frame.append(link, layer);
    const tools = Object.assign(document.createElement("div"), { className: "redact-tools" });
    const draw = Object.assign(document.createElement("button"), { type: "button", className: "button redact-draw", textContent: msg("msgDraw") });
    draw.setAttribute("aria-pressed", "false");
    const clear = Object.assign(document.createElement("button"), { type: "button", className: "link-button", textContent: msg("msgClear"), hidden: true });
    tools.append(draw, clear);
    form.prepend(tools);
    const text = form.querySelector("input[name=regions]:not([type=hidden])");
    const regions = [];
    let start = null, box = null;

    function setMode(on) {
      draw.setAttribute("aria-pressed", String(on));
      frame.classList.toggle("is-drawing", on);
      if (on) say("msgDrawHint");
    }
    draw.addEventListener("click", () => setMode(draw.getAttribute("aria-pressed") !== "true"));
    li.addEventListener("keydown", (e) => { if (e.key === "Escape" && draw.getAttribute("aria-pressed") === "true") { setMode(false); draw.focus(); } });
    const rect = (a, b) => ({ x: Math.min(a[0], b[0]), y: Math.min(a[1], b[1]), w: Math.abs(a[0] - b[0]), h: Math.abs(a[1] - b[1]) });
    function place(el, r) {
      el.style.left = r.x * 100 + "%";
      el.style.top = r.y * 100 + "%";
      el.style.width = r.w * 100 + "%";
      el.style.height = r.h * 100 + "%";
    }
    function pos(e) {
      const p = e.changedTouches ? e.changedTouches[0] : e, r = layer.getBoundingClientRect();
      return [clamp((p.clientX - r.left) / r.width), clamp((p.clientY - r.top) / r.height)];
    }
    function down(e) {
      if (!frame.classList.contains("is-drawing") || e.button > 0) return;
      e.preventDefault();
      start = pos(e);
      box = Object.assign(document.createElement("div"), { className: "redact-box is-new" });
      layer.append(box);
      place(box, rect(start, start));
      if (e.pointerId != null && layer.setPointerCapture) layer.setPointerCapture(e.pointerId);
    }
    function move(e) {
      if (!start) return;
      e.preventDefault();
      place(box, rect(start, pos(e)));
    }
    function up(e) {
      if (!start) return;
      const r = rect(start, pos(e));
      start = null;
      box.classList.remove("is-new");
      if (r.w < 0.01 || r.h < 0.01 || r.x >= 1 || r.y >= 1) { box.remove(); return; }
      const value = [r.x, r.y, r.w, r.h].map((v) => v.toFixed(4)).join(",");
      const input = Object.assign(document.createElement("input"), { type: "hidden", name: "regions", value });
      form.append(input);
      regions.push([box, input]);
      clear.hidden = false;
      say("msgRegions", { n: regions.length });
    }
    if (window.PointerEvent) {
      layer.addEventListener("pointerdown", down);
      layer.addEventListener("pointermove", move);
      layer.addEventListener("pointerup", up);
      layer.addEventListener("pointercancel", () => { if (box && start) box.remove(); start = null; });
    } else {
      layer.addEventListener("mousedown", down);
      window.addEventListener("mousemove", move);
      window.addEventListener("mouseup", up);
      layer.addEventListener("touchstart", down, { passive: false });
      layer.addEventListener("touchmove", move, { passive: false });
      layer.addEventListener("touchend", up);
    }
    clear.addEventListener("click", () => {
      regions.splice(0).forEach(([b, input]) => { b.remove(); input.remove(); });
      clear.hidden = true;
      say("msgRegions", { n: 0 });
      draw.focus();
    });
    /* Preview of the chosen way of hiding. */
    const mode = () => layer.classList.toggle("is-black", !!form.querySelector("input[name=mode][value=black]:checked"));
    form.addEventListener("change", mode);
    mode();
    /* An empty text field would be sent as an invalid region next to the drawn ones. */
    form.addEventListener("submit", () => { if (text && !text.value.trim() && regions.length) text.disabled = true; });
    window.addEventListener("pageshow", () => { if (text) text.disabled = false; });
  }

  /* ---- The report's position on a map: Leaflet loaded when the map comes into view. ---- */
  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      document.head.append(Object.assign(document.createElement(tag), attrs, { onload: resolve, onerror: reject }));
    });
  }
  function initPointMap(point, box) {
    const p = point.dataset;
    if (!p.leafletJs || !p.leafletCss) return;
    box.hidden = false;
    const show = () => Promise.all([
      window.L ? null : load("link", { rel: "stylesheet", href: p.leafletCss }),
      window.L ? null : load("script", { src: p.leafletJs }),
    ]).then(() => {
      const L = window.L, at = [+p.lat, +p.lon];
      L.Icon.Default.imagePath = p.leafletCss.split("?")[0].replace(/[^/]*$/, "images/");
      const map = L.map(box, { zoomControl: false, scrollWheelZoom: false }).setView(at, 16);
      const zoom = { position: document.dir === "rtl" ? "topright" : "topleft" };
      if (msg("msgZoomIn") && msg("msgZoomOut")) Object.assign(zoom, { zoomInTitle: msg("msgZoomIn"), zoomOutTitle: msg("msgZoomOut") });
      L.control.zoom(zoom).addTo(map);
      map.attributionControl.setPrefix(false);
      const tiles = L.tileLayer(p.tileUrl, { attribution: p.tileAttribution || "", maxZoom: 19 });
      tiles.once("tileerror", () => {
        box.classList.add("tiles-failed");
        if (msg("msgTilesFailed")) box.after(Object.assign(document.createElement("p"), { className: "map-note", textContent: msg("msgTilesFailed") }));
      });
      tiles.addTo(map);
      if (p.areasUrl) fetch(p.areasUrl, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((geo) => L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, opacity: 0.6, fillOpacity: 0.03 } }).addTo(map))
        .catch(() => {});
      if (+p.accuracy) L.circle(at, { radius: +p.accuracy, weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
      L.marker(at, { alt: msg("msgMarker"), keyboard: false, interactive: false }).addTo(map);
      box.dataset.mapReady = "true";
    }).catch(() => { box.hidden = true; });
    if (!("IntersectionObserver" in window)) { show(); return; }
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((en) => en.isIntersecting)) { seen.disconnect(); show(); }
    }, { rootMargin: "200px" });
    /* A moderator going through the queue by keyboard often leaves within a second: load the
       map only for a page they stay on. */
    setTimeout(() => seen.observe(box), 600);
  }

  const table = $("queue");
  if (table) initQueue(table);
  const kase = $("case");
  if (kase && !initCase(kase)) return;
  initTemplates();
  document.querySelectorAll(".case-photos li").forEach(initRedaction);
  const point = $("case-point"), mapBox = $("case-map");
  if (point && mapBox && point.dataset.lat && point.dataset.lon) initPointMap(point, mapBox);
})();
