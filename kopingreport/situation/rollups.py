"""Monthly sums for long spans (the two-year lägesbild).

A GROUP BY over two years of reports makes SQLite sort hundreds of thousands of rows (seconds
at a million reports), so each complete Swedish calendar month is summed once into
``situation_month_counts`` and a long span adds up its months. The current month is always
counted live.

The sums are kept right by the nightly ``flask situation refresh`` (:mod:`nightly`): it
recounts every month with a report changed since the month was summed. Pages never recount
the whole history: a month without sums is counted when first needed, and a month that
ended less than ``SETTLE`` ago (its reports are still being moderated) is recounted when its
sums are more than ``MAX_AGE`` old, so the picture stays right without the nightly run.
Adopting a lägesbild recounts every month first, so adopted figures are exact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.situation import queries
from kopingreport.situation.models import MonthCount, RollupMonth
from kopingreport.situation.params import local_midnight, today
from kopingreport.situation.picture import when

#: Sums of a recently ended month older than this are recounted when next used.
MAX_AGE = timedelta(hours=24)
#: How long after its end a month's reports are still commonly moderated (rejected, merged).
SETTLE = timedelta(days=14)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s month to ``last``'s month."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


@dataclass
class MonthFigures:
    """One month's counts along each dimension."""

    areas: Counter[tuple[int | None, str]] = field(default_factory=Counter)
    cells: Counter[tuple[int, int]] = field(default_factory=Counter)
    hours: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    dark: int = 0
    who: Counter[tuple[str, int | None]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.areas.values())


def count_live(session: Session, month: date) -> MonthFigures:
    """A month counted from the reports themselves."""
    f = queries.Filters(local_midnight(month), local_midnight(_next_month(month)))
    picture = when(queries.hour_counts(session, f))
    return MonthFigures(Counter(queries.area_category_counts(session, f)),
                        Counter(queries.cell_counts(session, f)), picture["matrix"],
                        picture["dark"], Counter(queries.reporter_counts(session, f)))


def _store(session: Session, month: date, figures: MonthFigures) -> None:
    session.execute(sa.delete(MonthCount).where(MonthCount.month == month))
    session.execute(sa.delete(RollupMonth).where(RollupMonth.month == month))
    session.add(RollupMonth(month=month, built_at=utcnow()))
    session.flush()
    rows: list[dict[str, Any]] = []
    for (area, category), n in figures.areas.items():
        rows.append({"dimension": "area", "key_a": str(area or ""), "key_b": category, "n": n})
    for (x, y), n in figures.cells.items():
        rows.append({"dimension": "cell", "key_a": f"{x}-{y}", "key_b": "", "n": n})
    for weekday, hours in enumerate(figures.hours):
        rows += [{"dimension": "hour", "key_a": str(weekday), "key_b": str(hour), "n": n}
                 for hour, n in enumerate(hours) if n]
    rows.append({"dimension": "dark", "key_a": "", "key_b": "", "n": figures.dark})
    for (kind, org), n in figures.who.items():
        rows.append({"dimension": "who", "key_a": kind, "key_b": str(org or ""), "n": n})
    if rows:
        session.execute(sa.insert(MonthCount), [{"month": month, "dark": 0, **r} for r in rows])
    session.flush()


def _load(session: Session, months: list[date]) -> dict[date, MonthFigures]:
    found = {m: MonthFigures() for m in months}
    # Cells are many (one per 250 m square and month): they are summed in SQL instead.
    rows = session.execute(sa.select(MonthCount.month, MonthCount.dimension, MonthCount.key_a,
                                     MonthCount.key_b, MonthCount.n)
                           .where(MonthCount.month.in_(months), MonthCount.dimension != "cell"))
    for month, dimension, key_a, key_b, n in rows:
        figures = found[month]
        if dimension == "area":
            figures.areas[(int(key_a) if key_a else None, key_b)] += n
        elif dimension == "hour":
            figures.hours[int(key_a)][int(key_b)] += n
        elif dimension == "dark":
            figures.dark += n
        else:
            figures.who[(key_a, int(key_b) if key_b else None)] += n
    return found


def needs_count(month: date, built_at: datetime | None, now: datetime) -> bool:
    """Whether a page must (re)count ``month``: no sums yet, or sums made while its reports
    were still being moderated that are more than ``MAX_AGE`` old."""
    if built_at is None:
        return True
    settled = local_midnight(_next_month(month)) + SETTLE
    return built_at < settled and built_at < now - MAX_AGE


def recount_month(session: Session, month: date) -> None:
    """Count ``month`` from its reports and store the sums."""
    _store(session, month, count_live(session, month))


def built(session: Session, months: list[date] | None = None) -> dict[date, datetime]:
    """When each summed month (of ``months``, or every one) was counted."""
    query = sa.select(RollupMonth.month, RollupMonth.built_at)
    if months is not None:
        query = query.where(RollupMonth.month.in_(months))
    return {m: b for m, b in session.execute(query)}


def monthly(session: Session, first: date, last: date, *, recount: bool = False,
            now: datetime | None = None) -> dict[date, MonthFigures]:
    """Every month touching [first, last]: complete months from their sums (counted first
    when missing, unsettled and old, or ``recount``), the current and future months live."""
    now = now or utcnow()
    current = today().replace(day=1)
    months = month_starts(first, last)
    complete = [m for m in months if m < current]
    made = built(session, complete) if complete else {}
    for month in complete:
        if recount or needs_count(month, made.get(month), now):
            _store(session, month, count_live(session, month))
    found = _load(session, complete) if complete else {}
    for month in months:
        if month >= current:
            found[month] = count_live(session, month)
    return found


def hot_cells(session: Session, blocks: list[list[date]], months: dict[date, MonthFigures],
              minimum: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Cells with at least ``minimum`` reports in some block of months (a quarter):
    (x, y) → (reports in all the blocks, blocks in which the cell reached ``minimum``).

    Summed months are added up in SQL, keeping only the hot (cell, block) pairs; months
    counted live (the current one) are added in Python.
    """
    summed = [m for block in blocks for m in block if not months[m].cells]
    live = len(summed) < len(months)
    block_of = {m: i for i, block in enumerate(blocks) for m in block}
    per_block: dict[tuple[tuple[int, int], int], int] = {}
    totals: dict[str, int] = {}
    if summed:
        block = sa.case(*[(MonthCount.month == m, block_of[m]) for m in summed])
        cell_rows = sa.select(MonthCount.key_a, block, sa.func.sum(MonthCount.n)).where(
            MonthCount.dimension == "cell", MonthCount.month.in_(summed)).group_by(
            MonthCount.key_a, block)
        if not live:  # only the hot (cell, block) pairs; their cells' totals come after
            cell_rows = cell_rows.having(sa.func.sum(MonthCount.n) >= minimum)
        for key, index, n in session.execute(cell_rows):
            x, y = key.split("-")
            per_block[((int(x), int(y)), index)] = int(n)
        if not live and per_block:
            keys = sorted({f"{x}-{y}" for (x, y), _i in per_block})
            totals = dict(session.execute(
                sa.select(MonthCount.key_a, sa.func.sum(MonthCount.n)).where(
                    MonthCount.dimension == "cell", MonthCount.month.in_(summed),
                    MonthCount.key_a.in_(keys)).group_by(MonthCount.key_a)).all())
    for month, figures in months.items():
        for cell, n in figures.cells.items():
            key = (cell, block_of[month])
            per_block[key] = per_block.get(key, 0) + n
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for (cell, _index), n in per_block.items():
        total, hot = found.get(cell, (0, 0))
        found[cell] = (total + n, hot + (n >= minimum))
    if totals:
        found = {c: (int(totals[f"{c[0]}-{c[1]}"]), hot) for c, (_t, hot) in found.items()}
    return found
