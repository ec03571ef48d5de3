"""The dashboard's stored day counts: the nightly refresh counts each past day once, the
dashboard takes a day from its stored counts while the day's reports are unchanged, and a
report moderated, added or deleted on a stored day changes the figures at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from kopingreport.db import get_session
from kopingreport.reports.models import Report
from kopingreport.situation import picture
from kopingreport.situation.models import DayCount
from kopingreport.situation.params import Choice, today
from tests.situation.helpers import TORGET, add_reports, local, many


def _refresh(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["situation", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def _total(app: Flask, choice: Choice) -> int:
    with app.app_context():
        found = picture.build(get_session(), choice, use_cache=False)
        return int(found["table"]["total"]["current"])


def test_stored_days_are_used_and_a_changed_report_changes_the_dashboard(app: Flask) -> None:
    day = today() - timedelta(days=10)
    ids = add_reports(app, many(3, created_at=local(day.year, day.month, day.day, 12),
                                category="graffiti", lat=TORGET[0], lon=TORGET[1],
                                place="Torget")
                      + many(2, created_at=local(day.year, day.month, day.day, 23, 30),
                             category="lighting")
                      + many(1, created_at=datetime.now(UTC)))
    default = Choice(today() - timedelta(days=13), today())
    assert _total(app, default) == 6
    assert "days counted: 1." in _refresh(app)  # today is counted live, never stored
    assert "days counted: 0." in _refresh(app)

    with app.app_context():  # make the stored day tell a different story: is it used?
        session = get_session()
        stored = session.get(DayCount, day)
        assert stored is not None and stored.reports == 5
        stored.counts = {**stored.counts, "areas": [[a, c, 30 if c == "graffiti" else n]
                                                    for a, c, n in stored.counts["areas"]]}
        session.commit()
    picture.forget()
    assert _total(app, default) == 30 + 2 + 1
    # A filtered view counts the reports themselves.
    assert _total(app, Choice(default.first, default.last, categories=("graffiti",))) == 3

    with app.app_context():  # a moderator rejects one of the day's reports as spam
        session = get_session()
        session.get(Report, ids[0]).state = "rejected"
        session.commit()
    assert _total(app, default) == 2 + 2 + 1  # the day is counted again, at once

    with app.app_context():  # a report of the day is deleted
        session = get_session()
        session.delete(session.get(Report, ids[3]))
        session.commit()
    assert _total(app, default) == 2 + 1 + 1

    assert "days counted: 1." in _refresh(app)  # the nightly run stores the day again
    with app.app_context():
        assert get_session().get(DayCount, day).reports == 4  # type: ignore[union-attr]
    picture.forget()
    with app.app_context():
        found = picture.build(get_session(), default, use_cache=False)
    assert found["table"]["total"]["current"] == 4
    assert found["places"] == [{"name": "torget", "count": 2}]
    assert found["when"]["total"] == 4
