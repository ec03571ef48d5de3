"""Answering a survey in a real Chromium at phone size (390×844): with JavaScript on one page
(conditions, a place tapped on the map, offline and sent later) and without JavaScript page
by page; accessibility (axe-core) and screenshots in Swedish, Finnish and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.browser.test_pwa import wait_for_promise, wait_for_service_worker
from tests.browser.conftest import describe, run_axe
from tests.browser.test_report_flow import csp_problems

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def survey_id(live_server: str, live_database: str) -> int:
    """A published NTU survey in the live server's database."""
    from kopingreport import create_app
    from kopingreport.db import engine, get_session
    from kopingreport.surveys import builder

    app = create_app({"DATABASE_URL": live_database, "SECRET_KEY": "browser-test-secret"})
    with app.app_context():
        session = get_session()
        survey = builder.create_survey(session, None, "ntu")
        survey.is_results_public = True
        builder.publish(session, None, survey)
        session.commit()
        found = survey.id
        engine().dispose()
    return found


def stored(live_database: str, survey: int) -> list[tuple[str, int]]:
    """(locale, number of map points) of each stored response."""
    engine = sa.create_engine(live_database)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT r.locale, (SELECT count(*) FROM survey_answers a WHERE a.response_id = r.id "
            "AND a.lat IS NOT NULL) FROM survey_responses r WHERE r.survey_id = :s "
            "ORDER BY r.id"), {"s": survey}).all()
    engine.dispose()
    return [(locale, points) for locale, points in rows]


def question(page: Any, number: int) -> Any:
    return page.locator("[data-question]").nth(number - 1)


def answer_required(page: Any) -> None:
    question(page, 1).locator("select").select_option("centrum")
    question(page, 3).get_by_text("Ganska otrygg", exact=True).click()


def test_one_page_with_javascript_conditions_and_a_map_point(
        make_page: Any, survey_id: int, live_database: str, screenshots: Path) -> None:
    page = make_page("sv-SE")
    page.goto(f"/surveys/{survey_id}?lang=sv")
    assert page.locator(".sv-section:visible").count() == 5  # one page
    assert page.locator(".sv-next").is_hidden() and page.locator(".sv-send-all").is_visible()
    stays_in = question(page, 4)
    assert stays_in.is_hidden()
    question(page, 3).get_by_text("Går aldrig ut ensam sent", exact=True).click()
    assert stays_in.is_visible()
    page.locator(".sv-send-all").click()
    assert page.locator("#error-summary").is_visible()
    assert "Svara på frågan." in page.locator("#error-summary").inner_text()
    answer_required(page)
    assert stays_in.is_hidden()
    places = question(page, 11)
    places.scroll_into_view_if_needed()
    page.wait_for_selector(f"#{places.get_attribute('data-question')}-map.leaflet-container")
    page.locator(".sv-map").first.click(position={"x": 150, "y": 120})
    assert places.locator(".sv-point-marked").first.is_visible()
    page.screenshot(path=str(screenshots / "sv-survey-map.png"))
    with page.expect_navigation():
        page.locator(".sv-send-all").click()
    assert page.url.endswith(f"/surveys/{survey_id}/thanks")
    assert "Tack för dina svar!" in page.locator("h1").inner_text()
    assert stored(live_database, survey_id)[-1] == ("sv", 1)
    page.goto(f"/surveys/{survey_id}?lang=sv")
    assert "Du har redan svarat på enkäten" in page.locator("h1").inner_text()
    assert not csp_problems(page), page.problems


#: JavaScript: how many items wait in the phone's outbox (reports and survey answers).
WAITING = ("new Promise((ok) => { const r = indexedDB.open('kopingreport'); r.onsuccess = () => "
           "{ r.result.transaction('outbox').objectStore('outbox').count().onsuccess = "
           "(e) => ok(e.target.result); }; })")


def kept_offline(path: str) -> str:
    """JavaScript: whether the service worker keeps ``path`` for use without a connection."""
    return (f"caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k)"
            f".then((c) => c.match('{path}'))))).then((hits) => hits.some(Boolean))")


def test_answered_offline_in_finnish_delivered_once_and_a_second_answer_refused(
        make_page: Any, survey_id: int, live_database: str, screenshots: Path) -> None:
    page = make_page("fi-FI")
    page.goto(f"/surveys/{survey_id}?lang=fi")
    wait_for_service_worker(page)
    # The page opened before the service worker took over is kept as well.
    wait_for_promise(page, kept_offline(f"/surveys/{survey_id}"))
    # Another tab with the same survey, opened before answering: used for a second answer.
    other = page.context.new_page()
    other.goto(f"/surveys/{survey_id}?lang=fi")
    before = len(stored(live_database, survey_id))

    # The connection drops; the survey page the resident opened still opens, and is answered.
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    assert page.locator("html").get_attribute("lang") == "fi"
    question(page, 1).locator("select").select_option("kolsva")
    question(page, 3).get_by_text("Melko turvattomaksi", exact=True).click()
    page.locator(".sv-send-all").click()
    page.wait_for_selector("#queued:visible")
    assert "tallennettu tähän puhelimeen" in page.locator("#queued").inner_text()
    # The same outbox as reports: the notice on every page counts it as a survey answer.
    page.wait_for_selector("#outbox-note:not([hidden])")
    assert page.inner_text("#outbox-count") == "1 kyselyvastaus odottaa lähettämistä"
    page.screenshot(path=str(screenshots / "fi-survey-offline-queued.png"), full_page=True)
    # Answering again from the kept page does not queue a second answer.
    page.reload()
    question(page, 1).locator("select").select_option("kolsva")
    question(page, 3).get_by_text("Melko turvalliseksi", exact=True).click()
    page.locator(".sv-send-all").click()
    page.wait_for_selector("#queued:visible")
    assert page.evaluate(WAITING) == 1
    assert len(stored(live_database, survey_id)) == before
    # "My reports" (offline too) lists it as a waiting survey answer, not as a report.
    mine = page.context.new_page()
    mine.goto("/my-reports")
    card = mine.locator("#waiting-list li")
    card.wait_for()
    assert card.count() == 1
    assert "Kyselyvastaus" in card.inner_text() and "Odottaa yhteyttä" in card.inner_text()
    assert "Turvallisuuskysely" in card.inner_text()
    mine.screenshot(path=str(screenshots / "fi-my-reports-survey-waiting.png"), full_page=True)
    mine.close()

    page.context.set_offline(False)  # the "online" event sends it
    page.wait_for_url(f"**/surveys/{survey_id}/thanks", timeout=20_000)
    assert "Kiitos vastauksistasi!" in page.locator("h1").inner_text()
    assert len(stored(live_database, survey_id)) == before + 1
    assert stored(live_database, survey_id)[-1][0] == "fi"
    assert page.evaluate(WAITING) == 0
    assert page.locator("#outbox-note").is_hidden()

    # A second answer from the same phone, from the tab still showing the form: refused
    # politely, nothing stored, nothing left waiting.
    question(other, 1).locator("select").select_option("centrum")
    question(other, 3).get_by_text("Melko turvalliseksi", exact=True).click()
    with other.expect_navigation():
        other.locator(".sv-send-all").click()
    assert "Olet jo vastannut" in other.locator("h1").inner_text()
    other.screenshot(path=str(screenshots / "fi-survey-already.png"))
    # … and opening the survey again says the same.
    page.goto(f"/surveys/{survey_id}?lang=fi")
    assert "Olet jo vastannut" in page.locator("h1").inner_text()
    assert len(stored(live_database, survey_id)) == before + 1
    assert other.evaluate(WAITING) == 0
    assert not csp_problems(page), page.problems


def test_page_by_page_without_javascript(make_page: Any, survey_id: int, live_database: str,
                                         screenshots: Path) -> None:
    page = make_page("sv-SE", java_script_enabled=False)
    page.goto(f"/surveys/{survey_id}?lang=sv")
    assert page.locator(".sv-section:visible").count() == 1
    assert "Sida 1 av 5" in page.locator(".sv-section:visible h2").inner_text()
    page.locator(".sv-next").click()
    assert "Svara på frågan." in page.locator("#error-summary").inner_text()
    page.locator(".sv-section:visible select").first.select_option("ullvi")
    page.locator(".sv-next").click()
    page.get_by_text("Ganska trygg", exact=True).first.click()
    page.screenshot(path=str(screenshots / "sv-survey-nojs.png"))
    page.locator(".sv-next").click()
    page.locator(".sv-next").click()
    section = page.locator(".sv-section:visible")
    section.locator("select").first.select_option("centrum")
    section.locator("input[name$='_p0_place']").fill("Stora torget")
    page.locator(".sv-next").click()
    page.locator(".sv-send").click()
    assert "Tack för dina svar!" in page.locator("h1").inner_text()
    assert stored(live_database, survey_id)[-1] == ("sv", 0)


@pytest.mark.parametrize("lang,locale", [("sv", "sv-SE"), ("fi", "fi-FI"), ("ar", "ar")])
def test_the_survey_pages_at_phone_size(make_page: Any, survey_id: int, screenshots: Path,
                                        axe_path: Path, lang: str, locale: str) -> None:
    page = make_page(locale, bypass_csp=True)  # axe-core is injected as an inline script
    page.goto(f"/surveys?lang={lang}")
    page.screenshot(path=str(screenshots / f"{lang}-surveys.png"), full_page=True)
    page.goto(f"/surveys/{survey_id}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.screenshot(path=str(screenshots / f"{lang}-survey.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    violations = run_axe(page, axe_path)
    assert not violations, describe(violations)
    page.goto(f"/surveys/{survey_id}/results?lang={lang}")
    violations = run_axe(page, axe_path)
    assert not violations, describe(violations)
    page.screenshot(path=str(screenshots / f"{lang}-survey-results.png"), full_page=True)


@pytest.fixture(scope="module")
def demo_walk(live_server: str, live_database: str) -> dict[str, Any]:
    """The published demo safety walk and an analyst (with two-factor) in the live database."""
    from kopingreport import create_app
    from kopingreport.db import engine, get_session
    from kopingreport.walks.demo import TITLE, load_demo_walk
    from kopingreport.walks.models import SafetyWalk
    from tests.factories import make_user

    app = create_app({"DATABASE_URL": live_database, "SECRET_KEY": "browser-test-secret"})
    with app.app_context():
        session = get_session()
        load_demo_walk(session)
        session.commit()
        walk_id = session.scalar(sa.select(SafetyWalk.id).where(SafetyWalk.title == TITLE))
    analyst = make_user(app, "analyst", "protocol-analyst@koping.example")
    with app.app_context():
        engine().dispose()
    return {"id": walk_id, "analyst": analyst}


def log_in_browser(page: Any, account: dict[str, Any]) -> None:
    """Log in through /login and /login/code (TOTP)."""
    import pyotp

    page.goto("/login?lang=sv")
    page.fill("#email", account["email"])
    page.fill("#password", account["password"])
    page.press("#password", "Enter")
    page.wait_for_url("**/login/code**")
    page.fill("#code", pyotp.TOTP(account["secret"]).now())
    page.press("#code", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def test_the_protocol_on_a_phone_and_printed(make_page: Any, demo_walk: dict[str, Any],
                                             screenshots: Path) -> None:
    page = make_page("sv-SE")
    page.goto(f"/walks/{demo_walk['id']}/protocol?lang=sv")
    page.screenshot(path=str(screenshots / "sv-walk-protocol.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    declined = page.locator(".walk-action").filter(has_text="Avslagen")
    assert "Trafikverket inte sänker hastigheten" in declined.inner_text()

    log_in_browser(page, demo_walk["analyst"])
    page.goto(f"/admin/walks/{demo_walk['id']}/protocol?lang=sv")
    assert page.locator(".backoffice-nav, .sv-crumbs").first.is_visible()
    page.emulate_media(media="print")
    # On paper: the protocol only, every åtgärd with its owner, due date and status.
    assert page.locator(".site-header").is_hidden() and page.locator(".sv-crumbs").is_hidden()
    nav = page.locator(".backoffice-nav")
    assert nav.count() == 0 or nav.is_hidden()
    actions = page.locator(".walk-action")
    assert actions.count() == 4
    first = actions.first.inner_text()
    assert "Köpings kommun, gatuavdelningen" in first and "Åtgärdad" in first
    page.screenshot(path=str(screenshots / "sv-walk-protocol-print.png"), full_page=True)
    page.pdf(path=str(screenshots / "sv-walk-protocol.pdf"), format="A4")
