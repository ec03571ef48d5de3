"""``POST /api/v1/surveys/<id>/responses``: what the phone's outbox sends."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kopingreport.surveys.models import SurveyResponse
from tests.surveys.helpers import make_survey, ntu_answers


def device_token(client: FlaskClient, survey_id: int) -> str:
    html = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    return re.search(r'name="device" value="([^"]+)"', html).group(1)


def post(client: FlaskClient, survey_id: int, data: dict, key: str | None = "k-0000-0001",
         **headers: str):
    if key:
        headers["Idempotency-Key"] = key
    return client.post(f"/api/v1/surveys/{survey_id}/responses?lang=fi", data=data,
                       headers=headers)


def count(db_session: Session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) or 0


def test_the_outbox_delivers_without_cookies_and_retries_safely(
        app: Flask, db_session: Session) -> None:
    survey = make_survey(app)
    token = device_token(app.test_client(), survey["id"])
    outbox = app.test_client(use_cookies=False)
    data = {**ntu_answers(survey["questions"]), "device": token}
    first = post(outbox, survey["id"], data)
    assert first.status_code == 201 and first.json["received"] is True
    again = post(outbox, survey["id"], data)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert count(db_session) == 1
    other_key = post(outbox, survey["id"], data, key="k-0000-0002")
    assert other_key.status_code == 409
    assert other_key.json["errors"]["_"] == ["Olet jo vastannut kyselyyn. Kiitos!"]
    changed = post(outbox, survey["id"], {**data, f"q{survey['questions'][2]}": "mycket_trygg"})
    assert changed.status_code == 422 and "Idempotency-Key" in changed.json["errors"]
    assert count(db_session) == 1


def test_json_answers_and_field_errors(app: Flask, client: FlaskClient,
                                       db_session: Session) -> None:
    survey = make_survey(app)
    q = survey["questions"]
    bad = client.post(f"/api/v1/surveys/{survey['id']}/responses?lang=sv",
                      json={f"q{q[0]}": "atlantis", f"q{q[2]}": "mycket_trygg"})
    assert bad.status_code == 422
    assert bad.json["errors"] == {f"q{q[0]}": ["Välj ett område i listan."]}
    good = client.post(f"/api/v1/surveys/{survey['id']}/responses",
                       json={f"q{q[0]}": "kolsva", f"q{q[2]}": "mycket_trygg",
                             f"q{q[11]}": ["lighting", "adults"]})
    assert good.status_code == 201 and count(db_session) == 1
    assert client.post(f"/api/v1/surveys/{survey['id']}/responses", data=b"<xml/>",
                       content_type="text/xml").status_code == 415
    assert client.post(f"/api/v1/surveys/{survey['id']}/responses",
                       json=["not", "an", "object"]).status_code == 415


def test_cross_site_posts_bad_keys_drafts_and_closed_surveys_are_refused(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    survey = make_survey(app)
    data = ntu_answers(survey["questions"])
    assert post(client, survey["id"], data, Origin="https://evil.example").status_code == 403
    assert post(client, survey["id"], data, **{"Sec-Fetch-Site": "cross-site"}
                ).status_code == 403
    assert post(client, survey["id"], data, key="bad key!").status_code == 400
    draft = make_survey(app, publish=False)
    assert post(client, draft["id"], data).status_code == 404
    assert post(client, 9999, data).status_code == 404
    assert count(db_session) == 0


def test_open_surveys_are_listed_for_the_app(app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app)
    make_survey(app, publish=False)
    listed = client.get("/api/v1/surveys?lang=fi").json
    assert [s["id"] for s in listed] == [survey["id"]]
    assert listed[0]["title"] == "Turvallisuuskysely – kuinka turvalliseksi tunnet olosi?"
