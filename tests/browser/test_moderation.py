"""The moderation back office in a real Chromium: a backlog of 200 reports cleared with the
keyboard only, the map's groups without tiles, redaction by dragging on a photo, tablet and
desktop screenshots and axe-core on the queue and the report page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.browser.moderation_fixtures import (DESKTOP, TABLET, backlog, describe, mod_app,
                                               mod_page, moderator_state, run_axe,
                                               script_problems, shot)

pytestmark = pytest.mark.browser
__all__ = ["backlog", "mod_app", "mod_page", "moderator_state"]  # fixtures used by the tests
OPEN = ("new", "in_review")
QUEUE_URL = re.compile(r"/admin/reports(\?.*)?$")
DETAIL_URL = re.compile(r"/admin/reports/(\d+)(\?.*)?$")


def states(app: Any, ids: list[int] | None = None) -> dict[int, str]:
    """Report id → state, as the live server stored it."""
    from kopingreport.db import get_session
    from kopingreport.reports.models import Report

    with app.app_context():
        query = sa.select(Report.id, Report.state)
        if ids is not None:
            query = query.where(Report.id.in_(ids))
        return dict(get_session().execute(query).all())


def audited(app: Any, action: str) -> set[int]:
    """Ids of the reports that have at least one audit event ``action``."""
    from kopingreport.db import get_session
    from kopingreport.moderation.models import AuditEvent

    with app.app_context():
        return set(get_session().scalars(sa.select(AuditEvent.report_id).where(
            AuditEvent.action == action)))


def press(page: Any, key: str) -> None:
    """Press ``key`` and wait for the page it leads to."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.keyboard.press(key)


def close(found: tuple[float, ...], wanted: tuple[float, ...], tolerance: float) -> bool:
    return all(abs(a - b) < tolerance for a, b in zip(found, wanted, strict=True))


def live_text(page: Any) -> str:
    page.wait_for_function("() => document.getElementById('mod-live').textContent.trim() !== ''")
    return page.locator("#mod-live").inner_text().strip()


# --- views, tablet, accessibility ------------------------------------------------------------

def test_queue_detail_and_map_at_desktop_and_tablet(mod_page: Any, backlog: dict[str, Any],
                                                    screenshots: Path) -> None:
    """The three views render at both sizes under the strict CSP; a touch drag on a photo marks a
    region; the case layout has two columns on a desktop and one on a tablet."""
    photo_detail = f"/admin/reports/{backlog['photo_report']}"
    for size, viewport in (("desktop", DESKTOP), ("tablet", TABLET)):
        page = mod_page(viewport=viewport, has_touch=size == "tablet")
        page.goto("/admin/reports")
        assert page.locator("#queue tbody tr[data-url]").count() == 50
        page.keyboard.press("j")
        page.keyboard.press("j")
        page.keyboard.press("x")
        assert page.locator("#queue tbody tr.is-focused.is-selected").count() == 1
        sticky = page.eval_on_selector(".filters", "el => getComputedStyle(el).position")
        assert sticky == ("sticky" if size == "desktop" else "static")
        shot(page, screenshots, f"queue-{size}")
        page.goto(photo_detail)
        page.wait_for_selector("#case-map[data-map-ready]")
        page.wait_for_selector("#case-map.tiles-failed")
        shot(page, screenshots, f"detail-{size}")
        page.screenshot(path=str(screenshots / f"moderation-detail-{size}-full.png"),
                        full_page=True)
        main, side = (page.locator(s).bounding_box() for s in (".case-main", ".case-side"))
        if size == "desktop":
            assert side["x"] > main["x"] + main["width"] - 1, "two columns on a desktop"
        else:
            assert side["y"] > main["y"] + main["height"] - 1, "one column on a tablet"
            assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
            touch_drag(page)
        page.goto("/admin/reports/map?state=new&state=in_review&state=accepted")
        page.wait_for_selector("#queue-map[data-map-ready]")
        shot(page, screenshots, f"map-{size}")
        if size == "desktop":  # right to left
            page.goto(photo_detail + "?lang=ar")
            assert page.get_attribute("html", "dir") == "rtl"
            shot(page, screenshots, "detail-rtl")
            page.goto("/admin/reports?lang=ar")
            shot(page, screenshots, "queue-rtl")
        assert script_problems(page) == []


def touch_drag(page: Any) -> None:
    """Draw a region with a finger (real touch events through the DevTools protocol)."""
    page.click(".redact-draw")
    box = page.locator(".redact-layer").first.bounding_box()
    cdp = page.context.new_cdp_session(page)
    x0, y0 = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                          "touchPoints": [{"x": x0, "y": y0}]})
    for step in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + step * box["width"] * 0.06, "y": y0 + step * box["height"] * 0.05}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    value = page.locator(".redact-form input[type=hidden][name=regions]").first.input_value()
    x, y, w, h = map(float, value.split(","))
    assert close((x, y, w, h), (0.1, 0.1, 0.3, 0.25), 0.02), value
    page.click(".redact-tools .link-button")  # clear
    assert page.locator(".redact-form input[type=hidden][name=regions]").count() == 0


def test_axe_on_queue_and_report(mod_page: Any, backlog: dict[str, Any], axe_path: Path) -> None:
    """No serious or critical WCAG 2.1 A/AA problem on the queue and the report page."""
    page = mod_page(bypass_csp=True)
    found = {}
    for name, url in (("queue", "/admin/reports"),
                      ("detail", f"/admin/reports/{backlog['photo_report']}")):
        page.goto(url)
        page.wait_for_load_state("load")
        if name == "queue":
            page.keyboard.press("j")
        found[name] = run_axe(page, axe_path)
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{name}:\n{describe(v)}" for name, v in problems.items())


# --- the map ---------------------------------------------------------------------------------

def test_map_groups_reports_and_opens_them_by_keyboard(mod_page: Any, backlog: dict[str, Any]
                                                       ) -> None:
    """Without tiles the map still shows every report, grouped; Enter on a group zooms in and
    keeps the keyboard focus on a marker; Enter on a single report opens it."""
    page = mod_page()
    page.goto("/admin/reports/map?state=new&state=in_review&state=accepted")
    page.wait_for_selector("#queue-map[data-map-ready]")
    page.wait_for_selector("#queue-map.tiles-failed")
    total = len(page.request.get("/admin/reports/map.geojson?state=new&state=in_review"
                                 "&state=accepted").json()["features"])
    assert total >= len(backlog["ids"]) + 1
    groups = page.locator(".mm-cluster")
    counts = [int(t) for t in groups.all_inner_texts()]
    singles = page.locator(".mm-pin").count()
    assert counts and max(counts) > 1, "reports close together are grouped"
    assert sum(counts) + singles == total, "every report is in exactly one group"
    assert len(counts) + singles < total / 4
    assert groups.first.get_attribute("tabindex") == "0"
    assert re.search(r"\d", groups.first.get_attribute("aria-label") or "")
    before = len(counts) + singles
    groups.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => +document.getElementById('queue-map').dataset.groups > {before}")
    assert page.evaluate("() => document.activeElement.classList.contains('mm-marker')")
    for _ in range(8):  # zoom in on groups until a single report has the focus
        if page.evaluate("() => document.activeElement.classList.contains('mm-pin')"):
            break
        groups_now = int(page.locator("#queue-map").get_attribute("data-groups"))
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => +document.getElementById('queue-map').dataset.groups !== {groups_now}")
    if not page.evaluate("() => document.activeElement.classList.contains('mm-pin')"):
        page.locator(".mm-pin").first.focus()
    press(page, "Enter")
    assert DETAIL_URL.search(page.url), page.url
    assert script_problems(page) == []


# --- redaction -------------------------------------------------------------------------------

def test_redaction_by_dragging_replaces_the_public_photo(mod_page: Any, backlog: dict[str, Any],
                                                         mod_app: Any, screenshots: Path) -> None:
    """A rectangle dragged with the mouse is sent as a region; the public copy changes, the
    resident's receipt shows the redacted copy and the audit trail records it."""
    page = mod_page()
    rid = backlog["photo_report"]
    page.goto(f"/admin/reports/{rid}")
    public_url = page.locator("img.redact-target").first.get_attribute("src")
    before = page.request.get(public_url).body()
    page.click(".redact-draw")
    assert page.get_attribute(".redact-draw", "aria-pressed") == "true"
    box = page.locator(".redact-layer").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.35)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + box["width"] * (0.3 + step * 0.04),
                        box["y"] + box["height"] * (0.35 + step * 0.02))
    page.mouse.up()
    assert page.locator(".redact-box").count() == 1
    assert "1" in live_text(page)
    region = page.locator(".redact-form input[type=hidden][name=regions]").input_value()
    x, y, w, h = map(float, region.split(","))
    assert close((x, y, w, h), (0.3, 0.35, 0.4, 0.2), 0.01), region
    page.check(".redact-form input[name=mode][value=black]")
    page.locator(".redact-frame").scroll_into_view_if_needed()
    shot(page, screenshots, "redaction")
    with page.expect_navigation():
        page.click(".redact-form button[type=submit]")
    assert page.locator(".notice-error").count() == 0
    after = page.request.get(public_url).body()
    assert after != before and after[:2] == b"\xff\xd8"
    receipt = page.request.get(backlog["status_url"])
    token_photo = re.search(r'href="([^"]+/photos/0/full\.jpg)"', receipt.text())
    assert token_photo and page.request.get(token_photo.group(1)).body() == after
    assert rid in audited(mod_app, "photo_redacted")
    assert "photo_redacted" in page.locator(".audit").inner_text()
    assert script_problems(page) == []


# --- clearing the backlog with the keyboard only ---------------------------------------------

def test_keyboard_only_clears_a_backlog_of_200(mod_page: Any, backlog: dict[str, Any],
                                               mod_app: Any) -> None:
    """Every open report is handled without the mouse: a selection and whole pages accepted in
    the queue, the rest one by one on the report page (each key saves and opens the next),
    ending back in the empty queue."""
    waiting = [i for i, s in states(mod_app).items() if s in OPEN]
    assert len(waiting) >= 201
    page = mod_page()
    page.goto("/admin/reports")
    # In the queue: j/x pick two rows, a accepts them.
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    picked = [int(v) for v in page.locator("#queue input[name=ids]:checked").evaluate_all(
        "els => els.map(e => e.value)")]
    assert len(picked) == 2
    press(page, "a")
    assert set(states(mod_app, picked).values()) == {"accepted"}
    # Whole pages: * selects the page, a accepts it.
    for _ in range(3):
        page.keyboard.press("*")
        assert page.locator("#queue input[name=ids]:checked").count() == 50
        press(page, "a")
    # The last page: everything but the first 20 rows (* selects all, x unselects one).
    page.keyboard.press("*")
    rows = page.locator("#queue input[name=ids]").count()
    for _ in range(20):
        page.keyboard.press("j")
        page.keyboard.press("x")
    kept = page.locator("#queue input[name=ids]:not(:checked)").count()
    assert kept == 20
    press(page, "a")
    left = [i for i, s in states(mod_app, waiting).items() if s in OPEN]
    assert len(left) == len(waiting) - 152 - (rows - 20)
    # One by one: Enter opens the first; r reviews, k goes back, a accepts and goes on.
    page.keyboard.press("j")
    press(page, "Enter")
    first = int(DETAIL_URL.search(page.url).group(1))
    press(page, "r")
    assert int(DETAIL_URL.search(page.url).group(1)) != first
    press(page, "k")
    assert int(DETAIL_URL.search(page.url).group(1)) == first
    page.keyboard.press("r")  # in review already: not offered, nothing happens
    assert live_text(page) == page.get_attribute("#mod-live", "data-msg-not-allowed")
    assert int(DETAIL_URL.search(page.url).group(1)) == first
    keys = iter(["a", "f", "n"])
    for _ in range(len(left) + 5):
        if QUEUE_URL.search(page.url):
            break
        last = page.locator("#case").get_attribute("data-older") == ""
        key = next(keys, "a")
        if last:
            page.keyboard.press(key)
            page.wait_for_url(QUEUE_URL)
        else:
            press(page, key)
    assert QUEUE_URL.search(page.url), page.url
    assert page.locator("#queue input[name=ids]").count() == 0
    final = states(mod_app, waiting)
    assert [i for i, s in final.items() if s in OPEN] == []
    assert {"accepted", "forwarded", "no_action"} <= set(final.values())
    assert set(waiting) <= audited(mod_app, "state"), "every change is in the audit trail"
    assert script_problems(page) == []


def test_back_office_assets_stay_small() -> None:
    """The back office's own CSS and scripts stay small (no clustering plugin, no framework)."""
    static = Path(__file__).resolve().parents[2] / "static"
    assert (static / "css" / "moderation.css").stat().st_size < 8 * 1024
    assert (static / "js" / "moderation.js").stat().st_size < 16 * 1024
    assert (static / "js" / "moderation-map.js").stat().st_size < 8 * 1024
