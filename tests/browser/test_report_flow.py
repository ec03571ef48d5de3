"""The citizen report flow in a real Chromium at phone size: JS on and off, LTR and RTL,
the map without tiles, photo previews, accessibility (axe-core) and screenshots."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import describe, new_context, run_axe

pytestmark = pytest.mark.browser



# --- helpers -------------------------------------------------------------------------------

def jpeg_with_gps(path: Path) -> Path:
    """A small JPEG that carries EXIF GPS coordinates (Köping town centre)."""
    im = Image.linear_gradient("L").resize((640, 480)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (59.0, 30.0, 49.3), 3: "E", 4: (15.0, 59.0, 26.2)})
    im.save(path, "JPEG", quality=85, exif=exif)
    assert Image.open(path).getexif().get_ifd(0x8825), "the test photo must carry GPS"
    return path


def csp_problems(page: Any) -> list[str]:
    """Script errors and CSP violations (failed tile requests are expected and ignored)."""
    return [p for p in page.problems
            if "Content Security Policy" in p or "Refused to" in p or "Error" in p.split(":")[0]]


def choose_category(page: Any, code: str = "lighting") -> None:
    page.check(f"input[name='category'][value='{code}']")


def send(page: Any) -> None:
    with page.expect_navigation():
        page.click("#report-form button[type='submit']")


def send_with_errors(page: Any) -> None:
    """Submit a form that has errors: with JavaScript the page finds them itself (no
    navigation), without it the server answers; either way the error summary appears."""
    page.click("#report-form button[type='submit']")
    page.wait_for_selector("#error-summary")


def assert_receipt(page: Any) -> str:
    assert re.search(r"/status/[^/?]+\?sent=1$", page.url), page.url
    reference = page.locator(".success .reference").inner_text().strip()
    assert re.fullmatch(r"KPG-\d{4}-\d+", reference), reference
    assert page.locator(".facts").count() == 1
    return reference


# --- JavaScript on ---------------------------------------------------------------------------

def test_swedish_report_with_position_and_photo(page: Any, tmp_path: Path,
                                                screenshots: Path) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    with page.expect_navigation():
        page.click("a.button-primary.button-large")
    assert page.url.endswith("/report")
    assert page.locator("#use-position").is_visible(), "JS must un-hide the location tools"
    choose_category(page, "lighting")

    page.click("#use-position")
    page.wait_for_function("() => document.getElementById('lat').value !== ''")
    assert float(page.input_value("#lat")) == pytest.approx(59.5137, abs=1e-4)
    assert float(page.input_value("#lon")) == pytest.approx(15.9906, abs=1e-4)
    assert page.input_value("#accuracy") == "15"
    assert page.input_value("#location_source") == "gps"
    assert "15" in page.locator("#position-status").inner_text()
    # Opening the map afterwards shows the GPS position; the source stays "gps".
    page.click("#show-map")
    page.wait_for_selector("#report-form[data-map-ready='true']")
    assert page.locator("#map .leaflet-marker-icon").count() == 1
    assert page.input_value("#location_source") == "gps"

    page.fill("#description", "Gatlampan vid gångtunneln är trasig sedan en vecka.")
    page.set_input_files("#photos", str(jpeg_with_gps(tmp_path / "lampa.jpg")))
    preview = page.locator("#photo-previews img")
    preview.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#photo-previews img').naturalWidth > 0")
    assert "lampa.jpg" in page.locator("#photo-previews").inner_text()
    page.locator("#where").screenshot(path=str(screenshots / "sv-position-found.png"))
    page.locator(".field.photos").screenshot(path=str(screenshots / "sv-photo-preview.png"))

    send(page)
    assert_receipt(page)
    copy = page.locator("#copy-link")
    assert copy.is_visible()
    copied_text = copy.get_attribute("data-copied")
    copy.click()
    page.wait_for_function("t => document.getElementById('copy-link').textContent === t",
                           arg=copied_text)
    assert page.evaluate("() => navigator.clipboard.readText()") == page.input_value("#status-link")
    thumb = page.locator(".photo-grid img").first
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("() => { const i = document.querySelector('.photo-grid img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    assert csp_problems(page) == []


def test_position_denied_and_outside(make_page: Any) -> None:
    page = make_page(permissions=[])
    page.goto("/report")
    status = page.locator("#position-status")
    page.click("#use-position")
    page.wait_for_function("() => document.getElementById('position-status').textContent")
    assert status.inner_text() == status.get_attribute("data-msg-denied")
    assert page.input_value("#lat") == ""

    page = make_page(geolocation={"latitude": 59.3293, "longitude": 18.0686, "accuracy": 30})
    page.goto("/report")
    page.click("#use-position")
    page.wait_for_function("() => document.getElementById('lat').value !== ''")
    status = page.locator("#position-status")
    assert status.inner_text() == status.get_attribute("data-msg-outside")
    # "Remove the position" empties the hidden fields again.
    page.click("#position-status + .link-button")
    assert page.input_value("#lat") == page.input_value("#location_source") == ""


def test_too_many_photos_warns(page: Any, tmp_path: Path) -> None:
    page.goto("/report")
    files = [str(jpeg_with_gps(tmp_path / f"p{i}.jpg")) for i in range(4)]
    page.set_input_files("#photos", files)
    page.wait_for_function("() => document.querySelectorAll('#photo-previews img').length === 4")
    has_text = page.evaluate("() => !!document.getElementById('photo-previews')"
                             ".dataset.msgTooMany")
    warning = page.locator("#photo-previews .photo-warning")
    # The warning text is rendered by the server; without it the script shows nothing.
    assert warning.count() == (1 if has_text else 0)


def test_arabic_report_with_map_without_tiles(make_page: Any, screenshots: Path) -> None:
    page = make_page(locale="ar")
    page.goto("/report?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    choose_category(page, "graffiti")

    page.click("#show-map")
    assert page.get_attribute("#show-map", "aria-expanded") == "true"
    page.wait_for_selector("#report-form[data-map-ready='true']")
    # No tile server answers: the area outlines are still drawn from the app's own GeoJSON.
    page.wait_for_function("() => document.querySelectorAll('#map svg path').length > 5")
    page.wait_for_selector("#map.tiles-failed")
    if page.evaluate("() => !!document.getElementById('position-status').dataset.msgTilesFailed"):
        assert page.locator("#map-panel .map-note").is_visible()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.45)
    page.wait_for_function("() => document.getElementById('location_source').value === 'map'")
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert 59.43 < lat < 59.73 and 15.49 < lon < 16.26
    assert page.input_value("#accuracy") == ""
    assert page.locator("#map .leaflet-marker-icon").count() == 1
    # Leaflet finds its marker images next to its stylesheet.
    assert "/static/vendor/leaflet/images/marker-icon" in page.get_attribute(
        "#map .leaflet-marker-icon", "src")
    page.locator("#where").screenshot(path=str(screenshots / "ar-map.png"))
    # Keyboard users: Enter on the focused map marks its centre (the click was off-centre).
    assert abs(lat - 59.5137) > 5e-4
    page.focus("#map")
    page.keyboard.press("Enter")
    page.wait_for_function("() => Math.abs(document.getElementById('lat').value - 59.5137) < 1e-4")
    assert page.locator("#map .leaflet-marker-icon").count() == 1

    page.fill("#description", "كتابة على جدار محطة الحافلات.")
    send(page)
    assert_receipt(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert csp_problems(page) == []


# --- JavaScript off --------------------------------------------------------------------------

def assert_photo_loads(page: Any) -> None:
    image = page.locator(".photo-grid img").first
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_report_without_javascript(make_page: Any, lang: str, tmp_path: Path) -> None:
    page = make_page(locale=lang, java_script_enabled=False)
    page.goto(f"/report?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert not page.locator("#use-position").is_visible(), "JS-only tools stay hidden"
    assert not page.locator("#map-panel").is_visible()
    choose_category(page, "littering")
    page.select_option("#area", "centrum")
    page.fill("#place", "Stora torget, vid fontänen")
    page.fill("#description", "Soptunnorna är överfulla och skräp blåser runt.")
    page.set_input_files("#photos", str(jpeg_with_gps(tmp_path / "skrap.jpg")))
    send(page)
    assert_receipt(page)
    assert_photo_loads(page)
    facts = page.locator(".facts").inner_text()
    assert "Centrum" in facts and "Stora torget" in facts
    assert not page.locator("#copy-link").is_visible()


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_missing_category_keeps_what_was_typed(make_page: Any, lang: str,
                                               tmp_path: Path) -> None:
    page = make_page(locale=lang, java_script_enabled=False)
    page.goto(f"/report?lang={lang}")
    text = "Någon har krossat rutan i busskuren."
    page.fill("#description", text)
    page.fill("#place", "Busshållplatsen Ågatan")
    page.set_input_files("#photos", str(jpeg_with_gps(tmp_path / "ruta.jpg")))
    with page.expect_navigation() as nav:
        page.click("#report-form button[type='submit']")
    assert nav.value.status == 422
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#category']").count() == 1
    assert page.locator("fieldset#category.has-error .field-errors").is_visible()
    assert page.input_value("#description") == text
    assert page.input_value("#place") == "Busshållplatsen Ågatan"
    # The accepted photo is kept with the form: no need to choose it again.
    kept = page.locator(".kept-photos img")
    assert kept.count() == 1
    assert page.evaluate("img => img.naturalWidth > 0", kept.first.element_handle())
    choose_category(page, "vandalism")
    send(page)
    assert_receipt(page)
    assert_photo_loads(page)


def test_error_summary_gets_focus_with_javascript(page: Any) -> None:
    page.goto("/report")
    page.fill("#description", "Trasig belysning.")
    page.fill("#place", "Hamnen")
    send_with_errors(page)
    page.wait_for_function("() => document.activeElement && "
                           "document.activeElement.id === 'error-summary'")
    page.click("#error-summary a[href='#category']")
    assert page.evaluate("() => document.activeElement.name") == "category"


# --- accessibility and screenshots -----------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_axe_and_screenshots(browser: Any, live_server: str, axe_path: Path,
                             screenshots: Path, lang: str) -> None:
    """No serious/critical WCAG 2.1 AA problem on the four citizen views; full-page shots."""
    context = new_context(browser, live_server, locale=lang, bypass_csp=True)
    try:
        page = context.new_page()
        found: dict[str, list[dict[str, Any]]] = {}

        def check(name: str) -> None:
            page.wait_for_load_state("load")
            found[name] = run_axe(page, axe_path)
            page.screenshot(path=str(screenshots / f"{lang}-{name}.png"), full_page=True)

        page.goto(f"/?lang={lang}")
        check("start")
        page.goto("/report")
        check("form")
        page.fill("#description", "Mörkt och obehagligt vid gångtunneln.")
        send_with_errors(page)
        check("form-errors")
        choose_category(page, "unsafe_place")
        page.select_option("#area", "karlberg")
        send(page)
        assert_receipt(page)
        check("receipt")
        problems = {name: v for name, v in found.items() if v}
        assert not problems, "\n".join(f"{lang} {name}:\n{describe(v)}"
                                       for name, v in problems.items())
    finally:
        context.close()


def test_static_budget(live_server: str, page: Any) -> None:
    """CSS and the form's scripts stay small, compressed (what a phone downloads) and not."""
    page.goto("/report")
    entries = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => /\\/static\\/(css|js)\\//.test(e.name))
        .map(e => [e.name.split('?')[0].split('/').pop(), e.decodedBodySize, e.encodedBodySize])""")
    sizes = {name: decoded for name, decoded, _ in entries}
    gzipped = {name: encoded for name, _, encoded in entries}
    assert sizes.get("app.css", 0) and sizes["app.css"] < 16 * 1024, json.dumps(sizes)
    assert gzipped["app.css"] < 4 * 1024, json.dumps(gzipped)
    assert sizes.get("report.js", 0) and sizes["report.js"] < 8 * 1024, json.dumps(sizes)
    scripts = sum(v for name, v in gzipped.items() if name.endswith(".js"))
    assert 0 < scripts < 20 * 1024, json.dumps(gzipped)
    assert not any(name.startswith("leaflet") for name in sizes), "Leaflet loads only on demand"
