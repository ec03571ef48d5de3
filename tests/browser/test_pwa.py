"""The installable, offline-first app in a real Chromium at phone size (issue #3):

1. a report with a photo sent online → receipt; the photo was made smaller on the phone;
2. offline: saved in the outbox, "1 waiting", the app shell reloads offline, delivered once
   when the connection returns; the outbox also survives a browser restart, and a waiting
   report can be opened, changed or deleted;
3. the upload is lost mid-request three times (the server got it, the phone never heard
   back) → still exactly one report;
4. the service worker controls the page and the manifest is valid for installing;
5. axe-core: no serious or critical WCAG 2.1 A/AA problem on the app's pages, sv and ar.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from werkzeug.formparser import parse_form_data
from werkzeug.test import EnvironBuilder

from tests.browser.conftest import UploadRecorder, new_context
from tests.browser.test_report_flow import describe, run_axe

pytestmark = pytest.mark.browser

SUBMIT = "#report-form button[type='submit']"


# --- helpers -------------------------------------------------------------------------------

def stored(database_url: str, marker: str) -> list[tuple[str, str]]:
    """(reference, description) of every report in the live server's database with ``marker``."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT reference, description FROM reports "
                                        "WHERE description LIKE :m"), {"m": f"%{marker}%"})
            return [(r[0], r[1]) for r in rows]
    finally:
        engine.dispose()


def photo_count(database_url: str, reference: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(
                "SELECT count(*) FROM photos JOIN reports ON photos.report_id = reports.id "
                "WHERE reports.reference = :r"), {"r": reference}).scalar_one())
    finally:
        engine.dispose()


def wait_for_promise(page: Any, expression: str, seconds: float = 15) -> None:
    """Until an async expression in the page is truthy (``wait_for_function`` takes a returned
    promise itself as truthy, without waiting for it)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def wait_for_service_worker(page: Any) -> None:
    """Until the service worker controls the page (it claims clients when it activates)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)


def fill_report(page: Any, text: str, category: str = "lighting") -> None:
    """A valid report: category, the (mocked) GPS position, a description."""
    page.check(f"input[name='category'][value='{category}']")
    page.click("#use-position")
    page.wait_for_function("() => document.getElementById('lat').value !== ''")
    page.fill("#description", text)


def waiting_count(page: Any) -> str:
    page.wait_for_selector("#outbox-note:not([hidden])")
    return page.inner_text("#outbox-count")


def receipt_reference(page: Any) -> str:
    page.wait_for_url(re.compile(r"/status/[^/?]+\?sent=1$"))
    reference = page.locator(".success .reference").inner_text().strip()
    assert re.fullmatch(r"KPG-\d{4}-\d+", reference), reference
    return reference


def rotated_photo(path: Path) -> Path:
    """A 2400×1800 camera JPEG whose EXIF says "rotate 90°" (so it shows as 1800×2400)."""
    im = Image.linear_gradient("L").resize((2400, 1800)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 30.0, 49.3), 3: "E", 4: (15.0, 59.0, 26.2)})
    im.save(path, "JPEG", quality=95, exif=exif)
    return path


def parse_upload(upload: dict[str, Any]) -> tuple[Any, Any]:
    """The form fields and files of a recorded multipart request."""
    headers = upload["headers"]
    environ = EnvironBuilder(method="POST", input_stream=io.BytesIO(upload["body"]),
                             content_type=headers["CONTENT_TYPE"],
                             content_length=len(upload["body"])).get_environ()
    _stream, form, files = parse_form_data(environ)
    return form, files


def uploads_with_key(recorder: UploadRecorder, key: str) -> list[dict[str, Any]]:
    return [u for u in recorder.uploads if u["headers"].get("HTTP_IDEMPOTENCY_KEY") == key]


# --- 1. online, with a photo ---------------------------------------------------------------

def test_online_report_with_photo_shrunk_on_the_phone(
        page: Any, tmp_path: Path, live_database: str, api_uploads: UploadRecorder) -> None:
    marker = uuid.uuid4().hex[:10]
    original = rotated_photo(tmp_path / "kamera.jpg")
    page.goto("/report")
    fill_report(page, f"Trasig gatlampa vid busshållplatsen {marker}")
    assert "15" in page.inner_text("#position-status"), "accuracy is shown"
    page.set_input_files("#photos", str(original))
    page.click(SUBMIT)
    reference = receipt_reference(page)
    text = f"Trasig gatlampa vid busshållplatsen {marker}"
    assert stored(live_database, marker) == [(reference, text)]

    upload = next(u for u in reversed(api_uploads.uploads)
                  if marker.encode() in u["body"])
    form, files = parse_upload(upload)
    key = upload["headers"]["HTTP_IDEMPOTENCY_KEY"]
    assert uuid.UUID(key), "the client UUID is the Idempotency-Key"
    assert "csrf_token" not in form and "submission_id" not in form
    assert form["category"] == "lighting" and form["location_source"] == "gps"
    assert float(form["lat"]) == pytest.approx(59.5137, abs=1e-4)
    photo = files.getlist("photos")
    assert len(photo) == 1
    data = photo[0].read()
    sent = Image.open(io.BytesIO(data))
    assert sent.format == "JPEG"
    # Turned upright on the phone and made smaller: long edge 1600 px, no EXIF left.
    assert sent.size == (1200, 1600), sent.size
    assert 0x0112 not in sent.getexif() and not sent.getexif().get_ifd(0x8825)
    assert len(data) < original.stat().st_size and len(data) < 400_000
    # No CSRF token (a report may wait for days; the API checks the Origin instead), and the
    # language is pinned in the URL.
    assert upload["headers"]["HTTP_ORIGIN"] == page.evaluate("location.origin")
    assert upload["headers"]["QUERY_STRING"] == "lang=sv"

    # The receipt is kept on the phone: "My reports".
    page.goto("/my-reports")
    page.wait_for_selector("#sent-list li")
    assert reference in page.inner_text("#sent-list")
    assert page.locator("#waiting-list li").count() == 0


def test_outside_the_municipality_asks_for_confirmation(make_page: Any,
                                                        live_database: str) -> None:
    """The API's 422 on ``lat``: shown at the place, the person ticks the box, then it goes."""
    marker = uuid.uuid4().hex[:10]
    page = make_page(geolocation={"latitude": 59.3293, "longitude": 18.0686, "accuracy": 30})
    page.goto("/report")
    assert page.locator("#confirm-outside-field").is_hidden()
    fill_report(page, f"Trasig belysning vid infarten {marker}")
    page.click(SUBMIT)
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.locator("a[href='#where']").count() == 1
    assert page.locator("#where .js-field-errors").is_visible()
    assert page.locator("#confirm-outside-field").is_visible()
    assert page.locator("#outbox-note").is_visible(), "kept on the phone meanwhile"
    page.check("#confirm_outside")
    page.click(SUBMIT)
    reference = receipt_reference(page)
    assert stored(live_database, marker) == [(reference, f"Trasig belysning vid infarten {marker}")]
    assert page.locator("#outbox-note").is_hidden()


# --- 2. offline: outbox, app shell, delivery once ----------------------------------------------

def test_offline_report_waits_survives_reload_and_is_delivered_once(
        page: Any, live_database: str, screenshots: Path, api_uploads: UploadRecorder) -> None:
    marker = uuid.uuid4().hex[:10]
    context = page.context
    page.goto("/report")
    wait_for_service_worker(page)
    offline_title = page.evaluate(
        "fetch('/offline').then(r => r.text()).then(t => "
        "new DOMParser().parseFromString(t, 'text/html').querySelector('h1').textContent)")

    context.set_offline(True)
    fill_report(page, f"Mörk gångtunnel, lampan trasig {marker}")
    assert "15" in page.inner_text("#position-status"), "the position and its accuracy, offline"
    page.click(SUBMIT)
    page.wait_for_selector("#queued:not([hidden])")
    assert page.locator("#report-form").is_hidden()
    assert waiting_count(page).startswith("1 ")
    page.screenshot(path=str(screenshots / "sv-offline-queued.png"), full_page=True)
    # Chromium also gets a Background Sync registration (Safari has none: timers instead).
    wait_for_promise(page, "navigator.serviceWorker.ready"
                     ".then(r => r.sync.getTags()).then(t => t.includes('outbox'))")

    # Reload without a connection: the service worker serves the app shell from its cache.
    response = page.reload()
    assert response is not None and response.ok and response.from_service_worker
    assert page.locator("#report-form").is_visible()
    assert waiting_count(page).startswith("1 ")
    # A page outside the app shell (a receipt) gives the offline page instead.
    page.goto("/status/not-cached-anywhere")
    assert page.locator("h1").inner_text() == offline_title
    assert stored(live_database, marker) == []

    context.clear_cookies()  # the session (and its CSRF token) expired while it waited
    context.set_offline(False)  # the "online" event sends it
    page.wait_for_selector("#delivered-note:not([hidden])", timeout=20_000)
    rows = stored(live_database, marker)
    assert len(rows) == 1
    assert rows[0][0] in page.inner_text("#delivered-text")
    page.click("#delivered-link")
    assert receipt_reference(page) == rows[0][0]
    assert page.locator("#outbox-note").is_hidden()
    assert len(stored(live_database, marker)) == 1
    # Without photos the outbox sends the fields URL-encoded (cheaper for the server).
    upload = next(u for u in api_uploads.uploads if marker.encode() in u["body"])
    assert upload["headers"]["CONTENT_TYPE"].startswith("application/x-www-form-urlencoded")
    form, _files = parse_upload(upload)
    assert form["description"] == f"Mörk gångtunnel, lampan trasig {marker}"


def test_outbox_survives_browser_restart_and_can_be_edited_or_deleted(
        persistent_context: Any, tmp_path: Path, live_database: str) -> None:
    profile = tmp_path / "profile"
    keep, drop = uuid.uuid4().hex[:10], uuid.uuid4().hex[:10]
    # No Background Sync here (as on an iPhone): otherwise Chromium may send the reports from
    # the service worker as soon as it starts again, before this test goes offline.
    no_sync = {"permissions": ["geolocation"]}
    context = persistent_context(profile, **no_sync)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/report")
    wait_for_service_worker(page)
    context.set_offline(True)
    for marker in (keep, drop):
        fill_report(page, f"Klotter på skolans vägg {marker}", category="graffiti")
        page.click(SUBMIT)
        page.wait_for_selector("#queued:not([hidden])")
        page.click("#queued-new")
    assert waiting_count(page).startswith("2 ")
    context.close()

    # The browser starts again, still without a connection.
    context = persistent_context(profile, **no_sync)
    context.set_offline(True)
    page = context.pages[0] if context.pages else context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/my-reports")
    assert waiting_count(page).startswith("2 ")
    items = page.locator("#waiting-list li")
    items.first.wait_for()
    assert items.count() == 2

    # Delete one.
    page.locator("#waiting-list li", has_text=drop).locator("button").click()
    page.wait_for_function("() => document.querySelectorAll('#waiting-list li').length === 1")
    # Open the other, change it and send it (still offline: it waits again).
    page.locator("#waiting-list li", has_text=keep).locator("a").click()
    page.wait_for_function(
        f"() => document.getElementById('description').value.includes('{keep}')")
    assert page.is_checked("input[name='category'][value='graffiti']")
    page.fill("#description", f"Klotter på skolans vägg och på busskuren {keep}")
    page.click(SUBMIT)
    page.wait_for_selector("#queued:not([hidden])")
    assert waiting_count(page).startswith("1 ")

    context.set_offline(False)
    page.wait_for_url(re.compile(r"/status/[^/?]+\?sent=1$"), timeout=20_000)
    rows = stored(live_database, keep)
    assert rows == [(page.locator(".reference").inner_text().strip(),
                     f"Klotter på skolans vägg och på busskuren {keep}")]
    assert stored(live_database, drop) == []


#: JavaScript: put items straight into the phone's outbox (as outbox.js keeps them).
SEED_OUTBOX = """(items) => new Promise((ok, fail) => {
  const r = indexedDB.open('kopingreport', 1);
  r.onupgradeneeded = () => ['outbox', 'receipts'].forEach((n) =>
    r.result.objectStoreNames.contains(n) || r.result.createObjectStore(n, { keyPath: 'id' }));
  r.onerror = fail;
  r.onsuccess = () => {
    const t = r.result.transaction('outbox', 'readwrite');
    items.forEach((item) => t.objectStore('outbox').put(item));
    t.oncomplete = () => { r.result.close(); ok(true); };
  };
})"""


def outbox_item(kind: str, state: str = "attention") -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "key": uuid.uuid4().hex, "kind": kind, "state": state,
            "createdAt": int(time.time() * 1000), "fields": [], "photos": [], "lang": "sv",
            "summary": "", "errors": {"_": ["Fel"]}, "nextAt": 0, "lockedUntil": 0}


def test_the_notice_says_whether_a_report_or_a_survey_answer_needs_attention(
        page: Any) -> None:
    page.goto("/")
    # First a survey answer needs attention, then a report as well: each is named.
    for kind, notice, text in (
            ("survey", "#outbox-attention-answer",
             "Ett enkätsvar behöver ses över innan det kan skickas."),
            ("report", "#outbox-attention", "En rapport behöver ses över innan den kan skickas.")):
        page.evaluate(SEED_OUTBOX, [outbox_item(kind)])
        page.reload()
        page.wait_for_selector(f"{notice}:not([hidden])")
        assert page.inner_text(notice) == text
        if kind == "survey":
            assert page.locator("#outbox-attention").is_hidden()
    assert page.locator("#outbox-attention-answer").is_visible()


# --- 3. lost mid-upload three times ----------------------------------------------------------

def test_upload_lost_three_times_creates_one_report(
        page: Any, tmp_path: Path, live_database: str, api_uploads: UploadRecorder) -> None:
    marker = uuid.uuid4().hex[:10]
    lost: list[dict[str, Any]] = []

    def lose_the_answer(route: Any) -> None:
        if len(lost) < 3:
            response = route.fetch()  # the server gets the whole request and answers …
            lost.append(json.loads(response.body()))
            route.abort("connectionreset")  # … but the phone never hears back
        else:
            route.continue_()

    def wait_until(condition: Any, seconds: float = 30) -> None:
        # Generous: shrinking the photo in the page and the server's photo pipeline share
        # two cores with the rest of the suite (about 4 s when the machine is quiet).
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            page.wait_for_timeout(100)

    # On the context, so that requests of the service worker (Background Sync) are caught too.
    page.context.route("**/api/v1/reports*", lose_the_answer)
    page.goto("/report")
    fill_report(page, f"Krossad ruta i busskuren {marker}", category="vandalism")
    page.set_input_files("#photos", str(rotated_photo(tmp_path / "ruta.jpg")))
    page.click(SUBMIT)
    # A retry may follow at once (Background Sync fires as soon as it is registered), so
    # the count can go from 0 to 2 between two looks.
    wait_until(lambda: len(lost) >= 1)
    page.wait_for_selector("#queued:not([hidden])")  # saved on the phone, not sent (it thinks)
    while len(lost) < 3:
        before = len(lost)
        page.click("#send-now")
        wait_until(lambda: len(lost) > before)
    if "sent=1" not in page.url:
        try:
            page.click("#send-now", timeout=2000)
        except PlaywrightError:
            pass  # the back-off timer sent it first and the page is on its way to the receipt
    reference = receipt_reference(page)

    assert [r["reference"] for r in lost] == [reference] * 3
    assert stored(live_database, marker) == [(reference, f"Krossad ruta i busskuren {marker}")]
    assert photo_count(live_database, reference) == 1
    key = next(u for u in api_uploads.uploads
               if marker.encode() in u["body"])["headers"]["HTTP_IDEMPOTENCY_KEY"]
    assert len(uploads_with_key(api_uploads, key)) >= 4, "every retry carried the same key"


# --- 4. service worker and manifest ----------------------------------------------------------

def test_service_worker_controls_the_page_and_manifest_is_installable(
        persistent_context: Any, tmp_path: Path, live_server: str) -> None:
    # A persistent profile: Chromium does not offer installing in incognito-like contexts.
    context = persistent_context(tmp_path / "profile")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/")
    wait_for_service_worker(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server}/"
    assert any(w.url == f"{live_server}/sw.js" for w in context.service_workers)

    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].startswith(f"{live_server}/manifest.webmanifest")
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert data["name"] and data["short_name"] and data["lang"] == "sv"
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors

    sizes = set()
    for icon in data["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok and response.headers["content-type"].startswith(icon["type"])
        if icon["type"] == "image/png":
            im = Image.open(io.BytesIO(response.body()))
            assert f"{im.width}x{im.height}" == icon["sizes"]
            sizes.add((im.width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_new_version_offers_reload_and_drops_the_old_cache(
        page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from kopingreport.web import pwa

    page.goto("/")
    wait_for_service_worker(page)
    old = page.evaluate("caches.keys()")
    assert len(old) == 1 and page.locator("#update-note").is_hidden()
    # A new release: one more file in the app shell gives a new cache version (the live server
    # runs in this process).
    monkeypatch.setattr(pwa, "SHELL_ASSETS", (*pwa.SHELL_ASSETS, "vendor/leaflet/leaflet.css"))
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector("#update-note:not([hidden])", timeout=15_000)
    with page.expect_navigation():
        page.click("#update-reload")
    wait_for_promise(page, "caches.keys().then(k => k.length === 1)")
    new = page.evaluate("caches.keys()")
    assert new != old
    cached = page.evaluate(
        f"caches.open('{new[0]}').then(c => c.keys()).then(r => r.map(x => x.url))")
    assert any("/static/vendor/leaflet/leaflet.css?v=" in url for url in cached)
    assert page.locator("#update-note").is_hidden()


def test_offline_pages_follow_the_chosen_language(page: Any) -> None:
    page.goto("/")
    wait_for_service_worker(page)
    page.goto("/?lang=ar")  # the person picks Arabic (cookie); the cached pages follow
    assert page.locator("html").get_attribute("lang") == "ar"
    for path in ("/", "/report", "/offline", "/my-reports"):
        wait_for_promise(page, f"""caches.keys().then(k => caches.open(k[0]))
            .then(c => c.match('{path}'))
            .then(r => !!r && r.headers.get('Content-Language') === 'ar')""")
    page.context.set_offline(True)
    response = page.goto("/report")
    assert response is not None and response.from_service_worker
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.context.set_offline(False)


# --- 5. accessibility ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_axe_on_app_pages(browser: Any, live_server: str, axe_path: Path, screenshots: Path,
                          live_database: str, lang: str) -> None:
    """Start page, form (also with errors and saved offline), receipt, status page, My reports
    and the offline page, with the app's notices showing."""
    context = new_context(browser, live_server, locale=lang, bypass_csp=True)
    try:
        page = context.new_page()
        found: dict[str, list[dict[str, Any]]] = {}

        def check(name: str) -> None:
            page.wait_for_load_state("load")
            found[name] = run_axe(page, axe_path)
            page.screenshot(path=str(screenshots / f"{lang}-pwa-{name}.png"), full_page=True)

        page.goto(f"/?lang={lang}")
        wait_for_service_worker(page)
        check("start")
        page.goto("/report")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        page.fill("#description", "Mörkt vid gångtunneln.")
        page.click(SUBMIT)
        page.wait_for_selector("#error-summary")
        check("form-js-errors")

        marker = uuid.uuid4().hex[:10]
        context.set_offline(True)
        fill_report(page, f"Mörkt vid gångtunneln {marker}", category="unsafe_place")
        page.click(SUBMIT)
        page.wait_for_selector("#queued:not([hidden])")
        check("form-queued")
        page.goto("/my-reports")
        page.wait_for_selector("#waiting-list li")
        check("my-reports-waiting")
        page.goto("/offline")
        check("offline")

        context.set_offline(False)
        page.wait_for_selector("#delivered-note:not([hidden])", timeout=20_000)
        check("delivered-notice")
        page.click("#delivered-link")
        reference = receipt_reference(page)
        check("receipt")
        status_url = page.input_value("#status-link")
        page.goto(status_url)
        assert reference in page.inner_text("h1")
        check("status")
        page.goto("/my-reports")
        page.wait_for_selector("#sent-list li")
        check("my-reports-sent")
        assert len(stored(live_database, marker)) == 1
        problems = {name: v for name, v in found.items() if v}
        assert not problems, "\n".join(f"{lang} {name}:\n{describe(v)}"
                                       for name, v in problems.items())
    finally:
        context.close()
