"""Rate limits on residents' answers: per client address, generous for a meeting on one
Wi-Fi, then a translated "too many" page (HTML) or error (JSON)."""

from __future__ import annotations

from flask import Flask

from tests.surveys.helpers import form_state, make_survey
from tests.walks.test_walks import add_stop, plan

MEETING = 30  # phones on one Wi-Fi answering within the same minute


def test_survey_answers_from_one_address_are_limited_but_a_meeting_fits(app: Flask) -> None:
    survey = make_survey(app)
    url = f"/surveys/{survey['id']}?lang=fi"
    statuses = []
    for _phone in range(MEETING):  # every phone sends an incomplete answer: 422, but counted
        phone = app.test_client()
        statuses.append(phone.post(url, data={**form_state(phone, url), "nav": "send"}
                                   ).status_code)
    assert statuses == [422] * MEETING
    late = app.test_client()
    refused = late.post(url, data={**form_state(late, url), "nav": "send"})
    assert refused.status_code == 429
    assert "Liian monta yritystä" in refused.get_data(as_text=True)  # Finnish, as asked
    # The JSON endpoint (the outbox) shares the budget and answers in JSON.
    api = late.post(f"/api/v1/surveys/{survey['id']}/responses?lang=fi", data={},
                    headers={"Idempotency-Key": "k-0000-0001"})
    assert api.status_code == 429
    assert api.json["errors"]["_"][0].startswith("Liian monta yritystä")
    # Other addresses are not affected.
    other = app.test_client()
    elsewhere = other.post(url, data={**form_state(other, url), "nav": "send"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 422


def test_turning_pages_without_javascript_is_not_counted(app: Flask) -> None:
    survey = make_survey(app)
    url = f"/surveys/{survey['id']}?lang=sv"
    phone = app.test_client()
    state = form_state(phone, url)
    for _turn in range(MEETING + 5):
        assert phone.post(url, data={**state, "nav": "back"}).status_code == 200
    assert phone.post(url, data={**state, "nav": "send"}).status_code == 422


def test_walk_stops_are_limited_per_address(app: Flask) -> None:
    from kopingreport.surveys import limits

    _walk_id, link, _token = plan(app, app.test_client())
    phone = app.test_client()
    allowed = int(limits.STOPS.split()[0])
    statuses = [add_stop(phone, link, place="", check_lighting=None, problem="",
                         proposal="").status_code for _ in range(allowed)]
    assert 429 not in statuses
    refused = add_stop(phone, link + "?lang=ar")
    assert refused.status_code == 429
    assert "محاولات كثيرة جدًا" in refused.get_data(as_text=True)
