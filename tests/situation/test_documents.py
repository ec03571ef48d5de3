"""The two-year lägesbild: figures over whole months (summed per month), the coordinator's
texts, adoption, and the åtgärdsplan with follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session, utcnow
from kopingreport.situation import documents, rollups
from kopingreport.situation.models import RollupMonth, SituationDocument
from kopingreport.walks.models import Action
from tests.factories import csrf_token
from tests.situation.helpers import NYGARD, TORGET, add_reports, local, many


def _history(app: Flask) -> None:
    """Reports in 2024 and 2025; the town square is a hot spot in four quarters."""
    rows = []
    for month in (1, 4, 7, 10):
        rows += many(3, created_at=local(2024, month, 10, 21), lat=TORGET[0], lon=TORGET[1],
                     category="graffiti")
    rows += many(2, created_at=local(2025, 6, 1, 12), lat=NYGARD[0], lon=NYGARD[1],
                 area="nygard-skogsbrynet", category="reckless_driving")
    rows += many(1, created_at=local(2025, 12, 31, 23, 30), category="graffiti")
    rows += many(1, created_at=local(2026, 1, 1, 0, 30), category="graffiti")  # outside
    add_reports(app, rows)


def test_figures_over_24_months(app: Flask) -> None:
    _history(app)
    with app.app_context():
        session = get_session()
        found = documents.figures(session, date(2024, 1, 1), date(2025, 12, 31))
        assert found["total"] == 15 and len(found["months"]) == 24
        assert found["years"] == ["2024-01–2024-12", "2025-01–2025-12"]
        by_category = {r["code"]: r["years"] for r in found["categories"]}
        assert by_category == {"graffiti": [12, 1], "reckless_driving": [0, 2]}
        assert found["repeat_places"][0]["quarters"] == 4
        assert found["repeat_places"][0]["area"] == "Centrum"
        assert found["when"]["dark"] == 10  # 21:00 in July is still light; in Jan, Apr, Oct dark
        # The month sums are stored and used again; a recount gives the same figures.
        assert session.scalar(sa.select(sa.func.count()).select_from(RollupMonth)) == 24
        again = documents.figures(session, date(2024, 1, 1), date(2025, 12, 31), recount=True)
        assert again["categories"] == found["categories"]


def test_write_adopt_and_plan(app: Flask, analyst: FlaskClient) -> None:
    _history(app)
    token = csrf_token(analyst, "/admin/situation/lagesbild/")
    response = analyst.post("/admin/situation/lagesbild/", data={
        "csrf_token": token, "title": "Lägesbild 2024–2025", "starts_on": "2024-01",
        "ends_on": "2025-12"})
    assert response.status_code == 303
    url = response.headers["Location"]
    assert analyst.post(url + "/texts", data={
        "csrf_token": token, "summary": "Klotter i centrum.", "causes": "Få vuxna ute.",
        "consequences": "", "other_information": ""}).status_code == 303
    new = analyst.post(url + "/actions/new", data={
        "csrf_token": token, "title": "Belysning i gångtunneln", "owner_text": "KBAB",
        "due_on": "2026-06-30", "status": "planned"})
    assert new.status_code == 303
    with app.app_context():
        action = get_session().scalar(sa.select(Action))
        assert action is not None
        action_id = action.id
    declined = analyst.post(f"/admin/situation/actions/{action_id}/follow-ups", data={
        "csrf_token": token, "note": "Inte möjligt i år.", "status": "declined",
        "public_reason": ""})
    assert declined.status_code == 422 and "Say why" in declined.get_data(as_text=True)
    assert analyst.post(f"/admin/situation/actions/{action_id}/follow-ups", data={
        "csrf_token": token, "note": "Upphandlat.", "status": "in_progress"}).status_code == 303
    html = analyst.get(url).get_data(as_text=True)
    assert "Upphandlat." in html and "Belysning i gångtunneln" in html
    assert analyst.post(url + "/adopt", data={"csrf_token": token}).status_code == 303
    add_reports(app, many(4, created_at=local(2025, 3, 3, 12), category="graffiti"))
    with app.app_context():
        document = get_session().scalar(sa.select(SituationDocument))
        assert document is not None and document.data["total"] == 15
        assert document.summary == "Klotter i centrum."
    assert analyst.post(url + "/texts", data={"csrf_token": token, "summary": "Ändrad"}
                        ).status_code == 422
    assert analyst.get(url + "/print").status_code == 200


@pytest.mark.parametrize("start,end,message", [
    ("2024-01", "2023-12", "must come before"), ("2000-01", "2025-12", "at most"),
    ("2024-13", "2025-12", "Give a month"), ("x' OR 1=1", "2025-12", "Give a month")])
def test_bad_spans_are_refused(analyst: FlaskClient, start: str, end: str, message: str
                               ) -> None:
    token = csrf_token(analyst, "/admin/situation/lagesbild/")
    response = analyst.post("/admin/situation/lagesbild/", data={
        "csrf_token": token, "title": "X", "starts_on": start, "ends_on": end})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
