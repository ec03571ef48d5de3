/* The filtered queue on a map. Leaflet is loaded on demand; nearby reports are grouped on a
   pixel grid (one pass over the points per zoom level, no plugin). Every marker is a focusable
   button: a group zooms in, a single report opens. No popups (they need style attributes).
   Every visible string comes from data-attributes the server translated. */
(() => {
  "use strict";
  const box = document.getElementById("queue-map");
  if (!box) return;
  const d = box.dataset, status = document.getElementById("map-status");
  const CELL = 64, MAX_ZOOM = 18;
  const fill = (text, vars) => Object.entries(vars).reduce((t, [k, v]) => t.split("{" + k + "}").join(v), text || "");
  const say = (text) => { if (status && text) status.textContent = text; };
  const script = (src) => new Promise((resolve, reject) => {
    if (window.L) { resolve(); return; }
    document.head.append(Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject }));
  });
  const data = fetch(d.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  Promise.all([script(d.leafletJs), data]).then(([, geo]) => start(window.L, geo.features || []))
    .catch(() => { box.classList.add("map-failed"); say(d.msgFailed); });

  /* The area borders come from this site, so the map has a shape even without tiles. */
  function outline(L, map, url) {
    if (url) fetch(url, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((geo) => L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, opacity: 0.6, fillOpacity: 0.03 } }).addTo(map))
      .catch(() => {});
  }

  function start(L, features) {
    const points = features.filter((f) => f && f.geometry && f.geometry.type === "Point").map((f) => ({
      at: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), p: f.properties || {},
    }));
    const map = L.map(box, { zoomControl: false, maxZoom: MAX_ZOOM })
      .setView((d.center || "59.5137,15.9906").split(",").map(Number), +d.zoom || 12);
    const zoom = { position: document.dir === "rtl" ? "topright" : "topleft" };
    if (d.msgZoomIn && d.msgZoomOut) Object.assign(zoom, { zoomInTitle: d.msgZoomIn, zoomOutTitle: d.msgZoomOut });
    L.control.zoom(zoom).addTo(map);
    map.attributionControl.setPrefix(false);
    const tiles = L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 });
    tiles.once("tileerror", () => {
      box.classList.add("tiles-failed");
      if (d.msgTilesFailed) box.after(Object.assign(document.createElement("p"), { className: "map-note", textContent: d.msgTilesFailed }));
    });
    tiles.addTo(map);
    outline(L, map, d.areasUrl);
    const layer = L.layerGroup().addTo(map);
    if (points.length) map.fitBounds(L.latLngBounds(points.map((x) => x.at)), { padding: [32, 32], maxZoom: 16 });
    let shown = null, opened = null;

    function marker(at, icon, label, onPress) {
      const m = L.marker(at, { icon, keyboard: true, riseOnHover: true }).addTo(layer);
      const el = m.getElement();
      el.setAttribute("aria-label", label);
      el.title = label;
      m.on("click", onPress);
      el.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        e.stopPropagation();
        onPress();
      });
      return el;
    }
    function group(list) {
      const n = list.length;
      const at = L.latLng(list.reduce((s, x) => s + x.at.lat, 0) / n, list.reduce((s, x) => s + x.at.lng, 0) / n);
      if (n === 1) {
        const p = list[0].p, state = String(p.state || "").replace(/[^a-z_]/g, "");
        const icon = L.divIcon({ className: "mm-marker mm-pin mm-state-" + state, iconSize: [22, 22] });
        return { at, list, make: () => marker(at, icon, fill(d.msgOpen, { ref: p.reference || "" }), () => { if (p.url) location.href = p.url; }) };
      }
      const count = Object.assign(document.createElement("span"), { textContent: String(n) });
      const size = n < 10 ? 34 : n < 100 ? 42 : 50;
      const icon = L.divIcon({ html: count, className: "mm-marker mm-cluster", iconSize: [size, size] });
      return { at, list, make: () => marker(at, icon, fill(d.msgCluster, { n }), () => {
        opened = new Set(list);
        const bounds = L.latLngBounds(list.map((x) => x.at));
        if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(at, MAX_ZOOM);
        else map.fitBounds(bounds, { padding: [48, 48], maxZoom: MAX_ZOOM });
      }) };
    }
    /* Reports in the same grid cell (in screen pixels at this zoom) form one group. The grid
       does not move when the map is panned, so groups change only with the zoom level. */
    function draw() {
      const z = map.getZoom();
      if (z === shown) return;
      shown = z;
      const cells = new Map();
      points.forEach((x, i) => {
        const px = map.project(x.at, z);
        const key = z >= MAX_ZOOM ? i : Math.floor(px.x / CELL) + ":" + Math.floor(px.y / CELL);
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(x);
      });
      const rtl = document.dir === "rtl" ? -1 : 1;
      const groups = Array.from(cells.values(), group)
        .sort((a, b) => b.at.lat - a.at.lat || rtl * (a.at.lng - b.at.lng));
      const focused = box.contains(document.activeElement) && document.activeElement.classList.contains("mm-marker");
      layer.clearLayers();
      const els = groups.map((g) => g.make());
      /* Keyboard users stay with what they opened: the first group of its reports. */
      const next = opened ? groups.findIndex((g) => g.list.some((x) => opened.has(x))) : -1;
      if (next >= 0) els[next].focus();
      else if (focused && els.length) els[0].focus();
      opened = null;
      box.dataset.groups = String(groups.length);
    }
    map.on("zoomend", draw);
    draw();
    say(fill(d.msgCount, { n: points.length }));
    box.dataset.mapReady = "true";
  }
})();
