/* Grannsamverkan maps, progressive enhancement: the apply form's optional point picker and
   the coordinator's register map. Leaflet is loaded only when a map is shown; every visible
   string comes from data-attributes the server translated. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const summary = $("error-summary");
  if (summary) summary.focus();

  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      document.head.append(Object.assign(document.createElement(tag), attrs, { onload: resolve, onerror: reject }));
    });
  }
  let leaflet = null;
  function loadLeaflet(d) {
    leaflet = leaflet || Promise.all([
      load("link", { rel: "stylesheet", href: d.leafletCss }),
      load("script", { src: d.leafletJs }),
    ]).then(() => window.L, (err) => { leaflet = null; throw err; });
    return leaflet;
  }

  function baseMap(L, el, d) {
    L.Icon.Default.imagePath = d.leafletCss.split("?")[0].replace(/[^/]*$/, "images/");
    const center = (d.mapCenter || "59.5137,15.9906").split(",").map(Number);
    const map = L.map(el).setView(center, +d.mapZoom || 13);
    map.attributionControl.setPrefix(false);
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 }).addTo(map);
    fetch(d.areasUrl, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((geo) => L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, fillOpacity: 0.04 } }).addTo(map))
      .catch(() => {});
    return map;
  }

  /* The apply form: "Mark on a map" fills the hidden lat/lon fields. */
  const form = $("nb-apply"), show = $("nb-show-map"), panel = $("nb-map-panel"), status = $("nb-status");
  if (form && show && panel) {
    document.querySelectorAll(".js-only[hidden]").forEach((el) => { el.hidden = false; });
    const lat = $("lat"), lon = $("lon"), d = form.dataset;
    let map = null, marker = null, clear = null;
    const say = (name) => { status.textContent = name ? status.dataset[name] || "" : ""; };
    const set = (ll) => {
      lat.value = ll ? ll.lat.toFixed(6) : "";
      lon.value = ll ? ll.lng.toFixed(6) : "";
      if (!ll && marker) { marker.remove(); marker = null; }
      if (clear) clear.hidden = !ll;
      say(ll ? "msgMarked" : "");
    };
    clear = Object.assign(document.createElement("button"), { type: "button", className: "link-button", textContent: status.dataset.msgClear, hidden: !lat.value });
    clear.addEventListener("click", () => { set(null); show.focus(); });
    status.after(clear);
    const place = (ll) => {
      if (marker) marker.setLatLng(ll);
      else {
        marker = window.L.marker(ll, { draggable: true, alt: status.dataset.msgMarked }).addTo(map);
        marker.on("dragend", () => set(marker.getLatLng()));
      }
      set(ll);
    };
    show.addEventListener("click", () => {
      const open = panel.hidden;
      panel.hidden = !open;
      show.setAttribute("aria-expanded", open);
      if (!open) return;
      loadLeaflet(d).then((L) => {
        if (map) { map.invalidateSize(); return; }
        map = baseMap(L, $("nb-pick-map"), d);
        map.on("click", (e) => place(e.latlng));
        if (lat.value && lon.value) place(L.latLng(+lat.value, +lon.value));
      }).catch(() => { panel.hidden = true; show.setAttribute("aria-expanded", false); say("msgMapFailed"); });
    });
  }

  /* The coordinator's register map: one dot per entry with a point. */
  const el = $("nb-register-map");
  if (el) {
    const d = el.dataset;
    const colours = { approved: "#00703c", pending: "#b25e00", lapsed: "#b3141f" };
    loadLeaflet(d).then((L) => {
      const map = baseMap(L, el, d);
      return fetch(d.geojson, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((geo) => {
          const layer = L.geoJSON(geo, {
            pointToLayer: (f, ll) => {
              const p = f.properties, colour = p.lapsed ? colours.lapsed : colours[p.state] || "#5b656b";
              return L.circleMarker(ll, { radius: 8, color: "#1b1f23", weight: 1, fillColor: colour, fillOpacity: 0.9 });
            },
            onEachFeature: (f, marker) => {
              const p = f.properties, box = document.createElement("div");
              const line = (text, tag) => box.append(Object.assign(document.createElement(tag || "p"), { textContent: text }));
              line(p.street, "strong");
              line(`${p.area} – ${p.state_label}`);
              line((d.msgHouseholds || "{n}").replace("{n}", p.households));
              line(p.signs);
              box.append(Object.assign(document.createElement("a"), { href: p.url, textContent: d.msgOpen }));
              marker.bindPopup(box);
            },
          }).addTo(map);
          if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
        });
    }).catch(() => el.classList.add("tiles-failed"));
  }
})();
