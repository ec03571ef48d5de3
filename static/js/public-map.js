/* The residents' map: published reports per 250 m square and per area (counts of five or
   more only; the table under the map has the same numbers). Leaflet is loaded on demand. */
(() => {
  "use strict";
  const box = document.getElementById("pub-map");
  if (!box) return;
  const d = box.dataset, status = document.getElementById("pub-map-status");
  const load = (src) => new Promise((resolve, reject) => {
    if (window.L) { resolve(); return; }
    document.head.append(Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject }));
  });
  const data = fetch(d.geojson, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  Promise.all([load(d.leafletJs), data]).then(([, geo]) => start(window.L, geo))
    .catch(() => { box.classList.add("map-failed"); if (status) status.textContent = d.msgFailed; });

  function start(L, geo) {
    const map = L.map(box, { zoomControl: false, maxZoom: 17 })
      .setView((d.center || "59.5137,15.9906").split(",").map(Number), +d.zoom || 12);
    L.control.zoom({ position: document.dir === "rtl" ? "topright" : "topleft", zoomInTitle: d.msgZoomIn, zoomOutTitle: d.msgZoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 }).addTo(map);
    const features = geo.features || [];
    const high = Math.max(1, ...features.map((f) => f.properties.count));
    const layer = L.geoJSON(geo, {
      style: (f) => ({ weight: f.properties.kind === "area" ? 1.5 : 0.5, color: "#083a50",
        fillColor: f.properties.kind === "area" ? "#0b4f6c" : "#b3141f",
        fillOpacity: (f.properties.kind === "area" ? 0.08 : 0.15) + 0.6 * Math.sqrt(f.properties.count / high) }),
      onEachFeature: (f, l) => l.bindTooltip(Object.assign(document.createElement("span"), {
        textContent: (f.properties.name || f.properties.area || "") + " – " +
          (d.msgCount || "{n}").split("{n}").join(String(f.properties.count)) }), { sticky: true }),
    }).addTo(map);
    if (features.length) map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 14 });
    box.dataset.mapReady = "true";
  }
})();
