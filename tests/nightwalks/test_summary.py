"""The coordinator's walks per area and ISO week, and the demo walks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.nightwalks.models import Nightwalk
from kopingreport.nightwalks.services import iso_week
from kopingreport.web.fields import LOCAL_TZ
from tests.factories import log_in_as
from tests.nightwalks.test_walks import make_walk, make_walker


def test_walks_per_area_and_week_with_totals(app: Flask, client: FlaskClient) -> None:
    walker = make_walker(app, "walker@koping.example")
    now = datetime.now(LOCAL_TZ)
    wednesday = (now - timedelta(days=now.weekday() + 5)).replace(hour=19, minute=0)
    ago = (now - wednesday).total_seconds() / 3600  # last week's Wednesday, 19:00
    make_walk(app, walker, started_hours_ago=ago, ended_hours_ago=ago - 3, young_people_met=20,
              situations_calmed=1)
    make_walk(app, walker, started_hours_ago=ago - 1, ended_hours_ago=ago - 4,
              young_people_met=5)
    make_walk(app, walker, area="kolsva", started_hours_ago=ago + 24 * 7,
              ended_hours_ago=ago + 24 * 7 - 3, litter_damage_seen=4)
    make_walk(app, walker, started_hours_ago=24 * 200, ended_hours_ago=24 * 200 - 3)  # too old
    log_in_as(app, client, "analyst")
    html = client.get("/admin/nightwalks/?lang=en").get_data(as_text=True)
    assert iso_week(wednesday) in html and iso_week(wednesday - timedelta(days=7)) in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    centrum = next(row for row in rows if "Centrum" in row)
    assert "<td>2</td><td>6</td><td>18.0</td>" in centrum  # walks, walkers, walker hours
    assert "<td>25</td>" in centrum
    footer = html.split("<tfoot>")[1]
    assert "<td>3</td><td>9</td><td>27.0</td>" in footer
    year = client.get("/admin/nightwalks/?weeks=52&lang=en").get_data(as_text=True)
    assert "<td>4</td><td>12</td>" in year.split("<tfoot>")[1]
    detail = client.get("/admin/nightwalks/1?lang=en")
    assert detail.status_code == 200 and "Young people we met" in detail.get_data(as_text=True)
    assert client.get("/admin/nightwalks/999").status_code == 404


def test_summary_filters_refuse_junk(app: Flask, client: FlaskClient) -> None:
    log_in_as(app, client, "analyst")
    for query in ("weeks=1000", "weeks=abc", "group=999", "group=1%20OR%201=1"):
        response = client.get(f"/admin/nightwalks/?lang=en&{query}")
        assert response.status_code == 400, query
        assert "error-summary" in response.get_data(as_text=True)


def test_iso_week_uses_swedish_time() -> None:
    assert iso_week(datetime(2026, 11, 29, 23, 30, tzinfo=LOCAL_TZ)) == "2026-W48"  # Sunday
    assert iso_week(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == "2026-W49"  # 00:30 Monday


def test_demo_data_has_register_entries_and_walks(app: Flask, db_session) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data", "--reports", "5"]).exit_code == 0
    assert runner.invoke(args=["demo-data", "--reports", "5"]).exit_code == 0
    db_session.expire_all()
    entries = db_session.scalars(sa.select(NeighbourhoodContact)).all()
    assert len(entries) == 4
    assert {e.confirmation() for e in entries} == {"current", "lapsed", None}
    walks = db_session.scalars(sa.select(Nightwalk)).all()
    assert len(walks) == 2 and all(w.ended_at and w.young_people_met for w in walks)
    assert walks[0].group.kind == "nattvandrare"
    with app.app_context():
        from kopingreport.accounts.models import User

        walker = get_session().scalar(sa.select(User).where(
            User.email == "nattvandrare@koping.example"))
        assert walker.organisation.name == walks[0].group.name
