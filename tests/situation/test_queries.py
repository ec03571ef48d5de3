"""The lägesbild's SQL aggregates on SQLite and PostgreSQL: what counts, Swedish-time periods,
grid cells, hours and darkness (the query plans: test_query_plans.py)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask

from kopingreport.db import get_session
from kopingreport.situation import grid, picture, queries
from kopingreport.situation.params import Choice
from tests.situation.helpers import NYGARD, TORGET, add_reports, local, many

DAY = (2026, 3, 10)


def _choice(**kwargs: object) -> Choice:
    return Choice(date(2026, 3, 1), date(2026, 3, 14), **kwargs)  # type: ignore[arg-type]


def test_counts_follow_swedish_days_and_skip_rejected_and_duplicates(app: Flask) -> None:
    add_reports(app, [
        {"created_at": local(2026, 3, 1, 0, 10), "category": "graffiti"},
        {"created_at": local(2026, 3, 14, 23, 50), "category": "graffiti"},
        {"created_at": local(2026, 3, 15, 0, 10), "category": "graffiti"},  # next period
        {"created_at": local(2026, 2, 28, 23, 50), "category": "graffiti"},  # previous
        {"created_at": local(2026, 3, 5, 12), "state": "rejected"},
        {"created_at": local(2026, 3, 5, 12), "state": "duplicate"},
        {"created_at": local(2026, 3, 5, 12), "area": "nygard-skogsbrynet"},
        {"created_at": local(2025, 3, 5, 12), "area": "nygard-skogsbrynet"},  # last year
    ])
    with app.app_context():
        found = picture.build(get_session(), _choice(), use_cache=False)
    total = found["table"]["total"]
    assert (total["current"], total["previous"], total["last_year"]) == (3, 1, 1)
    assert total["vs_previous"] == {"delta": 2, "pct": 200}
    cells = {a["code"]: a["cells"] for a in found["table"]["areas"]}
    assert cells["centrum"]["graffiti"] == [2, 1]
    assert cells["nygard-skogsbrynet"]["vandalism"] == [1, 0]


def test_grid_cells_in_sql_match_python(app: Flask) -> None:
    points = [TORGET, NYGARD, (59.4301, 15.4901), (59.7299, 16.2599), (59.596, 15.848)]
    add_reports(app, [{"created_at": local(*DAY, 12), "lat": lat, "lon": lon}
                      for lat, lon in points])
    with app.app_context():
        f = _choice().filters(picture.area_lookup(get_session())[0])
        found = queries.cell_counts(get_session(), f)
    expected: dict[tuple[int, int], int] = {}
    for lat, lon in points:
        cell = grid.cell_of(lat, lon)
        expected[(cell.x, cell.y)] = expected.get((cell.x, cell.y), 0) + 1
    assert found == expected


def test_hours_are_swedish_time_and_darkness_comes_from_the_sun(app: Flask) -> None:
    add_reports(app, [
        {"created_at": local(*DAY, 23), "occurred_at": local(*DAY, 2, 30)},   # Tue, dark
        {"created_at": local(*DAY, 23), "occurred_at": local(*DAY, 12, 15)},  # Tue, light
        {"created_at": local(*DAY, 23), "occurred_at": local(*DAY, 19, 45)},  # after dusk
    ])
    with app.app_context():
        found = picture.build(get_session(), _choice(), use_cache=False)
        dark_only = picture.build(get_session(), _choice(dark_only=True), use_cache=False)
    when = found["when"]
    assert when["matrix"][1][2] == 1 and when["matrix"][1][12] == 1 and when["matrix"][1][19] == 1
    assert (when["dark"], when["total"]) == (2, 3)
    assert dark_only["table"]["total"]["current"] == 2


def test_hot_spots_flag_new_places(app: Flask) -> None:
    add_reports(app, many(4, created_at=local(*DAY, 20), lat=TORGET[0], lon=TORGET[1])
                + many(3, created_at=local(*DAY, 20), lat=NYGARD[0], lon=NYGARD[1])
                + many(3, created_at=local(2026, 2, 20, 20), lat=NYGARD[0], lon=NYGARD[1]))
    with app.app_context():
        spots = picture.build(get_session(), _choice(), use_cache=False)["hotspots"]
    assert [(s["count"], s["is_new"]) for s in spots] == [(4, True), (3, False)]
    assert spots[0]["area"] == "Centrum"


def test_reused_period_counts_follow_every_change(app: Flask) -> None:
    """Counts of a period are reused across requests only while its reports are unchanged:
    a new report today, a report rejected in the previous period or one deleted show at once."""
    from datetime import timedelta

    from kopingreport.reports.models import Report
    from kopingreport.situation.params import today

    day = today()
    choice = Choice(day - timedelta(days=13), day)
    earlier = day - timedelta(days=20)
    ids = add_reports(app, many(2, created_at=local(earlier.year, earlier.month, earlier.day, 9))
                      + many(3, created_at=local(day.year, day.month, day.day, 0, 30)))
    with app.app_context():
        session = get_session()

        def total() -> dict[str, int]:
            found = picture.build(session, choice, use_cache=False)["table"]["total"]
            session.commit()  # dawn and dusk stored
            return found

        assert (total()["current"], total()["previous"]) == (3, 2)
        add_reports(app, many(1, created_at=local(day.year, day.month, day.day, 0, 40)))
        assert total()["current"] == 4
        session.get(Report, ids[0]).state = "rejected"
        session.commit()
        assert total()["previous"] == 1
        session.delete(session.get(Report, ids[2]))
        session.commit()
        assert total()["current"] == 3
