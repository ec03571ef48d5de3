/* Report form, progressive enhancement: the form also works without this file.
   Every visible string comes from data-attributes the server translated. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const text = (el, name) => (el && el.dataset[name]) || "";
  const summary = $("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", (e) => {
      const a = e.target.closest("a[href^='#']");
      let target = a && $(a.hash.slice(1));
      if (!target) return;
      if (target.type === "hidden") target = target.closest("fieldset") || target;
      e.preventDefault();
      target.scrollIntoView();
      const control = target.matches("input,textarea,select") ? target : target.querySelector("button,input:not([type=hidden]),textarea,select");
      if (control) control.focus({ preventScroll: true });
    });
  }
  const form = $("report-form");
  if (!form) return;
  document.querySelectorAll(".js-only[hidden]").forEach((el) => { el.hidden = false; });

  const d = form.dataset;
  const status = $("position-status");
  const usePos = $("use-position");
  const f = { lat: $("lat"), lon: $("lon"), acc: $("accuracy"), src: $("location_source") };
  const inside = (lat, lon) => lat >= 59.43 && lat <= 59.73 && lon >= 15.49 && lon <= 16.26;
  let map = null, marker = null, circle = null, leaflet = null, clearBtn = null;

  function say(name, problem, m) {
    if (!status) return;
    status.textContent = text(status, name).replace("{m}", m == null ? "" : m);
    status.classList.toggle("is-problem", !!problem);
  }

  function showClear(on) {
    if (!clearBtn && on && text(status, "msgClear")) {
      clearBtn = document.createElement("button");
      clearBtn.type = "button";
      clearBtn.className = "link-button";
      clearBtn.textContent = text(status, "msgClear");
      clearBtn.addEventListener("click", () => { setPoint(null); say(""); usePos.focus(); });
      status.after(clearBtn);
    }
    if (clearBtn) clearBtn.hidden = !on;
  }

  function setPoint(lat, lon, acc, source) {
    const has = lat != null;
    f.lat.value = has ? lat.toFixed(6) : "";
    f.lon.value = has ? lon.toFixed(6) : "";
    f.acc.value = has && acc ? Math.round(acc) : "";
    if (f.src) f.src.value = has ? source : "";
    showClear(has);
    if (has && map) showOnMap(lat, lon, acc);
    if (!has && marker) { marker.remove(); marker = null; }
    if (circle && (!has || !acc)) { circle.remove(); circle = null; }
  }

  function placed(lat, lon, msg, m) {
    if (inside(lat, lon)) say(msg, false, m); else say("msgOutside", true);
  }

  /* "Use my position": works offline, no map needed. */
  if (usePos) usePos.addEventListener("click", () => {
    if (!navigator.geolocation) { say("msgDenied", true); return; }
    say("msgLocating");
    usePos.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition((pos) => {
      usePos.removeAttribute("aria-busy");
      const { latitude: lat, longitude: lon, accuracy } = pos.coords;
      setPoint(lat, lon, accuracy, "gps");
      placed(lat, lon, "msgFound", Math.round(accuracy));
    }, () => {
      usePos.removeAttribute("aria-busy");
      say("msgDenied", true);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  });

  /* "Mark on a map": Leaflet is loaded only when asked for. */
  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      const el = Object.assign(document.createElement(tag), attrs, { onload: resolve, onerror: reject });
      document.head.append(el);
    });
  }
  function loadLeaflet() {
    leaflet = leaflet || Promise.all([
      load("link", { rel: "stylesheet", href: d.leafletCss }),
      load("script", { src: d.leafletJs }),
    ]).then(() => window.L, (err) => { leaflet = null; throw err; });
    return leaflet;
  }

  function showOnMap(lat, lon, acc) {
    const L = window.L, at = [lat, lon];
    if (marker) marker.setLatLng(at);
    else {
      marker = L.marker(at, { draggable: true, alt: text(status, "msgMarked") }).addTo(map);
      marker.on("dragend", () => mark(marker.getLatLng()));
    }
    if (circle) circle.remove();
    circle = acc ? L.circle(at, { radius: acc, weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map) : null;
    if (!map.getBounds().contains(at)) map.setView(at, Math.max(map.getZoom(), 15));
  }

  function mark(ll) {
    setPoint(ll.lat, ll.lng, null, "map");
    placed(ll.lat, ll.lng, "msgMarked");
  }

  function initMap(L) {
    if (map) { map.invalidateSize(); return; }
    L.Icon.Default.imagePath = d.leafletCss.split("?")[0].replace(/[^/]*$/, "images/");
    const zoomIn = text(status, "msgZoomIn"), zoomOut = text(status, "msgZoomOut");
    map = L.map("map", { zoomControl: false }).setView((d.mapCenter || "59.5137,15.9906").split(",").map(Number), +d.mapZoom || 13);
    const zoom = { position: document.dir === "rtl" ? "topright" : "topleft" };
    L.control.zoom(zoomIn && zoomOut ? Object.assign(zoom, { zoomInTitle: zoomIn, zoomOutTitle: zoomOut }) : zoom).addTo(map);
    map.attributionControl.setPrefix(false);
    const tiles = L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 });
    tiles.once("tileerror", () => {
      map.getContainer().classList.add("tiles-failed");
      const msg = text(status, "msgTilesFailed");
      if (!msg) return;
      const p = Object.assign(document.createElement("p"), { className: "map-note", textContent: msg });
      $("map").after(p);
    });
    tiles.addTo(map);
    /* The area outlines come from this site, so the map is useful even without tiles. */
    fetch(d.areasUrl, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((geo) => L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, fillOpacity: 0.04 } }).addTo(map))
      .catch(() => {});
    map.on("click", (e) => mark(e.latlng));
    /* Keyboard: Enter or Space marks the centre of the map. */
    map.on("keydown", (e) => {
      const ev = e.originalEvent;
      if ((ev.key === "Enter" || ev.key === " ") && ev.target === map.getContainer()) {
        ev.preventDefault();
        mark(map.getCenter());
      }
    });
    if (f.lat.value && f.lon.value) showOnMap(+f.lat.value, +f.lon.value, +f.acc.value);
    d.mapReady = "true";
  }

  const showMap = $("show-map"), panel = $("map-panel");
  if (showMap && panel) showMap.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    showMap.setAttribute("aria-expanded", open);
    if (open) loadLeaflet().then(initMap).catch(() => {
      panel.hidden = true;
      showMap.setAttribute("aria-expanded", false);
      say("msgMapFailed", true);
    });
  });
  if (f.lat.value && f.lon.value) showClear(true);

  /* Photo previews: object URLs, nothing is sent before the form is. */
  const photos = $("photos"), previews = $("photo-previews");
  let urls = [];
  if (photos && previews) photos.addEventListener("change", () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    urls = [];
    previews.replaceChildren();
    const files = Array.from(photos.files || []);
    for (const file of files) {
      const li = document.createElement("li");
      if (file.type.startsWith("image/")) {
        const img = Object.assign(document.createElement("img"), { alt: "", width: 96, height: 96, src: URL.createObjectURL(file) });
        img.onerror = () => img.remove();
        urls.push(img.src);
        li.append(img);
      }
      li.append(Object.assign(document.createElement("span"), { textContent: file.name }));
      previews.append(li);
    }
    const kept = form.querySelectorAll("[name=kept_photos]").length - form.querySelectorAll("[name=remove_kept]:checked").length;
    const max = +d.maxPhotos || 0;
    const msg = text(previews, "msgTooMany").replace(/\{n\}/g, max);
    if (max && files.length + kept > max && msg) {
      previews.prepend(Object.assign(document.createElement("li"), { className: "photo-warning", textContent: msg }));
    }
  });
})();
