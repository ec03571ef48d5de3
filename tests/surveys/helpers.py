"""Building surveys and answering them in tests."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

HIDDEN_RE = re.compile(r'name="(csrf_token|submission_id|device|page)" value="([^"]*)"')
#: Indexes of the NTU template's questions (0-based, in order).
NTU = {"area": 0, "age": 1, "evening": 2, "stays_in": 3, "worry_society": 4,
       "worry_victim": 5, "consequences": 6, "problems": 7, "avoid_area": 8,
       "avoid_which": 9, "unsafe_places": 10, "measures": 11, "safe_things": 12,
       "anything_else": 13}


def make_survey(app: Flask, template: str | None = "ntu", *, publish: bool = True,
                **settings: Any) -> dict[str, Any]:
    """A survey from a template (published unless told otherwise); returns its id and its
    question ids in order."""
    from kopingreport.db import get_session
    from kopingreport.surveys import builder

    with app.app_context():
        session = get_session()
        survey = builder.create_survey(session, None, template, "Testenkät")
        for name, value in settings.items():
            setattr(survey, name, value)
        if publish:
            builder.publish(session, None, survey)
        session.commit()
        return {"id": survey.id, "questions": [q.id for q in survey.questions],
                "salt": survey.salt}


def form_state(client: FlaskClient, url: str) -> dict[str, str]:
    """The hidden fields of the survey form on ``url`` (CSRF, key, device token, page); a
    page without the form (e.g. "already answered") gives the CSRF token of another form."""
    from tests.factories import csrf_token

    found = dict(HIDDEN_RE.findall(client.get(url).get_data(as_text=True)))
    return found if "csrf_token" in found else {"csrf_token": csrf_token(client, "/report")}


def ntu_answers(questions: list[int], **overrides: Any) -> dict[str, Any]:
    """A complete, valid answer to the NTU template as form fields."""
    q = {key: f"q{questions[index]}" for key, index in NTU.items()}
    fields: dict[str, Any] = {
        q["area"]: "centrum", q["age"]: "25_44", q["evening"]: "ganska_otrygg",
        q["worry_society"]: "ganska_stor", f"{q['worry_victim']}_assault": "ibland",
        f"{q['consequences']}_other_route": "ja_ibland", f"{q['problems']}_lighting": "ganska_stort",
        q["avoid_area"]: "nej", f"{q['unsafe_places']}_p0_lat": "59.5110",
        f"{q['unsafe_places']}_p0_lon": "15.9940",
        f"{q['unsafe_places']}_p0_note": "Mörkt vid stationen.", q["measures"]: ["lighting", "police"],
        q["safe_things"]: "Grannarna.",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def send_all(client: FlaskClient, survey_id: int, answers: dict[str, Any],
             lang: str = "sv", **extra: Any) -> Any:
    """Answer on one page and press "Send answers" (as the one-page form does)."""
    url = f"/surveys/{survey_id}?lang={lang}"
    state = form_state(client, url)
    data = {**state, **answers, "nav": "send", **extra}
    return client.post(url, data=data)


def seed(app: Flask, survey_id: int, answer_sets: list[dict[str, Any]]) -> None:
    """Store responses directly through the service (one per answer set, keys q<id>…)."""
    from werkzeug.datastructures import MultiDict

    from kopingreport.db import get_session
    from kopingreport.reports.areas import active_areas
    from kopingreport.reports.photostore import PhotoStore
    from kopingreport.surveys import queries, responding
    from kopingreport.surveys.answers import read_answer

    with app.app_context():
        session = get_session()
        survey = queries.load_survey(session, survey_id)
        areas = {a.code: a for a in active_areas(session)}
        for fields in answer_sets:
            data = MultiDict([(k, v) for k, vs in fields.items()
                              for v in (vs if isinstance(vs, list) else [vs])])
            answers = [read_answer(q, data, areas, lambda _q: None) for q in survey.questions]
            assert not [a.errors for a in answers if a.errors]
            responding.submit_response(session, None, survey, answers,
                                       responding.Delivery("sv"), store=PhotoStore("/none"),
                                       secret="test-secret")
        session.commit()
