"""Stored per-day dashboard counts (``situation_day_counts``).

Each complete Swedish calendar day is counted once (by the nightly ``situation refresh``)
along every dimension the dashboard shows, together with the day's signature: how many
reports were received that day and when one of them last changed. The dashboard asks for
the signatures of a period's days in one query and takes a day's stored counts only while
its signature is unchanged; a new, moderated, merged or deleted report changes the
signature, so that day is counted from the reports again until the next refresh.

Only the unfiltered picture uses the stored days (filters narrow the reports counted).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.situation import queries
from kopingreport.situation.models import DayCount
from kopingreport.situation.params import local_midnight

#: The nightly refresh keeps this many days before today (the previous period and the same
#: period last year of a 14-day view).
DAYS_KEPT = 400
PLACES_SHOWN = 10

Signature = tuple[int, Any]


def all_place_counts(session: Session, f: queries.Filters) -> list[tuple[str, int]]:
    """Every typed place name with its count (the top list is taken after adding up)."""
    return queries.place_counts(session, f, None)


#: The dashboard's queries and where their results are kept in a stored day.
KEYS = {"area_category_counts": "areas", "cell_counts": "cells", "hour_counts": "hours",
        "reporter_counts": "who", "all_place_counts": "places"}


def usable(f: queries.Filters) -> bool:
    """Whether stored days answer for ``f``: no filter narrows the reports."""
    return not (f.area_ids or f.categories or f.reporter_kinds or f.organisation_ids
                or f.dark_only)


def day_filters(day: date) -> queries.Filters:
    return queries.Filters(local_midnight(day), local_midnight(day + timedelta(days=1)))


def count_day(session: Session, day: date) -> dict[str, list[list[Any]]]:
    """One day counted from its reports, as stored."""
    f = day_filters(day)
    return {
        "areas": [[a, c, n] for (a, c), n in queries.area_category_counts(session, f).items()],
        "cells": [[x, y, n] for (x, y), n in queries.cell_counts(session, f).items()],
        "hours": [[h, d, n] for h, d, n in queries.hour_counts(session, f)],
        "who": [[k, o, n] for (k, o), n in queries.reporter_counts(session, f).items()],
        "places": [[p, n] for p, n in all_place_counts(session, f)],
    }


def added(query_name: str, stored: list[dict[str, list[list[Any]]]]) -> Any:
    """Stored days added up, in the shape ``query_name`` returns."""
    key = KEYS[query_name]
    if query_name == "hour_counts":
        return [(h, bool(d), n) for counts in stored for h, d, n in counts[key]]
    if query_name == "all_place_counts":
        return [(p, n) for counts in stored for p, n in counts[key]]
    total: dict[tuple[Any, Any], int] = {}
    get = total.get
    for counts in stored:
        for a, b, n in counts[key]:
            total[(a, b)] = get((a, b), 0) + n
    return total


def top_places(parts: list[list[tuple[str, int]]],
               limit: int = PLACES_SHOWN) -> list[tuple[str, int]]:
    """The most typed places over several stretches (most first, then by name)."""
    total: Counter[str] = Counter()
    for part in parts:
        for place, n in part:
            total[place] += n
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]


def load(session: Session, days: list[date]) -> dict[date, tuple[Signature, dict[str, Any]]]:
    """The stored counts of ``days`` with the signature each was made with."""
    if not days:
        return {}
    rows = session.execute(sa.select(DayCount.day, DayCount.reports, DayCount.changed_at,
                                     DayCount.counts)
                           .where(DayCount.day >= min(days), DayCount.day <= max(days)))
    wanted = set(days)
    return {d: ((n, changed), counts) for d, n, changed, counts in rows if d in wanted}


def refresh(session: Session, first: date, last: date) -> list[date]:
    """Count and store every day in [first, last] whose stored counts are missing or were
    made with another signature; drop stored days that no longer have reports."""
    period = queries.Filters(local_midnight(first), local_midnight(last + timedelta(days=1)))
    signatures = queries.day_signatures(session, period)
    have = {d: (n, changed) for d, n, changed in session.execute(
        sa.select(DayCount.day, DayCount.reports, DayCount.changed_at)
        .where(DayCount.day >= first, DayCount.day <= last))}
    gone = [d for d in have if d not in signatures]
    if gone:
        session.execute(sa.delete(DayCount).where(DayCount.day.in_(gone)))
    stale = sorted(d for d, signature in signatures.items()
                   if first <= d <= last and have.get(d) != signature)
    for day in stale:
        counts = count_day(session, day)
        if day in have:
            session.execute(sa.delete(DayCount).where(DayCount.day == day))
        reports, changed = signatures[day]
        session.add(DayCount(day=day, reports=reports, changed_at=changed, counts=counts,
                             built_at=utcnow()))
        session.flush()
    return stale
