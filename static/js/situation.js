/* The lägesbild map: 250 m squares coloured by how many reports they hold (the density, or
   heat, layer) and the reports as markers grouped on a pixel grid. Leaflet is loaded on
   demand; no inline styles (strict CSP): Leaflet sets SVG attributes and CSSOM properties.
   Every visible string comes from data-attributes the server translated. */
(() => {
  "use strict";
  const box = document.getElementById("sit-map");
  if (!box) return;
  const d = box.dataset, status = document.getElementById("sit-map-status");
  const fill = (text, vars) => Object.entries(vars).reduce((t, [k, v]) => t.split("{" + k + "}").join(v), text || "");
  const say = (text) => { if (status) status.textContent = text; };
  const load = (src) => new Promise((resolve, reject) => {
    if (window.L) { resolve(); return; }
    document.head.append(Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject }));
  });
  const data = fetch(d.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  Promise.all([load(d.leafletJs), data]).then(([, geo]) => start(window.L, geo))
    .catch(() => { box.classList.add("map-failed"); say(d.msgFailed); });

  function start(L, geo) {
    const points = (geo.features || []).map((f) => L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]));
    const map = L.map(box, { zoomControl: false, maxZoom: 18 })
      .setView((d.center || "59.5137,15.9906").split(",").map(Number), +d.zoom || 12);
    L.control.zoom({ position: document.dir === "rtl" ? "topright" : "topleft", zoomInTitle: d.msgZoomIn, zoomOutTitle: d.msgZoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 }).addTo(map);
    const cells = L.layerGroup(), markers = L.layerGroup().addTo(map);
    const high = Math.max(1, ...(geo.cells || []).map((c) => c.count));
    (geo.cells || []).forEach((c) => {
      L.polygon(c.ring.map(([lon, lat]) => [lat, lon]), { className: "sit-cell", weight: 0.5, color: "#083a50",
        fillColor: "#b3141f", fillOpacity: 0.12 + 0.68 * Math.sqrt(c.count / high), interactive: false }).addTo(cells);
    });
    cells.addTo(map);
    L.control.layers(null, { [d.msgHeat]: cells, [d.msgMarkers]: markers }, { collapsed: false }).addTo(map);
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
    function draw() {
      const z = map.getZoom(), groups = new Map();
      points.forEach((at) => {
        const px = map.project(at, z), key = z >= 18 ? at.toString() : Math.floor(px.x / 60) + ":" + Math.floor(px.y / 60);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(at);
      });
      markers.clearLayers();
      groups.forEach((list) => {
        const n = list.length, at = L.latLng(list.reduce((s, p) => s + p.lat, 0) / n, list.reduce((s, p) => s + p.lng, 0) / n);
        const icon = L.divIcon({ html: Object.assign(document.createElement("span"), { textContent: String(n) }).outerHTML,
          className: "mm-marker mm-cluster", iconSize: n < 10 ? [30, 30] : n < 100 ? [38, 38] : [46, 46] });
        const m = L.marker(at, { icon, keyboard: true, title: fill(d.msgCluster, { n }) }).addTo(markers);
        m.on("click", () => map.setView(at, Math.min(18, z + 2)));
      });
    }
    map.on("zoomend", draw);
    draw();
    say(fill(d.msgCount, { shown: points.length, total: geo.total || points.length }));
    box.dataset.mapReady = "true";
  }
})();
