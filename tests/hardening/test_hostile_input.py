"""Property-based hostile input over every citizen form and API field: never a server error,
a clear error instead, and nothing stored half-way (a report is stored whole or not at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import event, given
from hypothesis import strategies as st
from markupsafe import escape

from kopingreport.accounts.models import User
from kopingreport.db import get_session
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.reports.models import Photo, Report, ReportContact
from kopingreport.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories import CSRF_RE, SUBMISSION_RE, csrf_token, report_fields
from tests.hardening.strategies import HOSTILE, dates, hostile_form, numbers, texts

VALID_REPORT = {"category": "lighting", "description": "Trasig lampa vid torget.",
                "lat": "59.5137", "lon": "15.9906", "accuracy": "12", "place": "Stora torget",
                "area": "centrum", "occurred_at": "2026-05-01T21:30", "reporter_kind": "resident",
                "contact_email": "a@b.se", "contact_phone": "070-123 45 67",
                "location_source": "gps"}
REPORT_FIELDS = hostile_form(VALID_REPORT, {
    "category": texts, "description": texts, "lat": numbers, "lon": numbers,
    "accuracy": numbers, "place": texts, "area": texts, "occurred_at": dates,
    "reporter_kind": texts, "contact_email": texts, "contact_phone": texts,
    "location_source": texts, "confirm_outside": texts, "nightwalk": numbers,
    "kept_photos": texts, "submission_id": texts})


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Rate limits off: hundreds of examples come from one address here."""
    return {**app_config, "RATELIMIT_ENABLED": False}


def counts(app: Flask, *models: type) -> tuple[int, ...]:
    with app.app_context():
        session = get_session()
        return tuple(session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
                     for m in models)


def files(app: Flask) -> set[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def first(value: object) -> object:
    return value[0] if isinstance(value, list) else value


def assert_whole_or_nothing(app: Flask, before: tuple[int, ...], status: int,
                            created: bool) -> None:
    after = counts(app, Report, Photo, ReportContact)
    event(f"status {status}")
    assert status < 500, status
    if created:
        assert after[0] == before[0] + 1
    else:
        assert after == before, f"stored half-way with status {status}"


# --- reports: HTML form, API and Open311 ----------------------------------------------

@HOSTILE
@given(sent=REPORT_FIELDS)
def test_report_form_survives_anything(app: Flask, sent: dict[str, Any]) -> None:
    client = app.test_client()
    page = client.get("/report").get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(page).group(1),  # type: ignore[union-attr]
            "submission_id": SUBMISSION_RE.search(page).group(1), **sent}  # type: ignore
    before, stored_files = counts(app, Report, Photo, ReportContact), files(app)
    response = client.post("/report", data=data, content_type="multipart/form-data")
    assert response.status_code in {303, 422}, response.status_code
    assert_whole_or_nothing(app, before, response.status_code, response.status_code == 303)
    description = first(sent.get("description"))
    if response.status_code == 422:
        assert files(app) == stored_files
        html = response.get_data(as_text=True)
        assert 'class="error' in html or "role=\"alert\"" in html
        if isinstance(description, str) and description.strip():
            assert str(escape(description)) in html  # what was typed is kept
    else:
        with app.app_context():
            report = get_session().scalars(sa.select(Report).order_by(Report.id.desc())).first()
            assert report.description == str(description).strip()


@HOSTILE
@given(sent=REPORT_FIELDS,
       key=st.one_of(st.none(), st.text(st.characters(min_codepoint=32, max_codepoint=255),
                                        max_size=120)),
       mimetype=st.sampled_from(["multipart/form-data", "application/x-www-form-urlencoded",
                                 "application/json", "text/plain", "", "image/jpeg"]))
def test_report_api_survives_anything(app: Flask, sent: dict[str, Any], key: str | None,
                                      mimetype: str) -> None:
    client = app.test_client()
    headers = {"Idempotency-Key": key} if key is not None else {}
    before = counts(app, Report, Photo, ReportContact)
    if mimetype in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        response = client.post("/api/v1/reports", data=sent, content_type=mimetype,
                               headers=headers)
    else:
        response = client.post("/api/v1/reports", data=repr(sent).encode("utf-8", "replace"),
                               content_type=mimetype, headers=headers)
    assert response.status_code in {201, 400, 413, 415, 422}, response.status_code
    assert_whole_or_nothing(app, before, response.status_code, response.status_code == 201
                            and "Idempotent-Replayed" not in response.headers)
    body = response.get_json()
    if response.status_code != 201:
        assert body["errors"] and all(isinstance(m, str) and m for messages in
                                      body["errors"].values() for m in messages)


@HOSTILE
@given(sent=hostile_form({
    "service_code": "lighting", "lat": "59.51", "long": "15.99", "address_string": "Storgatan 1",
    "description": "Trasig lampa.", "attribute[occurred_at]": "2026-05-01T21:30:00Z",
    "email": "a@b.se", "phone": "0701234567"}, {
    "service_code": texts, "lat": numbers, "long": numbers, "address_string": texts,
    "address_id": texts, "description": texts, "attribute[occurred_at]": dates,
    "email": texts, "phone": texts, "attribute[place]": texts}),
    fmt=st.sampled_from(["json", "xml"]))
def test_open311_post_survives_anything(app: Flask, sent: dict[str, Any], fmt: str) -> None:
    from tests.open311.helpers import seed

    key = app.config.setdefault("_hardening_key", None) or seed(app)["key"]
    app.config["_hardening_key"] = key
    client = app.test_client()
    before = counts(app, Report, Photo, ReportContact)
    response = client.post(f"/open311/v2/requests.{fmt}", data={**sent, "api_key": key})
    assert response.status_code in {201, 400, 413, 422}, response.status_code
    assert_whole_or_nothing(app, before, response.status_code, response.status_code == 201)
    if response.status_code != 201:
        body = response.get_data(as_text=True)
        assert ("description" in body) and len(body) < 5000


# --- survey answers -------------------------------------------------------------------

@pytest.fixture
def survey(app: Flask) -> dict[str, Any]:
    from tests.surveys.helpers import make_survey

    return make_survey(app)


def _survey_form(questions: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    from tests.surveys.helpers import NTU, ntu_answers

    valid = ntu_answers(questions)
    extra = [f"q{questions[NTU['anything_else']]}", f"q{questions[NTU['age']]}", "code",
             "page", "submission_id", f"q{questions[NTU['unsafe_places']]}_p1_lat"]
    return hostile_form(valid, {name: st.one_of(texts, numbers) for name in [*valid, *extra]})


@HOSTILE
@given(data=st.data())
def test_survey_answers_survive_anything(app: Flask, survey: dict[str, Any], data: Any
                                         ) -> None:
    from tests.surveys.helpers import form_state

    sent = data.draw(_survey_form(survey["questions"]))
    url = f"/surveys/{survey['id']}"
    client = app.test_client()
    before = counts(app, SurveyResponse, SurveyAnswer)
    response = client.post(url, data={**form_state(client, url), **sent,
                                      "nav": data.draw(st.sampled_from(["send", "next", "x"]))})
    after = counts(app, SurveyResponse, SurveyAnswer)
    event(f"status {response.status_code}")
    assert response.status_code in {200, 303, 409, 422}, response.status_code
    if response.status_code == 303:
        assert after[0] == before[0] + 1
    else:
        assert after == before


@HOSTILE
@given(data=st.data())
def test_survey_answer_api_survives_anything(app: Flask, survey: dict[str, Any], data: Any
                                             ) -> None:
    sent = data.draw(_survey_form(survey["questions"]))
    client = app.test_client()
    before = counts(app, SurveyResponse, SurveyAnswer)
    as_json = data.draw(st.booleans())
    url = f"/api/v1/surveys/{survey['id']}/responses"
    response = client.post(url, json=sent) if as_json else client.post(url, data=sent)
    after = counts(app, SurveyResponse, SurveyAnswer)
    event(f"status {response.status_code}")
    assert response.status_code in {201, 400, 409, 415, 422}, response.status_code
    if response.status_code == 201:
        assert after[0] == before[0] + 1
    else:
        assert after == before and response.get_json()["errors"]


# --- accounts and grannsamverkan --------------------------------------------------------

@HOSTILE
@given(sent=hostile_form({
    "street": "Ullvigatan 1", "area": "ullvi", "households": "24", "signs_up": "yes",
    "name": "Anna Lind", "phone": "070-123 45 67", "email": "anna@example.se",
    "password": "long enough password", "confirm": "long enough password", "consent": "y"}, {
    "street": texts, "area": texts, "households": numbers, "signs_up": texts, "name": texts,
    "phone": texts, "email": texts, "password": texts, "confirm": texts, "consent": texts,
    "lat": numbers, "lon": numbers}))
def test_neighbourhood_application_survives_anything(app: Flask, sent: dict[str, Any]) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    before = counts(app, User, NeighbourhoodContact)
    response = client.post("/neighbourhood-watch/apply", data={"csrf_token": token, **sent})
    after = counts(app, User, NeighbourhoodContact)
    event(f"status {response.status_code} {after[1] - before[1]}")
    assert response.status_code in {200, 422}, response.status_code
    assert (after[0] - before[0], after[1] - before[1]) in {(0, 0), (1, 1)}
    if response.status_code == 422:
        assert after == before


@HOSTILE
@given(sent=hostile_form({
    "email": "anna@example.se", "password": "long enough password",
    "confirm": "long enough password", "name": "Anna"}, {
    "email": texts, "password": texts, "confirm": texts, "name": texts, "code": numbers}),
       target=st.sampled_from(["/login", "/register", "/password/forgot", "/login/code",
                               "/password/reset/{token}"]),
       token=st.text(st.characters(codec="ascii", exclude_characters="/?#%"), max_size=300))
def test_account_forms_survive_anything(app: Flask, sent: dict[str, Any], target: str,
                                        token: str) -> None:
    client = app.test_client()
    csrf = csrf_token(client, "/login")
    before = counts(app, User)
    url = target.replace("{token}", token or "x")
    response = client.post(url, data={"csrf_token": csrf, **sent})
    assert response.status_code < 500, (url, response.status_code)
    grown = counts(app, User)[0] - before[0]
    assert grown == (0 if target != "/register" else grown) and grown in {0, 1}
    if response.status_code in {400, 422}:
        assert grown == 0


def test_hostile_field_names_and_huge_forms(app: Flask) -> None:
    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/report"), **report_fields()}
    data.update({f"x{n}\x00<script>": "y" * 10 for n in range(500)})
    response = client.post("/report", data=data, content_type="multipart/form-data")
    assert response.status_code in {303, 413, 422}
