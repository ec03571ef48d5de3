"""The demo medborgardialog: a published NTU survey with about 60 responses and a finished
walk with åtgärder, loaded once however often the demo is run."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from kopingreport.db import get_session
from kopingreport.reports.photostore import PhotoStore
from kopingreport.surveys import queries, results_page
from kopingreport.surveys.demo import RESPONSES, load_demo_dialogue
from kopingreport.surveys.models import Survey, SurveyResponse
from kopingreport.walks.models import Action, SafetyWalk, WalkState


def test_the_demo_is_realistic_and_idempotent(app: Flask, tmp_path) -> None:
    with app.app_context():
        session = get_session()
        first = load_demo_dialogue(session, secret="s", store=PhotoStore(tmp_path))
        again = load_demo_dialogue(session, secret="s", store=PhotoStore(tmp_path))
        assert first["survey"] and first["walk"] and again == {"survey": None, "walk": None}
        def count(model: type) -> int:
            return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

        assert (count(Survey), count(SurveyResponse), count(SafetyWalk), count(Action)) == (
            1, RESPONSES, 1, 4)
        walk = session.scalar(sa.select(SafetyWalk))
        assert walk.state == WalkState.PUBLISHED and len(walk.stops) == 4
        # The walk is in Karlberg and so is every stop (the area follows the point).
        assert {stop.area.code for stop in walk.stops if stop.area} == {walk.area.code} \
            == {"karlberg"} and all(stop.area for stop in walk.stops)
        survey = queries.load_survey(session, first["survey"])
        assert survey.is_open_at(survey.published_at) and survey.is_results_public
    with app.test_request_context("/?lang=sv"):
        session = get_session()
        view = results_page.build(session, queries.load_survey(session, first["survey"]),
                                  staff=False)
        statuses = {c.status for q in view.questions for b in q.breakdowns for c in b.cells}
        assert view.total == RESPONSES and statuses == {"shown", "small", "hidden"}
        assert any(grid.cells for grid in view.grids.values())
