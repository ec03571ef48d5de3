"""The coordinator's builder through HTTP: questions, settings, publishing, preview, codes —
and hostile input on every form (clear error, input kept, nothing stored)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kopingreport.surveys.models import Survey, SurveyCode, SurveyQuestion
from tests.factories import csrf_token, log_in_as
from tests.surveys.helpers import make_survey


def analyst(app: Flask, client: FlaskClient) -> str:
    log_in_as(app, client, "analyst")
    return csrf_token(client, "/admin/surveys/")


def new_survey(client: FlaskClient, token: str, template: str = "") -> int:
    response = client.post("/admin/surveys/new", data={"csrf_token": token,
                                                       "template": template,
                                                       "title": "Trygghet i Kolsva"})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def questions(db_session: Session, survey_id: int) -> list[SurveyQuestion]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey_id).order_by(SurveyQuestion.id)))


def test_building_a_survey_from_scratch(app: Flask, client: FlaskClient,
                                       db_session: Session) -> None:
    token = analyst(app, client)
    sid = new_survey(client, token)
    section = re.search(r'name="section" value="(\d+)"', client.get(
        f"/admin/surveys/{sid}").get_data(as_text=True)).group(1)
    url = f"/admin/surveys/{sid}/questions/new"
    assert "Svenska" in client.get(url + f"?section={section}&kind=single").get_data(
        as_text=True)
    first = client.post(url, data={"csrf_token": token, "section": section, "kind": "single",
                                   "text_sv": "Var bor du?", "options_sv": "I stan\nPå landet",
                                   "is_background": "y"})
    assert first.status_code == 303
    source = questions(db_session, sid)[0]
    follow = client.post(url, data={"csrf_token": token, "section": section,
                                    "kind": "short_text", "text_sv": "Var på landet?",
                                    "condition": f"q{source.id}:{source.options[1]['value']}"})
    assert follow.status_code == 303
    stored = questions(db_session, sid)
    assert stored[1].condition == {"question": source.id, "values": [source.options[1]["value"]]}
    assert stored[0].is_background and [o["label"]["sv"] for o in stored[0].options] == [
        "I stan", "På landet"]
    up = client.post(f"/admin/surveys/questions/{stored[1].id}/up", data={"csrf_token": token})
    assert up.status_code == 303
    overview = client.get(f"/admin/surveys/{sid}?lang=sv").get_data(as_text=True)
    assert "villkoret passar inte längre" in overview
    client.post(f"/admin/surveys/questions/{stored[1].id}/down", data={"csrf_token": token})
    published = client.post(f"/admin/surveys/{sid}/publish", data={"csrf_token": token})
    assert published.status_code == 303
    db_session.expire_all()
    assert db_session.get(Survey, sid).state == "published"
    frozen = client.get(f"/admin/surveys/questions/{stored[0].id}?lang=sv", follow_redirects=True)
    assert "En publicerad enkät kan inte ändras" in frozen.get_data(as_text=True)


def test_hostile_input_in_the_question_form(app: Flask, client: FlaskClient,
                                            db_session: Session) -> None:
    token = analyst(app, client)
    sid = new_survey(client, token)
    section = re.search(r'name="section" value="(\d+)"', client.get(
        f"/admin/surveys/{sid}").get_data(as_text=True)).group(1)
    url = f"/admin/surveys/{sid}/questions/new?lang=sv"
    cases = [
        ({"kind": "single", "text_sv": "", "options_sv": "a\nb"}, "Skriv frågan på svenska."),
        ({"kind": "single", "text_sv": "Fråga", "options_sv": "bara en"},
         "Ge minst två svarsalternativ"),
        ({"kind": "single", "text_sv": "Fråga", "options_sv": "a\nb", "options_fi": "a"},
         "lika många rader som svenskan"),
        ({"kind": "bogus", "text_sv": "Fråga"}, "Välj ett av svaren i listan."),
        ({"kind": "number", "text_sv": "Ålder", "minimum": "90", "maximum": "10"},
         "Det minsta talet får inte vara större än det största."),
        ({"kind": "short_text", "text_sv": "Fråga", "condition": "q99999:x"},
         "Ett villkor måste ange svar på en tidigare fråga."),
        ({"kind": "short_text", "text_sv": "Fråga\x00"}, "Texten innehåller tecken"),
        ({"kind": "short_text", "text_sv": "<script>alert(1)</script>", "section": "999"},
         "Välj en sida i listan."),
    ]
    for fields, message in cases:
        response = client.post(url, data={"csrf_token": token, "section": section, **fields})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, fields
        assert message in html, (fields, message)
        if fields.get("text_sv") == "<script>alert(1)</script>":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert questions(db_session, sid) == []
    no_csrf = client.post(url, data={"section": section, "kind": "yes_no", "text_sv": "Fråga"})
    assert no_csrf.status_code == 400 and questions(db_session, sid) == []


def test_settings_are_checked(app: Flask, client: FlaskClient, db_session: Session) -> None:
    token = analyst(app, client)
    sid = new_survey(client, token, "ntu")
    url = f"/admin/surveys/{sid}/settings?lang=sv"
    base = {"csrf_token": token, "title_sv": "Trygghet 2026", "is_anonymous": "y"}
    bad_dates = client.post(url, data={**base, "opens_at": "2026-06-01T10:00",
                                       "closes_at": "2026-05-01T10:00"})
    assert bad_dates.status_code == 422
    assert "Slutdatumet måste vara efter startdatumet." in bad_dates.get_data(as_text=True)
    assert 'value="2026-06-01T10:00"' in bad_dates.get_data(as_text=True)
    for hostile in ({"languages": "xx"}, {"areas": "atlantis"}, {"opens_at": "imorgon"},
                    {"title_sv": ""}):
        assert client.post(url, data={**base, **hostile}).status_code == 422, hostile
    ok = client.post(url, data={**base, "languages": ["fi"], "areas": ["kolsva"],
                                "closes_at": "2026-12-31T23:59"})
    assert ok.status_code == 303
    db_session.expire_all()
    survey = db_session.get(Survey, sid)
    assert survey.languages == ["sv", "fi"] and survey.title["sv"] == "Trygghet 2026"
    assert [a.code for a in survey.areas] == ["kolsva"] and survey.closes_at is not None


def test_preview_walks_the_pages_and_stores_nothing(app: Flask, client: FlaskClient,
                                                   db_session: Session) -> None:
    token = analyst(app, client)
    sid = new_survey(client, token, "ntu")
    page = client.get(f"/admin/surveys/{sid}/preview?lang=sv").get_data(as_text=True)
    assert "Förhandsvisning: svaren sparas inte." in page
    first = questions(db_session, sid)[0]
    moved = client.post(f"/admin/surveys/{sid}/preview", data={
        "csrf_token": token, "page": "0", "nav": "next", f"q{first.id}": "centrum"})
    assert moved.status_code == 200 and 'data-page="1" aria' in moved.get_data(as_text=True)
    assert client.get_cookie(f"survey_{sid}") is None


def test_codes_are_made_printed_and_checked(app: Flask, client: FlaskClient,
                                            db_session: Session) -> None:
    token = analyst(app, client)
    survey = make_survey(app)
    url = f"/admin/surveys/{survey['id']}/codes?lang=sv"
    for fields in ({"label": "Möte", "count": "0"}, {"label": "Möte", "count": "501"},
                   {"label": "Möte", "count": "många"}, {"label": "", "count": "5"}):
        response = client.post(url, data={"csrf_token": token, **fields})
        assert response.status_code == 422, fields
    assert db_session.scalar(sa.select(sa.func.count()).select_from(SurveyCode)) == 0
    made = client.post(url, data={"csrf_token": token, "label": "Möte i Malmaberg",
                                  "count": "12"})
    assert made.status_code == 303
    sheet = client.get(made.headers["Location"]).get_data(as_text=True)
    printed = re.findall(r'class="sv-code" dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<', sheet)
    assert len(set(printed)) == 12
    again = client.get(made.headers["Location"]).get_data(as_text=True)
    assert re.findall(r'class="sv-code" dir="ltr">([A-Z0-9-]{9})<', again) == printed


def test_a_published_survey_can_still_get_new_dates(app: Flask, client: FlaskClient,
                                                    db_session: Session) -> None:
    token = analyst(app, client)
    survey = make_survey(app)
    response = client.post(f"/admin/surveys/{survey['id']}/settings", data={
        "csrf_token": token, "closes_at": "2027-01-31T12:00", "is_results_public": "y",
        "title_sv": "Ignoreras"})
    assert response.status_code == 303
    db_session.expire_all()
    found = db_session.get(Survey, survey["id"])
    assert found.closes_at is not None and found.is_results_public
    assert found.title["sv"] != "Ignoreras" and found.is_anonymous


def test_analysts_and_administrators_run_citizen_dialogue_moderators_do_not(
        app: Flask) -> None:
    """Surveys and safety walks have their own permission: analysts (who build the surveys)
    and administrators have it, moderators (who review reports) do not — and see no link."""
    from kopingreport.security import ROLE_PERMISSIONS, Permission, Role
    from kopingreport.surveys.access import MANAGE

    assert MANAGE is Permission.SURVEYS_MANAGE  # not borrowed from grannsamverkan
    assert [r for r in Role if MANAGE in ROLE_PERMISSIONS[r]] == [Role.ANALYST, Role.ADMIN]
    for role, allowed in (("analyst", True), ("admin", True), ("moderator", False)):
        client = app.test_client()
        log_in_as(app, client, role)
        for url in ("/admin/surveys/", "/admin/walks/", "/admin/walks/actions/"):
            assert client.get(url).status_code == (200 if allowed else 403), (role, url)
        home = client.get("/admin/?lang=sv").get_data(as_text=True)
        assert ('href="/admin/surveys/"' in home) is allowed, role
