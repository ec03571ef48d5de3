"""The lägesbild's nightly upkeep, ``flask --app wsgi situation refresh``: the work pages must
not do on GET.

* dawn and dusk for every day from a year before the first report to a year ahead
  (``situation_sun_days``; the dashboard and the lägesbild join it to tell dark reports);
* the day counts of the dashboard (``situation_day_counts``) for the last
  ``days.DAYS_KEPT`` days: every day without counts or with a report received, changed or
  deleted since it was counted;
* the month sums (``situation_month_counts``): every complete month without sums, and every
  month with a report received, moderated or changed after the month was summed.

Safe to run at any time and as often as wanted; a run with nothing to do reads little.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from kopingreport.db import get_session, utcnow
from kopingreport.reports.models import Report
from kopingreport.situation import days, queries, rollups
from kopingreport.situation.params import today
from kopingreport.situation.sql import utc_date
from kopingreport.web.fields import LOCAL_TZ

#: Dawn and dusk are stored this far ahead.
SUN_AHEAD = timedelta(days=366)
#: …and this far before the first report (a report may tell of something a year before).
SUN_BEHIND = timedelta(days=370)


@dataclass(frozen=True)
class Refreshed:
    """What a run did."""

    sun_days: int
    months: tuple[date, ...]
    days: tuple[date, ...] = ()


def _local_month(day: date) -> date:
    return day.replace(day=1)


def changed_months(session: Session, made: dict[date, datetime]) -> set[date]:
    """Summed months with a report changed (``updated_at``) after the month's sums were made.

    Reports are grouped by the UTC day they were received; a UTC day reaches into the next
    Swedish day (an hour or two after midnight), so both days' months are taken.
    """
    if not made:
        return set()
    since = min(made.values())
    latest = sa.func.max(Report.updated_at)
    day = utc_date(Report.created_at)
    rows = session.execute(sa.select(day, latest).where(Report.updated_at > since)
                           .group_by(day))
    found: set[date] = set()
    for received, changed in rows:  # a date and an aware UTC time (the columns' types)
        for month in {_local_month(received), _local_month(received + timedelta(days=1))}:
            if month in made and made[month] < changed:
                found.add(month)
    return found


def refresh(session: Session, now: datetime | None = None) -> Refreshed:
    """Fill the sun table ahead and bring every complete month's sums up to date."""
    now = now or utcnow()
    first_report = session.scalar(sa.select(sa.func.min(Report.created_at)))
    current = today().replace(day=1)
    start = (first_report.date() if first_report else today()) - SUN_BEHIND
    sun_days = queries.ensure_sun_days(session, start, today() + SUN_AHEAD)
    if first_report is None:
        return Refreshed(sun_days, ())
    complete = rollups.month_starts(first_report.astimezone(LOCAL_TZ).date(),
                                    current - timedelta(days=1))
    made = rollups.built(session)
    wanted = {m for m in complete if m not in made}
    wanted |= changed_months(session, {m: b for m, b in made.items() if m in complete})
    wanted |= {m for m in complete if m in made and rollups.needs_count(m, made[m], now)}
    for month in sorted(wanted):
        rollups.recount_month(session, month)
    yesterday = today() - timedelta(days=1)
    counted = days.refresh(session, yesterday - timedelta(days=days.DAYS_KEPT - 1), yesterday)
    if session.get_bind().dialect.name == "postgresql":
        # Fresh planner statistics for the tables just rewritten, so the first dashboard of
        # the day plans with them (SQLite has no such step worth taking here).
        session.execute(sa.text("ANALYZE situation_day_counts, situation_month_counts"))
    return Refreshed(sun_days, tuple(sorted(wanted)), tuple(counted))


@click.command("refresh")
@with_appcontext
def refresh_command() -> None:
    """Nightly: store dawn and dusk a year ahead and recount the month sums that changed."""
    session = get_session()
    done = refresh(session)
    session.commit()
    months = ", ".join(f"{m:%Y-%m}" for m in done.months) or "none"
    click.echo(f"Dawn and dusk added for {done.sun_days} days; months recounted: {months}; "
               f"days counted: {len(done.days)}.")
