"""Issue #6 "done when", end to end through HTTP: the analyst builds and publishes a survey
from a template, residents answer it in Swedish and Finnish, a second answer from the same
device is refused politely, results show in charts and on the map with small cells
suppressed; a safety walk goes from stops to a printed protocol with åtgärder tracked."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kopingreport.surveys.models import SurveyQuestion, SurveyResponse
from kopingreport.walks.models import Action
from tests.factories import csrf_token, log_in_as
from tests.surveys.helpers import NTU, ntu_answers, send_all
from tests.walks.test_walks import add_stop, plan


def test_survey_from_template_to_suppressed_results(app: Flask, client: FlaskClient,
                                                    db_session: Session) -> None:
    log_in_as(app, client, "analyst")
    token = csrf_token(client, "/admin/surveys/")
    created = client.post("/admin/surveys/new", data={"csrf_token": token, "template": "ntu"})
    survey_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/admin/surveys/{survey_id}/publish",
                       data={"csrf_token": token}).status_code == 303
    ids = list(db_session.scalars(sa.select(SurveyQuestion.id).where(
        SurveyQuestion.survey_id == survey_id).order_by(SurveyQuestion.section_id,
                                                        SurveyQuestion.position)))
    evening, places = f"q{ids[NTU['evening']]}", f"q{ids[NTU['unsafe_places']]}"
    for number in range(7):  # seven phones, Swedish and Finnish
        phone = app.test_client()
        lang = "fi" if number % 2 else "sv"
        feeling = "ganska_otrygg" if number < 6 else "mycket_otrygg"
        sent = send_all(phone, survey_id, ntu_answers(ids, **{evening: feeling}), lang=lang)
        assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
        if number == 0:
            again = send_all(phone, survey_id, ntu_answers(ids), lang=lang)
            assert again.status_code == 409
            assert "Du har redan svarat på enkäten" in again.get_data(as_text=True)
    locales = db_session.scalars(sa.select(SurveyResponse.locale)).all()
    assert sorted(locales) == ["fi"] * 3 + ["sv"] * 4
    html = client.get(f"/admin/surveys/{survey_id}/results?lang=sv").get_data(as_text=True)
    assert "Svar: <strong>7</strong>" in html and '<svg class="sv-chart-svg"' in html
    start = html.index("<table", html.index("Hur trygg eller otrygg känner du dig när du går"))
    table = html[start:html.index("</table>", start)]
    assert re.search(r"Ganska otrygg</th>\s*<td colspan=\"2\">dold", table)  # 6 − 1 hidden
    assert re.search(r"Mycket otrygg</th>\s*<td colspan=\"2\">färre än 5", table)
    geo = client.get(f"/admin/surveys/{survey_id}/results.geojson").json
    assert [f["properties"]["responses"] for f in geo["features"]] == [7]
    assert f'data-geojson="/admin/surveys/{survey_id}/results.geojson?question=' in html
    assert places  # the map question exists and was answered by everyone


def test_safety_walk_from_stops_to_a_printed_protocol(app: Flask, client: FlaskClient,
                                                      db_session: Session) -> None:
    walk_id, link, token = plan(app, client)
    for place, phone in (("Gångtunneln", app.test_client()), ("Busshållplatsen",
                                                              app.test_client())):
        assert add_stop(phone, link, place=place).status_code == 303
    client.post(f"/admin/walks/{walk_id}/state", data={"csrf_token": token,
                                                       "state": "finished"})
    detail = client.get(f"/admin/walks/{walk_id}").get_data(as_text=True)
    for stop_id in re.findall(r"/admin/walks/actions/new/(\d+)", detail):
        assert client.post(f"/admin/walks/actions/new/{stop_id}", data={
            "csrf_token": token, "title": "Byt till LED-armaturer", "owner_text": "Gatuavdelningen",
            "due_on": "2026-12-31", "status": "planned"}).status_code == 303
    first, second = db_session.scalars(sa.select(Action.id).order_by(Action.id)).all()
    assert client.post(f"/admin/walks/actions/{first}", data={
        "csrf_token": token, "title": "Byt till LED-armaturer", "owner_text": "Gatuavdelningen",
        "due_on": "2026-12-31", "status": "done"}).status_code == 303
    assert client.post(f"/admin/walks/actions/{second}", data={
        "csrf_token": token, "title": "Flytta busshållplatsen", "status": "declined",
        "public_reason": "Trafikverket äger vägen; vi har skickat förslaget dit."}
    ).status_code == 303
    client.post(f"/admin/walks/{walk_id}/state", data={"csrf_token": token,
                                                       "state": "published"})
    printed = client.get(f"/admin/walks/{walk_id}/protocol?lang=sv").get_data(as_text=True)
    # The heading says what the page is once, then the walk's own title (no repeat).
    assert re.search(r'<p class="hint">Protokoll från trygghetsvandring</p>\s*<h1>[^<–]+</h1>',
                     printed)
    assert "Gångtunneln" in printed and "Busshållplatsen" in printed
    # Each åtgärd with its owner, due date and status.
    rows = re.findall(r'<div class="walk-action">(.*?)</div>', printed, re.S)
    assert len(rows) == 2
    assert all(w in rows[0] for w in ("Byt till LED-armaturer", "Åtgärdad", "Gatuavdelningen",
                                      "31 december 2026"))
    assert "Avslagen" in rows[1] and "Trafikverket äger vägen" in rows[1]
    # Printed: the page's style sheet has print rules that leave out the navigation.
    css_url = re.search(r'href="(/static/css/surveys\.css\?v=[^"]+)"', printed).group(1)
    css = client.get(css_url).get_data(as_text=True)
    print_rules = css[css.index("@media print"):]
    assert ".backoffice-nav" in print_rules and ".walk-protocol-stop, .walk-action" in print_rules
    assert 'class="sv-crumbs sv-no-print"' in printed
    public = app.test_client().get(f"/walks/{walk_id}/protocol?lang=fi")
    text = public.get_data(as_text=True)
    assert public.status_code == 200 and "LED-armaturer" in text
    # A declined åtgärd tells residents why (in the reason's own words).
    assert "Trafikverket äger vägen; vi har skickat förslaget dit." in text
