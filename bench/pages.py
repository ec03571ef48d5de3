"""What the citizen pages cost a phone: compressed bytes on a first visit (not a test).

Run from the repository root:

    .venv/bin/python bench/pages.py [--lighthouse] [--keep-server]

It starts the app with gunicorn on 127.0.0.1 (a temporary SQLite database, the tile server
pointed at a closed local port), opens the pages in Debian's Chromium through Playwright at
phone size with an empty cache, and adds up the bytes that came over the wire (compressed
bodies, as Chromium reports them; map tiles excluded):

* the start page,
* the report form before the map is opened (Leaflet is loaded only when it is),
* the report form after "Mark on a map" (Leaflet, its CSS and images, the area outlines),
* and, apart (the pages do not wait for it), the offline copy of the app shell that the
  service worker downloads once in the background after the first page has loaded.

Targets (issue #3): ≤ 60 KB for the form before the map, ≤ 100 KB with the map. For
comparison: FixMyStreet's report page costs a phone about 236 KB of gzipped JS+CSS (90 KB
of it OpenLayers), Ushahidi's web client about 728 KB, Leaflet alone about 46 KB.

``--lighthouse`` also runs Lighthouse (mobile, default throttling) on the form with
``bench/lighthouse.sh``, which installs the ``lighthouse`` npm package into ``bench/.node``
the first time; the target is a performance score of at least 95.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
KOPING = {"latitude": 59.5137, "longitude": 15.9906, "accuracy": 15}
KB = 1024
TARGET_FORM, TARGET_MAP, TARGET_LIGHTHOUSE = 60 * KB, 100 * KB, 95
FIXMYSTREET, USHAHIDI, LEAFLET = 236 * KB, 728 * KB, 46 * KB
TILE_PORT = 9  # "discard": nothing listens, so tile requests fail at once


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(env: dict[str, str]) -> None:
    """Create the schema and the default Köping areas in the temporary database."""
    from kopingreport import create_app
    from kopingreport.cli import upgrade_database
    from kopingreport.db import engine, get_session
    from kopingreport.reports.areas import ensure_default_areas

    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context():
        upgrade_database()
        ensure_default_areas(get_session())
        get_session().commit()
        engine().dispose()


def start_server(workdir: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite'}",
               SECRET_KEY="bench-only-secret", UPLOAD_DIR=str(workdir / "uploads"),
               TILE_URL=f"http://127.0.0.1:{TILE_PORT}/{{z}}/{{x}}/{{y}}.png",
               KOPINGREPORT_SESSION_COOKIE_SECURE="false",
               KOPINGREPORT_REMEMBER_COOKIE_SECURE="false")
    prepare_database(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return server, url, env
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the app did not start")


def kind(url: str, content_type: str) -> str:
    if "html" in content_type:
        return "html"
    if "css" in content_type:
        return "css"
    if "javascript" in content_type:
        return "js"
    if "json" in content_type:
        return "json"
    return "image" if content_type.startswith("image/") else "other"


class Meter:
    """Compressed bytes per resource kind of everything a context loads (tiles excluded)."""

    def __init__(self, context: Any, origin: str) -> None:
        self.origin, self.requests = origin, []
        context.on("requestfinished", lambda request: self.requests.append(request))

    def take(self) -> dict[str, Any]:
        totals: dict[str, int] = defaultdict(int)
        headers = count = 0
        for request in self.requests:
            if not request.url.startswith(self.origin):
                continue  # tiles (and anything else from elsewhere)
            response = request.response()
            if response is None:
                continue
            sizes = request.sizes()
            totals[kind(request.url, response.headers.get("content-type", ""))] += \
                sizes["responseBodySize"]
            headers += sizes["responseHeadersSize"]
            count += 1
        self.requests.clear()
        body = sum(totals.values())
        return {"kinds": dict(totals), "body": body, "headers": headers, "requests": count,
                "js_css": totals["js"] + totals["css"]}


def measure(url: str) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        options = {"viewport": PHONE, "locale": "sv-SE", "geolocation": KOPING,
                   "permissions": ["geolocation"], "base_url": url}

        # What the pages themselves need: no service worker, an empty cache each time.
        for name, path in (("start page", "/"), ("report form, map closed", "/report")):
            context = browser.new_context(service_workers="block", **options)
            meter = Meter(context, url)
            page = context.new_page()
            page.goto(path, wait_until="networkidle")
            results[name] = meter.take()
            if path == "/report":
                page.click("#show-map")
                page.wait_for_selector("#report-form[data-map-ready='true']")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                opened = meter.take()
                both = {k: results[name]["kinds"].get(k, 0) + opened["kinds"].get(k, 0)
                        for k in set(results[name]["kinds"]) | set(opened["kinds"])}
                results["report form, map opened"] = {
                    "kinds": both, "body": results[name]["body"] + opened["body"],
                    "headers": results[name]["headers"] + opened["headers"],
                    "requests": results[name]["requests"] + opened["requests"],
                    "js_css": results[name]["js_css"] + opened["js_css"]}
            context.close()

        browser.close()
    return results


def offline_copy(url: str) -> tuple[int, int]:
    """Compressed bytes and number of files the service worker downloads for its cache:
    /sw.js and every page and file of its precache list (fetched as a browser would)."""
    def fetch(path: str) -> bytes:
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    worker = fetch("/sw.js")
    text = gzip.decompress(worker).decode() if worker[:2] == b"\x1f\x8b" else worker.decode()
    config = json.loads(text.split("\n", 1)[0].removeprefix("const CONFIG = ").rstrip(";"))
    paths = config["pages"] + config["assets"]
    return len(worker) + sum(len(fetch(path)) for path in paths), len(paths) + 1


def lighthouse(url: str, out: Path) -> dict[str, float] | None:
    script = ROOT / "bench" / "lighthouse.sh"
    done = subprocess.run(["bash", str(script), url, str(out)], cwd=ROOT)
    if done.returncode != 0 or not out.exists():
        print(f"Lighthouse did not run (exit {done.returncode}).")
        return None
    report = json.loads(out.read_text())
    scores = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
    audits = report["audits"]
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index"):
        scores[key] = audits[key]["numericValue"]
    return scores


def kb(n: float) -> str:
    return f"{n / KB:6.1f} KB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(results: dict[str, dict[str, Any]]) -> bool:
    print("\nCompressed bytes over the wire (bodies; tiles excluded), Chromium, 390x844, "
          "empty cache\n")
    print(f"{'':30} {'HTML':>8} {'CSS':>8} {'JS':>8} {'JSON':>8} {'images':>8} "
          f"{'total':>10} {'+headers':>10} {'requests':>8}")
    for name, r in results.items():
        k = r["kinds"]
        print(f"{name:30} {kb(k.get('html', 0)):>8} {kb(k.get('css', 0)):>8} "
              f"{kb(k.get('js', 0)):>8} {kb(k.get('json', 0)):>8} "
              f"{kb(k.get('image', 0) + k.get('other', 0)):>8} {kb(r['body']):>10} "
              f"{kb(r['body'] + r['headers']):>10} {r['requests']:>8}")
    form, mapped = results["report form, map closed"], results["report form, map opened"]
    print("\nTargets")
    ok_form = form["body"] <= TARGET_FORM
    ok_map = mapped["body"] <= TARGET_MAP
    print(f"  form before the map  {kb(form['body'])}  ≤ {kb(TARGET_FORM)}  {verdict(ok_form)}")
    print(f"  form with the map    {kb(mapped['body'])}  ≤ {kb(TARGET_MAP)}  {verdict(ok_map)}")
    print("\nJS+CSS compared (gzipped)")
    for name in ("report form, map closed", "report form, map opened"):
        js_css = results[name]["js_css"]
        print(f"  {name:26} {kb(js_css)}   = {js_css / FIXMYSTREET:5.1%} of FixMyStreet's "
              f"{FIXMYSTREET // KB} KB, {js_css / USHAHIDI:5.1%} of Ushahidi's "
              f"{USHAHIDI // KB} KB")
    print(f"  (Leaflet alone is about {LEAFLET // KB} KB.)")
    return ok_form and ok_map


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", action="store_true",
                        help="also run Lighthouse (mobile) on the report form")
    parser.add_argument("--keep-server", action="store_true",
                        help="leave the app running until Enter is pressed")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="kr-bench-") as tmp:
        server, url, _env = start_server(Path(tmp))
        try:
            results = measure(url)
            ok = report(results)
            copy, files = offline_copy(url)
            print(f"\nOffline copy of the app shell (service worker, once, in the background "
                  f"after the first page): {kb(copy)} in {files} files")
            if args.lighthouse:
                out = ROOT / "bench" / "out" / "lighthouse-report.json"
                out.parent.mkdir(exist_ok=True)
                scores = lighthouse(f"{url}/report", out)
                if scores:
                    perf = scores.get("performance", 0)
                    print(f"\nLighthouse (mobile, simulated throttling) on the form: "
                          f"performance {perf}  ≥ {TARGET_LIGHTHOUSE}  "
                          f"{verdict(perf >= TARGET_LIGHTHOUSE)}; accessibility "
                          f"{scores.get('accessibility')}, best practices "
                          f"{scores.get('best-practices')}, SEO {scores.get('seo')}")
                    print(f"  FCP {scores['first-contentful-paint']:.0f} ms, LCP "
                          f"{scores['largest-contentful-paint']:.0f} ms, TBT "
                          f"{scores['total-blocking-time']:.0f} ms, CLS "
                          f"{scores['cumulative-layout-shift']:.3f}, Speed Index "
                          f"{scores['speed-index']:.0f} ms  (report: {out})")
                    ok = ok and perf >= TARGET_LIGHTHOUSE
            if args.keep_server:
                input(f"\nThe app runs at {url}; press Enter to stop it. ")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
