"""Residents answering through HTTP without JavaScript: pages, conditions, one answer per
device, codes, languages and hostile input."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories import GPS_SECRET, csrf_token, jpeg_with_gps
from tests.surveys.helpers import NTU, form_state, make_survey, ntu_answers, send_all


def responses(db_session: Session) -> list[SurveyResponse]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(SurveyResponse)))


def visible_page(html: str) -> int:
    """The section shown without JavaScript."""
    pages = re.findall(r'<section class="sv-section" data-page="(\d+)"[^>]*?(hidden)?>', html)
    shown = [int(n) for n, hidden in pages if not hidden]
    assert len(shown) == 1, pages
    return shown[0]


def post(client: FlaskClient, survey_id: int, page: int, nav: str, **fields: object):
    url = f"/surveys/{survey_id}"
    state = form_state(client, url)
    return client.post(url, data={**state, "page": str(page), "nav": nav, **fields})


def test_the_list_shows_open_surveys_for_my_area_first(app: Flask, client: FlaskClient) -> None:
    from kopingreport.db import get_session
    from kopingreport.reports.models import Area

    everyone = make_survey(app)
    local = make_survey(app)
    with app.app_context():
        session = get_session()
        survey = session.get(__import__("kopingreport.surveys.models", fromlist=["Survey"])
                             .Survey, local["id"])
        survey.areas = list(session.scalars(sa.select(Area).where(Area.code == "kolsva")))
        session.commit()
    draft = make_survey(app, publish=False)
    closed = make_survey(app, closes_at=utcnow() - timedelta(days=1))
    html = client.get("/surveys?area=kolsva").get_data(as_text=True)
    links = re.findall(r'href="/surveys/(\d+)"', html)
    assert links == [str(local["id"]), str(everyone["id"])]
    assert client.get(f"/surveys/{draft['id']}").status_code == 404
    assert "Enkäten är stängd" in client.get(f"/surveys/{closed['id']}?lang=sv").get_data(
        as_text=True)


def test_page_by_page_without_javascript_with_conditions(app: Flask, client: FlaskClient,
                                                         db_session: Session) -> None:
    survey = make_survey(app)
    q = [f"q{i}" for i in survey["questions"]]
    sid = survey["id"]
    first = client.get(f"/surveys/{sid}?lang=sv").get_data(as_text=True)
    assert visible_page(first) == 0 and "Sida 1 av 5" in first
    missing = post(client, sid, 0, "next")
    assert missing.status_code == 422 and visible_page(missing.get_data(as_text=True)) == 0
    assert "Svara på frågan." in missing.get_data(as_text=True)
    page2 = post(client, sid, 0, "next", **{q[0]: "ullvi", q[1]: "65_plus"})
    html = page2.get_data(as_text=True)
    assert page2.status_code == 200 and visible_page(html) == 1
    assert 'value="ullvi" selected' in html  # the earlier page travels along, hidden
    assert "Svara bara om ditt svar på fråga 3" in html  # same-page condition, no script
    page3 = post(client, sid, 1, "next", **{q[0]: "ullvi", q[2]: "gar_aldrig_ut", q[3]: "yes"})
    assert visible_page(page3.get_data(as_text=True)) == 2
    back = post(client, sid, 2, "back", **{q[0]: "ullvi", q[2]: "gar_aldrig_ut", q[3]: "yes"})
    assert visible_page(back.get_data(as_text=True)) == 1
    fields = {q[0]: "ullvi", q[2]: "mycket_trygg", q[3]: "yes", q[8]: "nej",
              q[9]: "Ska inte sparas"}
    page4 = post(client, sid, 3, "next", **fields)
    assert visible_page(page4.get_data(as_text=True)) == 4
    sent = post(client, sid, 4, "send", **fields)
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/surveys/{sid}/thanks")
    stored = db_session.scalars(sa.select(SurveyAnswer.question_id)).all()
    hidden = {survey["questions"][NTU["stays_in"]], survey["questions"][NTU["avoid_which"]]}
    assert stored and hidden.isdisjoint(stored)  # answers to hidden questions are dropped
    assert "Tack för dina svar!" in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_second_answer_from_the_same_device_is_refused_politely(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    survey = make_survey(app)
    assert send_all(client, survey["id"], ntu_answers(survey["questions"])).status_code == 303
    cookie = client.get_cookie(f"survey_{survey['id']}")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    again = client.get(f"/surveys/{survey['id']}?lang=sv")
    assert again.status_code == 200
    assert "Du har redan svarat på enkäten" in again.get_data(as_text=True)
    state = {"csrf_token": csrf_token(client, "/report")}
    repeat = client.post(f"/surveys/{survey['id']}", data={
        **state, **ntu_answers(survey["questions"]), "nav": "send"})
    assert repeat.status_code == 409
    assert "Du har redan svarat på enkäten" in repeat.get_data(as_text=True)
    assert len(responses(db_session)) == 1
    other_phone = app.test_client()
    assert send_all(other_phone, survey["id"], ntu_answers(survey["questions"])).status_code == 303
    assert len(responses(db_session)) == 2
    assert all(r.user_id is None and r.code_batch_id is None for r in responses(db_session))


def test_finnish_respondents_see_finnish_texts(app: Flask, client: FlaskClient,
                                              db_session: Session) -> None:
    survey = make_survey(app)
    html = client.get(f"/surveys/{survey['id']}?lang=fi").get_data(as_text=True)
    assert '<html lang="fi"' in html and "Millä alueella asut?" in html
    assert "Seuraava" in html and "Kuinka turvalliseksi tai turvattomaksi" in html
    error = post(client, survey["id"], 0, "next")
    assert "Vastaa kysymykseen." in error.get_data(as_text=True)
    sent = send_all(client, survey["id"], ntu_answers(survey["questions"]), lang="fi")
    assert "Kiitos vastauksistasi!" in client.get(sent.headers["Location"] + "?lang=fi"
                                                  ).get_data(as_text=True)
    assert [r.locale for r in responses(db_session)] == ["fi"]


def test_a_survey_only_in_swedish_is_shown_in_swedish_with_a_notice(
        app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app, languages=["sv"])
    html = client.get(f"/surveys/{survey['id']}?lang=fi").get_data(as_text=True)
    assert "Kysely ei ole saatavilla kielelläsi" in html
    assert '<span lang="sv" dir="ltr">Vilket område bor du i?</span>' in html


def test_hostile_input_gets_clear_errors_keeps_input_and_stores_nothing(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    survey = make_survey(app)
    q = [f"q{i}" for i in survey["questions"]]
    script = "<script>alert('x')</script>"
    bad = send_all(client, survey["id"], ntu_answers(
        survey["questions"], **{q[2]: "'; DROP TABLE surveys; --", q[12]: script,
                                q[13]: "x" * 5000, q[11]: ["lighting", "police", "adults",
                                                           "cameras"]}))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Välj ett av svaren i listan." in html and "Välj högst 3 svar." in html
    assert "Skriv högst 4000 tecken." in html
    assert script not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    forged = client.post(f"/surveys/{survey['id']}", data={
        "csrf_token": "forged", **ntu_answers(survey["questions"]), "nav": "send"})
    assert forged.status_code == 400
    assert responses(db_session) == []
    assert db_session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 0


def test_codes_for_a_letter_campaign(app: Flask, client: FlaskClient,
                                     db_session: Session) -> None:
    from kopingreport.db import get_session
    from kopingreport.surveys import codes
    from kopingreport.surveys.models import Survey

    survey = make_survey(app, is_code_required=True)
    with app.app_context():
        session = get_session()
        found = session.get(Survey, survey["id"])
        batch = codes.create_batch(session, found, label="Brev", count=2, secret="test-secret")
        session.commit()
        code = codes.printed("test-secret", found, batch)[0].code
    page = client.get(f"/surveys/{survey['id']}?lang=sv").get_data(as_text=True)
    assert 'name="code"' in page
    answers = ntu_answers(survey["questions"])
    wrong = send_all(client, survey["id"], answers, code="AAAA-BBBB")
    assert wrong.status_code == 422
    assert "Koden är inte giltig eller har redan använts." in wrong.get_data(as_text=True)
    assert send_all(client, survey["id"], answers, code=code).status_code == 303
    used = send_all(app.test_client(), survey["id"], answers, code=code)
    assert used.status_code == 422 and len(responses(db_session)) == 1
    linked = client.get(f"/surveys/{survey['id']}?code={code}&lang=sv").get_data(as_text=True)
    assert "Koden är inte giltig" in linked


def test_a_photo_answer_keeps_no_metadata_and_survives_pages(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    survey = make_survey(app, "checklist")
    q = [f"q{i}" for i in survey["questions"]]
    url = f"/surveys/{survey['id']}"
    state = form_state(client, url)
    first = client.post(url, data={**state, "page": "0", "nav": "next", q[0]: "centrum",
                                   q[2]: (io.BytesIO(jpeg_with_gps()), "plats.jpg")},
                        content_type="multipart/form-data")
    html = first.get_data(as_text=True)
    assert visible_page(html) == 1
    kept = re.search(rf'name="{q[2]}_kept" value="([^"]+)"', html).group(1)
    sent = client.post(url, data={**state, "page": "2", "nav": "send", q[0]: "centrum",
                                  f"{q[2]}_kept": kept, f"{q[3]}_lighting": "problem",
                                  q[4]: "Trasig lampa"}, content_type="multipart/form-data")
    assert sent.status_code == 303
    sha = db_session.scalar(sa.select(SurveyAnswer.photo_sha256).where(
        SurveyAnswer.photo_sha256.is_not(None)))
    stored = Path(app.config["UPLOAD_DIR"]) / "photos"
    path = next(stored.rglob(f"{sha}*"))
    image = Image.open(path)
    assert not image.getexif() and str(GPS_SECRET) not in repr(image.info)
    phone = app.test_client()
    not_a_photo = phone.post(url, data={**form_state(phone, url), "page": "0", "nav": "next",
                                         q[0]: "centrum",
                                         q[2]: (io.BytesIO(b"%PDF-1.4"), "x.pdf")},
                              content_type="multipart/form-data")
    assert not_a_photo.status_code == 422
    assert "Filen är inte ett foto" in not_a_photo.get_data(as_text=True)


def test_a_survey_for_account_holders_asks_to_log_in(app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app, is_anonymous=False)
    response = client.get(f"/surveys/{survey['id']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
