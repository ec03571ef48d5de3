"""``flask situation refresh``, the nightly upkeep of the lägesbild: dawn and dusk a year
ahead and month sums recounted only where reports changed; pages stay right without it."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask

from kopingreport.db import get_session, utcnow
from kopingreport.reports.models import Report
from kopingreport.situation import documents, nightly, rollups
from kopingreport.situation.models import MonthCount, RollupMonth, SunDay
from kopingreport.situation.params import local_midnight, today
from tests.situation.helpers import add_reports, local, many


def _refresh(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["situation", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def test_refresh_stores_the_sun_ahead_and_sums_every_month_once(app: Flask) -> None:
    add_reports(app, many(2, created_at=local(2025, 3, 10, 12))
                + many(1, created_at=local(2025, 5, 31, 23, 30)))  # 21:30 UTC: still May
    output = _refresh(app)
    assert "months recounted: 2025-03, 2025-04, 2025-05" in output
    with app.app_context():
        session = get_session()
        assert session.get(SunDay, today() + timedelta(days=360)) is not None
        assert session.get(SunDay, date(2024, 3, 10)) is not None  # a year before the first
        months = rollups.monthly(session, date(2025, 3, 1), date(2025, 5, 31))
        assert [months[m].total for m in sorted(months)] == [2, 0, 1]
        last = today().replace(day=1) - timedelta(days=1)
        assert session.get(RollupMonth, last.replace(day=1)) is not None
    assert ("Dawn and dusk added for 0 days; months recounted: none; days counted: 0."
            in _refresh(app))


def test_refresh_recounts_only_the_months_whose_reports_changed(app: Flask) -> None:
    ids = add_reports(app, many(3, created_at=local(2025, 3, 10, 12))
                      + many(2, created_at=local(2025, 6, 1, 0, 30)))  # 31 May 22:30 UTC
    _refresh(app)
    with app.app_context():
        session = get_session()
        session.get(Report, ids[0]).state = "rejected"  # spam found months later
        session.get(Report, ids[3]).state = "duplicate"
        session.commit()
    output = _refresh(app)
    # The June report was received on 31 May in UTC: May is recounted too, nothing else.
    assert "months recounted: 2025-03, 2025-05, 2025-06;" in output
    with app.app_context():
        months = rollups.monthly(get_session(), date(2025, 3, 1), date(2025, 6, 30))
        assert (months[date(2025, 3, 1)].total, months[date(2025, 6, 1)].total) == (2, 1)


def test_pages_count_missing_months_but_leave_settled_sums_to_the_night(app: Flask) -> None:
    add_reports(app, many(3, created_at=local(2024, 1, 20, 12)))
    with app.app_context():
        session = get_session()
        counted = rollups.monthly(session, date(2024, 1, 1), date(2024, 1, 31))
        assert counted[date(2024, 1, 1)].total == 3  # no sums yet: counted and stored
        session.commit()
        stored = session.scalar(sa.select(sa.func.count()).select_from(MonthCount))
        late = add_reports(app, many(2, created_at=local(2024, 1, 20, 12)))
        session.execute(sa.update(Report).where(Report.id.in_(late)).values(priority=1))
        session.commit()  # changed now (updated_at), e.g. merged or re-categorised
        later = rollups.monthly(session, date(2024, 1, 1), date(2024, 1, 31),
                                now=utcnow() + timedelta(days=2))
        assert later[date(2024, 1, 1)].total == 3  # a settled month: not recounted on GET
        assert session.scalar(sa.select(sa.func.count()).select_from(MonthCount)) == stored
        session.commit()
    _refresh(app)
    with app.app_context():
        figures = documents.figures(get_session(), date(2024, 1, 1), date(2024, 1, 31))
        assert figures["total"] == 5


def test_a_month_summed_while_still_moderated_is_recounted_when_old(app: Flask) -> None:
    """Sums made a day after the month ended (reports still being moderated) are recounted
    by a page once they are a day old; sums made after the month settled are not."""
    month = (today().replace(day=1) - timedelta(days=40)).replace(day=1)
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    add_reports(app, many(2, created_at=local(month.year, month.month, 10, 12)))
    with app.app_context():
        session = get_session()
        assert rollups.monthly(session, month, end)[month].total == 2
        session.commit()
        add_reports(app, many(1, created_at=local(month.year, month.month, 11, 12)))
        assert rollups.monthly(session, month, end)[month].total == 2  # settled sums stand
        session.get(RollupMonth, month).built_at = local_midnight(end + timedelta(days=2))
        session.commit()
        assert rollups.monthly(session, month, end)[month].total == 3


def test_refresh_on_an_empty_database(app: Flask) -> None:
    with app.app_context():
        done = nightly.refresh(get_session())
    assert done.months == () and done.sun_days >= 366
