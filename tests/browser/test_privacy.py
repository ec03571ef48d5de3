"""Issue #8 end to end on a phone (390×844) in every citizen language: a report with a photo
and contact details, then from its receipt link the resident sees and downloads what it holds
and deletes their personal data; the privacy page and the accessibility statement (with its
barrier form) pass axe and are screenshotted."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import describe, new_context, run_axe
from tests.browser.test_report_flow import (assert_receipt, choose_category, jpeg_with_gps,
                                            send)

pytestmark = pytest.mark.browser

EMAIL = "anna.privat@example.se"


@pytest.mark.parametrize("lang", ["sv", "fi", "en", "ar"])
def test_resident_downloads_and_deletes_their_data_from_the_receipt(
        browser: Any, live_server: str, axe_path: Path, screenshots: Path, tmp_path: Path,
        lang: str) -> None:
    context = new_context(browser, live_server, locale=lang, bypass_csp=True,
                          accept_downloads=True)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = context.new_page()

        def check(name: str) -> None:
            page.wait_for_load_state("load")
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar"
                                                                 else "ltr")
            found[name] = run_axe(page, axe_path)
            page.screenshot(path=str(screenshots / f"{lang}-privacy-{name}.png"),
                            full_page=True)

        page.goto(f"/report?lang={lang}")
        choose_category(page, "unsafe_place")
        page.fill("#description", "Mörkt och otryggt vid busshållplatsen på kvällarna.")
        page.select_option("#area", "karlberg")
        page.set_input_files("#photos", str(jpeg_with_gps(tmp_path / "hallplats.jpg")))
        page.locator("#photo-previews img").wait_for()
        page.fill("#contact_email", EMAIL)
        send(page)
        reference = assert_receipt(page)
        receipt = page.url.split("?")[0]

        page.click(".your-data a[href$='/data']")
        check("data")
        assert EMAIL in page.locator("main").inner_text()
        with page.expect_download() as as_json:
            page.click("a[href$='data.json']")
        data = json.loads(Path(as_json.value.path()).read_text(encoding="utf-8"))
        assert data["reference"] == reference and EMAIL in json.dumps(data)
        with page.expect_download() as as_zip:
            page.click("a[href$='data.zip']")
        with zipfile.ZipFile(as_zip.value.path()) as bundle:
            photos = [n for n in bundle.namelist() if n.endswith(".jpg")]
            assert photos, bundle.namelist()
            photo = Image.open(io.BytesIO(bundle.read(photos[0])))
            assert photo.format == "JPEG" and not photo.getexif().get_ifd(0x8825)  # no GPS

        page.goto(receipt)
        page.click(".your-data a[href$='/delete']")
        check("delete")
        page.click("form button[type='submit']")  # not confirmed yet: asked to tick the box
        page.wait_for_selector("#error-summary")
        page.check("#confirm")
        with page.expect_navigation():
            page.click("form button[type='submit']")
        assert page.url.split("?")[0] == receipt
        assert page.locator(".your-data .notice").is_visible()
        assert page.locator(".your-data a[href$='/delete']").count() == 0
        check("deleted")
        page.click(".your-data a[href$='/data']")
        assert EMAIL not in page.locator("main").inner_text()
        assert reference in page.locator("main").inner_text()  # the report itself stays
    finally:
        context.close()
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{lang} {n}:\n{describe(v)}" for n, v in problems.items())


@pytest.mark.parametrize("lang", ["sv", "fi", "en", "ar"])
def test_privacy_page_and_accessibility_statement_with_a_barrier_report(
        browser: Any, live_server: str, axe_path: Path, screenshots: Path,
        lang: str) -> None:
    context = new_context(browser, live_server, locale=lang, bypass_csp=True)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = context.new_page()

        def check(name: str) -> None:
            page.wait_for_load_state("load")
            found[name] = run_axe(page, axe_path)
            page.screenshot(path=str(screenshots / f"{lang}-{name}.png"), full_page=True)

        page.goto(f"/?lang={lang}")
        with page.expect_navigation():
            page.click("footer a[href='/privacy']")
        check("privacy-page")
        page.goto("/")
        with page.expect_navigation():
            page.click("footer a[href='/accessibility']")
        check("accessibility-statement")
        if lang == "sv":  # (each post counts against the form's limit of 5 a minute)
            page.click("#barrier button[type='submit']")  # empty: an error, page kept
            page.wait_for_selector("#error-summary")
        page.fill("#message", "Kartan går inte att använda med skärmläsare.")
        page.fill("#page", "Rapportformuläret")
        with page.expect_navigation():
            page.click("#barrier button[type='submit']")
        assert page.locator("#barrier .notice-done").is_visible()
        check("barrier-sent")
    finally:
        context.close()
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{lang} {n}:\n{describe(v)}" for n, v in problems.items())
