/* Report form: progressive enhancement. The form works without this file.
   Every visible string comes from data-attributes the server translated. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const summary = $("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", (e) => {
      const a = e.target.closest("a[href^='#']");
      const target = a && $(a.getAttribute("href").slice(1));
      if (!target) return;
      e.preventDefault();
      const control = target.matches("input, textarea, select") ? target : target.querySelector("input, textarea, select");
      target.scrollIntoView({ block: "start" });
      if (control) control.focus({ preventScroll: true });
    });
  }
  const form = $("report-form");
  if (!form) return;
  document.querySelectorAll(".js-only[hidden]").forEach((el) => { el.hidden = false; });

  const d = form.dataset;
  const status = $("position-status");
  const fields = { lat: $("lat"), lon: $("lon"), accuracy: $("accuracy"), source: $("location_source") };
  const BBOX = { s: 59.43, n: 59.73, w: 15.49, e: 16.26 };
  const inside = (lat, lon) => lat >= BBOX.s && lat <= BBOX.n && lon >= BBOX.w && lon <= BBOX.e;
  const text = (el, name) => (el && el.dataset[name]) || "";

  function say(name, problem, m) {
    if (!status) return;
    status.textContent = text(status, name).replace("{m}", m == null ? "" : String(m));
    status.classList.toggle("is-problem", !!problem);
  }

  /* Position state and the "remove the position" button. */
  let clearBtn = null;
  function showClear(on) {
    if (!clearBtn && on && text(status, "msgClear")) {
      clearBtn = document.createElement("button");
      clearBtn.type = "button";
      clearBtn.className = "button";
      clearBtn.textContent = text(status, "msgClear");
      clearBtn.addEventListener("click", () => {
        setPoint(null);
        say("", false);
        $("use-position").focus();
      });
      status.after(clearBtn);
    }
    if (clearBtn) clearBtn.hidden = !on;
  }
  function setPoint(lat, lon, accuracy, source) {
    const has = lat != null;
    fields.lat.value = has ? lat.toFixed(6) : "";
    fields.lon.value = has ? lon.toFixed(6) : "";
    fields.accuracy.value = has && accuracy != null ? String(Math.round(accuracy)) : "";
    if (fields.source) fields.source.value = has ? source : "";
    showClear(has);
    if (!has) { if (marker) marker.remove(); if (circle) circle.remove(); marker = circle = null; }
    else if (map) showOnMap(lat, lon, accuracy);
  }
  function reportPlace(lat, lon, found) {
    if (!inside(lat, lon)) say("msgOutside", true);
    else found();
  }

  /* "Use my position": works offline, no map needed. */
  const usePos = $("use-position");
  if (usePos) usePos.addEventListener("click", () => {
    if (!("geolocation" in navigator)) { say("msgDenied", true); return; }
    say("msgLocating", false);
    usePos.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition((pos) => {
      usePos.removeAttribute("aria-busy");
      const { latitude: lat, longitude: lon, accuracy } = pos.coords;
      setPoint(lat, lon, accuracy, "gps");
      reportPlace(lat, lon, () => say("msgFound", false, Math.round(accuracy)));
    }, () => {
      usePos.removeAttribute("aria-busy");
      say("msgDenied", true);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  });

  /* "Mark on a map": Leaflet is loaded only now. */
  const showMap = $("show-map");
  const panel = $("map-panel");
  let map = null, marker = null, circle = null, leaflet = null;

  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      const el = Object.assign(document.createElement(tag), attrs);
      el.onload = resolve;
      el.onerror = reject;
      document.head.append(el);
    });
  }
  function loadLeaflet() {
    if (window.L && window.L.map) return Promise.resolve(window.L);
    leaflet = leaflet || Promise.all([
      load("link", { rel: "stylesheet", href: d.leafletCss }),
      load("script", { src: d.leafletJs }),
    ]).then(() => window.L, (err) => { leaflet = null; throw err; });
    return leaflet;
  }

  function note(name) {
    const msg = text(status, name);
    if (!msg || panel.querySelector(".map-note")) return;
    const p = document.createElement("p");
    p.className = "map-note";
    p.textContent = msg;
    $("map").after(p);
  }

  function showOnMap(lat, lon, accuracy) {
    const L = window.L;
    const at = [lat, lon];
    if (!marker) {
      marker = L.marker(at, { draggable: true, autoPan: true, alt: text(status, "msgMarked") }).addTo(map);
      marker.on("dragend", () => mark(marker.getLatLng()));
    } else marker.setLatLng(at);
    if (circle) { circle.remove(); circle = null; }
    if (accuracy) circle = L.circle(at, { radius: accuracy, weight: 1, color: "#0b4f6c", fillOpacity: 0.1, interactive: false }).addTo(map);
    if (!map.getBounds().contains(at)) map.setView(at, Math.max(map.getZoom(), 15));
  }

  function mark(latlng) {
    setPoint(latlng.lat, latlng.lng, null, "map");
    reportPlace(latlng.lat, latlng.lng, () => say("msgMarked", false));
  }

  function initMap(L) {
    if (map) { map.invalidateSize(); return; }
    L.Icon.Default.imagePath = d.leafletCss.split("?")[0].replace(/[^/]*$/, "") + "images/";
    const center = (d.mapCenter || "59.5137,15.9906").split(",").map(Number);
    const zoomText = { zoomInTitle: text(status, "msgZoomIn"), zoomOutTitle: text(status, "msgZoomOut") };
    map = L.map("map", { zoomControl: false, tapTolerance: 20 }).setView(center, Number(d.mapZoom) || 13);
    const zoomOpts = { position: "topleft" };
    if (zoomText.zoomInTitle) Object.assign(zoomOpts, zoomText);
    L.control.zoom(zoomOpts).addTo(map);
    map.attributionControl.setPrefix(false);
    const tiles = L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 });
    let failed = 0;
    tiles.on("tileerror", () => { failed += 1; if (failed === 1) { note("msgTilesFailed"); map.getContainer().classList.add("tiles-failed"); } });
    tiles.addTo(map);
    fetch(d.areasUrl, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((geo) => {
        L.geoJSON(geo, { interactive: false, style: { color: "#0b4f6c", weight: 1.5, opacity: 0.8, fillOpacity: 0.04 } }).addTo(map);
      })
      .catch(() => {});
    map.on("click", (e) => mark(e.latlng));
    /* Keyboard: Enter or Space marks the centre of the map. */
    map.on("keydown", (e) => {
      const k = e.originalEvent.key;
      if ((k === "Enter" || k === " ") && e.originalEvent.target === map.getContainer()) {
        e.originalEvent.preventDefault();
        mark(map.getCenter());
      }
    });
    if (fields.lat.value && fields.lon.value) {
      showOnMap(Number(fields.lat.value), Number(fields.lon.value), Number(fields.accuracy.value) || null);
    }
    form.dataset.mapReady = "true";
  }

  if (showMap && panel) showMap.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    showMap.setAttribute("aria-expanded", String(open));
    if (!open) return;
    loadLeaflet().then(initMap).catch(() => {
      panel.hidden = true;
      showMap.setAttribute("aria-expanded", "false");
      say("msgMapFailed", true);
    });
  });

  if (fields.lat && fields.lat.value && fields.lon.value) showClear(true);

  /* Photo previews (object URLs; nothing leaves the phone before sending). */
  const photos = $("photos");
  const previews = $("photo-previews");
  let urls = [];
  if (photos && previews) photos.addEventListener("change", () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    urls = [];
    previews.replaceChildren();
    const files = Array.from(photos.files || []);
    const kept = form.querySelectorAll("input[name='kept_photos']").length -
      form.querySelectorAll("input[name='remove_kept']:checked").length;
    const max = Number(d.maxPhotos) || 0;
    for (const file of files) {
      const li = document.createElement("li");
      if (/^image\//.test(file.type)) {
        const img = document.createElement("img");
        const url = URL.createObjectURL(file);
        urls.push(url);
        img.src = url;
        img.alt = "";
        img.width = img.height = 96;
        img.onerror = () => img.remove();
        li.append(img);
      }
      const name = document.createElement("span");
      name.textContent = file.name;
      li.append(name);
      previews.append(li);
    }
    if (max && files.length + kept > max) {
      const msg = text(previews, "msgTooMany").replace(/\{n\}/g, String(max));
      if (msg) {
        const li = document.createElement("li");
        li.className = "photo-warning";
        li.textContent = msg;
        previews.prepend(li);
      }
    }
  });
})();
