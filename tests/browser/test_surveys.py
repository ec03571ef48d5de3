"""Answering a survey in a real Chromium at phone size (390×844): with JavaScript on one page
(conditions, a place tapped on the map, offline and sent later) and without JavaScript page
by page; accessibility (axe-core) and screenshots in Swedish, Finnish and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.browser.test_report_flow import csp_problems, describe, run_axe

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


def test_answers_given_offline_are_sent_when_the_connection_returns(
        make_page: Any, survey_id: int, live_database: str) -> None:
    page = make_page("fi-FI")
    page.goto(f"/surveys/{survey_id}?lang=fi")
    question(page, 1).locator("select").select_option("kolsva")
    question(page, 3).get_by_text("Melko turvattomaksi", exact=True).click()
    before = len(stored(live_database, survey_id))
    page.context.set_offline(True)
    page.locator(".sv-send-all").click()
    page.wait_for_selector("#queued:visible")
    assert "tallennettu tähän puhelimeen" in page.locator("#queued").inner_text()
    assert len(stored(live_database, survey_id)) == before
    page.context.set_offline(False)
    page.wait_for_url(f"**/surveys/{survey_id}/thanks", timeout=15_000)
    assert stored(live_database, survey_id)[-1][0] == "fi"
    assert len(stored(live_database, survey_id)) == before + 1


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
