"""The dashboard's picture: every section as plain data (JSON-ready), so that the same
template shows the live picture and a frozen snapshot.

Category and kind codes stay codes (translated when shown); area and organisation names are
copied in, so a snapshot keeps the names it was made with.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.reports import geo
from kopingreport.reports.models import Area
from kopingreport.situation import days, grid, queries
from kopingreport.situation.indicators import open_actions, survey_indicators
from kopingreport.situation.params import Choice, local_midnight, today
from kopingreport.web.fields import LOCAL_TZ

T = TypeVar("T")
VERSION = 1
#: A cell is a hot spot from this many reports in the period.
HOTSPOT_MIN = 3
HOTSPOTS_SHOWN = 15
#: Categories shown as columns of the area table (the rest add up in "other").
TABLE_COLUMNS = 6
#: How long a computed picture is reused for the same choice (seconds).
CACHE_SECONDS = 60
_cache: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}
#: A period's counts are reused while its signature (reports, last change) is the same, at
#: most this long (seconds): past days rarely change, so a new report costs only today.
COUNTS_SECONDS = 600
_counts: dict[tuple[Any, ...], tuple[float, tuple[int, Any], Any]] = {}


def _merge(parts: list[Any]) -> Any:
    """Counts of consecutive stretches of a period added up: dicts key by key (the same
    key in two stretches adds), lists of rows one after the other."""
    if len(parts) == 1:
        return parts[0]
    if isinstance(parts[0], dict):
        total: Counter[Any] = Counter()
        for part in parts:
            total.update(part)
        return dict(total)
    return [row for part in parts for row in part]


class PeriodCounts:
    """The aggregates of one period, computed once and reused across requests until a
    report received in the period is added, changed or deleted.

    Unfiltered, the period's days come from the stored day counts (:mod:`days`) wherever a
    day's signature is unchanged; the other days are counted live in consecutive stretches,
    split at the last midnight so that new reports change only today's stretch.

    Filtered, a period reaching into today is split at the last midnight: new reports change
    only today's stretch, so the days before are not counted again. Only queries whose
    results add up (``_merge``) are split; a top list (places) takes the whole period.
    Stretches counted live are reused in the process while their signature is the same.
    """

    def __init__(self, session: Session, f: queries.Filters, split_at: datetime) -> None:
        self.session, self.filters, self.split_at = session, f, split_at
        self.parts = ([f.moved(f.start, split_at), f.moved(split_at, f.end)]
                      if f.start < split_at < f.end else [f])
        self._signatures: dict[queries.Filters, tuple[int, Any]] = {}
        self.by_day = days.usable(f)
        self._stored: dict[date, dict[str, Any]] | None = None

    def get(self, query: Callable[[Session, queries.Filters], T], *, split: bool = True) -> T:
        """``query(session, filters)``, from stored results where the reports are unchanged."""
        if self.by_day:
            return self._by_day(query)
        parts = self.parts if split else [self.filters]
        return _merge([self._one(query, part) for part in parts])  # type: ignore[no-any-return]

    def _by_day(self, query: Callable[[Session, queries.Filters], T]) -> T:
        places = query is queries.place_counts
        if places:
            query = days.all_place_counts  # type: ignore[assignment]
        if self._stored is None:
            self._plan()
        assert self._stored is not None
        found = ([days.added(query.__name__, list(self._stored.values()))]
                 if self._stored else [])
        found += [self._one(query, part) for part in self.parts]
        if places:
            return days.top_places(found)  # type: ignore[return-value]
        if not found:  # no reports in the period
            return [] if query is queries.hour_counts else {}  # type: ignore[return-value]
        return _merge(found)  # type: ignore[no-any-return]

    def _plan(self) -> None:
        """Which days come from stored counts, and the stretches counted live."""
        f, session = self.filters, self.session
        signatures = queries.day_signatures(session, f)
        first = f.start.astimezone(LOCAL_TZ).date()
        last = (f.end - timedelta(hours=1)).astimezone(LOCAL_TZ).date()
        split_day = self.split_at.astimezone(LOCAL_TZ).date()
        stored = days.load(session, [d for d in signatures if d < split_day])
        self._stored = {d: counts for d, (signature, counts) in stored.items()
                        if signature == signatures[d]}
        runs: list[list[date]] = []
        day, previous_live = first, False
        while day <= last:
            live = day not in self._stored
            if live and (not previous_live or day == split_day):
                runs.append([])
            if live:
                runs[-1].append(day)
            previous_live, day = live, day + timedelta(days=1)
        self.parts = []
        for run in runs:
            if not any(d in signatures for d in run):
                continue  # no reports on these days
            part = f.moved(max(f.start, local_midnight(run[0])),
                           min(f.end, local_midnight(run[-1] + timedelta(days=1))))
            counted = [signatures[d] for d in run if d in signatures]
            known = [c for _n, c in counted if c is not None]
            self._signatures[part] = (sum(n for n, _c in counted), max(known) if known else None)
            self.parts.append(part)

    def _signature(self, f: queries.Filters) -> tuple[int, Any]:
        if f not in self._signatures:
            if f == self.filters and len(self.parts) > 1:  # the stretches' signatures add up
                counts, changed = zip(*(self._signature(p) for p in self.parts))
                known = [c for c in changed if c is not None]
                self._signatures[f] = (sum(counts), max(known) if known else None)
            else:
                self._signatures[f] = queries.period_signature(self.session, f)
        return self._signatures[f]

    def _one(self, query: Callable[[Session, queries.Filters], T], f: queries.Filters) -> T:
        signature = self._signature(f)
        key = (str(self.session.get_bind().url), query.__name__, f)
        hit = _counts.get(key)
        if hit and hit[1] == signature and hit[0] > time.monotonic():
            return hit[2]  # type: ignore[no-any-return]
        found = query(self.session, f)
        if len(_counts) > 120:  # a few choices in use at a time; bound the memory
            _counts.clear()
        _counts[key] = (time.monotonic() + COUNTS_SECONDS, signature, found)
        return found


def forget() -> None:
    """Drop every stored picture and period count (tests, benchmarks)."""
    _cache.clear()
    _counts.clear()


def area_lookup(session: Session) -> tuple[dict[str, int], dict[int, Area]]:
    """Area code → id (every area, active or not) and id → area."""
    areas = list(session.scalars(sa.select(Area)))
    return {a.code: a.id for a in areas}, {a.id: a for a in areas}


def _span(first: Any, last: Any) -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat()}


def _compare(current: int, other: int | None) -> dict[str, Any]:
    """Δ and % of ``current`` against ``other`` (no % when ``other`` is 0)."""
    if other is None:
        return {"delta": None, "pct": None}
    return {"delta": current - other,
            "pct": None if other == 0 else round(100 * (current - other) / other)}


def _sum_by(counts: dict[tuple[Any, str], int], index: int) -> Counter[Any]:
    total: Counter[Any] = Counter()
    for key, n in counts.items():
        total[key[index]] += n
    return total


def _table(now: dict[tuple[Any, str], int], before: dict[tuple[Any, str], int],
           year: dict[tuple[Any, str], int], areas: dict[int, Area]) -> dict[str, Any]:
    """Area × category counts with totals and their changes."""
    area_now, area_before, area_year = (_sum_by(c, 0) for c in (now, before, year))
    cat_now, cat_before, cat_year = (_sum_by(c, 1) for c in (now, before, year))

    def row(key: Any, n: Counter[Any], b: Counter[Any], y: Counter[Any]) -> dict[str, Any]:
        return {"current": n[key], "previous": b[key], "last_year": y[key],
                "vs_previous": _compare(n[key], b[key]), "vs_last_year": _compare(n[key], y[key])}

    area_keys = sorted(set(area_now) | set(area_before),
                       key=lambda a: (-area_now[a], -area_before[a], _area_name(areas, a)))
    cat_keys = sorted(set(cat_now) | set(cat_before), key=lambda c: (-cat_now[c], c))
    top = cat_keys[:TABLE_COLUMNS]
    return {
        "areas": [{"code": _area_code(areas, a), "name": _area_name(areas, a),
                   **row(a, area_now, area_before, area_year),
                   "cells": {c: [now.get((a, c), 0), before.get((a, c), 0)] for c in cat_keys
                             if now.get((a, c)) or before.get((a, c))},
                   "other": area_now[a] - sum(now.get((a, c), 0) for c in top)}
                  for a in area_keys],
        "columns": top,
        "other": sum(cat_now[c] for c in cat_keys[TABLE_COLUMNS:]),
        "categories": [{"code": c, **row(c, cat_now, cat_before, cat_year)} for c in cat_keys],
        "total": {"current": sum(now.values()), "previous": sum(before.values()),
                  "last_year": sum(year.values()),
                  "vs_previous": _compare(sum(now.values()), sum(before.values())),
                  "vs_last_year": _compare(sum(now.values()), sum(year.values()))},
    }


def _area_code(areas: dict[int, Area], area_id: int | None) -> str:
    return areas[area_id].code if area_id in areas else ""


def _area_name(areas: dict[int, Area], area_id: int | None) -> str:
    return areas[area_id].name if area_id in areas else ""


def _shapes(areas: dict[int, Area]) -> list[geo.AreaShape]:
    return [geo.AreaShape.from_polygons(a.code, a.name, a.kind, a.geometry["coordinates"])
            for a in areas.values() if a.is_active and a.geometry.get("type") == "MultiPolygon"]


def hotspots(now: dict[tuple[int, int], int], before: dict[tuple[int, int], int],
             areas: dict[int, Area],
             limit: int = HOTSPOTS_SHOWN) -> list[dict[str, Any]]:
    """Cells with at least ``HOTSPOT_MIN`` reports, the most first; ``is_new`` when the cell
    was not a hot spot in the previous period."""
    shapes = _shapes(areas)
    ranked = sorted(((key, n) for key, n in now.items() if n >= HOTSPOT_MIN),
                    key=lambda item: (-item[1], item[0]))[:limit]
    found = []
    for (x, y), n in ranked:
        cell = grid.Cell(x, y)
        lat, lon = cell.centre
        shape = geo.find_area(shapes, lon, lat)
        previous = before.get((x, y), 0)
        found.append({"cell": cell.id, "lat": round(lat, 5), "lon": round(lon, 5), "count": n,
                      "previous": previous, "is_new": previous < HOTSPOT_MIN,
                      "area": shape.name if shape else ""})
    return found


def when(rows: list[tuple[str, bool, int]]) -> dict[str, Any]:
    """Weekday (Monday first) × hour in Swedish time, and how many happened in the dark."""
    matrix = [[0] * 24 for _ in range(7)]
    dark = total = 0
    for hour_key, is_dark, n in rows:  # "YYYY-MM-DD HH" in UTC
        moment = datetime(int(hour_key[:4]), int(hour_key[5:7]), int(hour_key[8:10]),
                          int(hour_key[11:13]), tzinfo=UTC).astimezone(LOCAL_TZ)
        matrix[moment.weekday()][moment.hour] += n
        total += n
        dark += n if is_dark else 0
    return {"matrix": matrix, "dark": dark, "total": total,
            "hours": [sum(day[h] for day in matrix) for h in range(24)],
            "weekdays": [sum(day) for day in matrix]}


def who(now: dict[tuple[str, int | None], int], before: dict[tuple[str, int | None], int],
        organisations: dict[int, Organisation]) -> dict[str, Any]:
    """Reports per reporter kind and per partner organisation."""
    kinds_now, kinds_before = _sum_by(now, 0), _sum_by(before, 0)  # type: ignore[arg-type]
    orgs_now: Counter[int] = Counter()
    orgs_before: Counter[int] = Counter()
    for (_kind, org), n in now.items():
        if org is not None:
            orgs_now[org] += n
    for (_kind, org), n in before.items():
        if org is not None:
            orgs_before[org] += n
    return {
        "kinds": [{"code": k, "current": kinds_now[k], "previous": kinds_before[k],
                   "vs_previous": _compare(kinds_now[k], kinds_before[k])}
                  for k in sorted(set(kinds_now) | set(kinds_before),
                                  key=lambda k: -kinds_now[k])],
        "organisations": [{"name": organisations[o].name if o in organisations else "",
                           "kind": organisations[o].kind if o in organisations else "",
                           "current": orgs_now[o], "previous": orgs_before[o],
                           "vs_previous": _compare(orgs_now[o], orgs_before[o])}
                          for o in sorted(set(orgs_now) | set(orgs_before),
                                          key=lambda o: -orgs_now[o])],
    }


def build(session: Session, choice: Choice, *, use_cache: bool = True) -> dict[str, Any]:
    """The whole picture for ``choice`` (reused for a minute when asked again)."""
    key = (str(session.get_bind().url), choice)
    hit = _cache.get(key)
    if use_cache and hit and hit[0] > time.monotonic():
        return hit[1]
    codes, areas = area_lookup(session)
    previous, last_year = choice.previous(), choice.last_year()
    f_now = choice.filters(codes)
    f_before, f_year = choice.filters(codes, *previous), choice.filters(codes, *last_year)
    # Reports may have happened up to a year before they were sent.
    queries.ensure_sun_days(session, (f_year.start - timedelta(days=370)).date(),
                            (f_now.end + timedelta(days=1)).date())
    organisations = {o.id: o for o in session.scalars(sa.select(Organisation))}
    midnight = local_midnight(today())
    now, before, year = (PeriodCounts(session, f, midnight) for f in (f_now, f_before, f_year))
    picture = {
        "version": VERSION, "period": _span(choice.first, choice.last), "days": choice.days,
        "previous": _span(*previous), "last_year": _span(*last_year), "filters": choice.args(),
        "table": _table(now.get(queries.area_category_counts),
                        before.get(queries.area_category_counts),
                        year.get(queries.area_category_counts), areas),
        "hotspots": hotspots(now.get(queries.cell_counts), before.get(queries.cell_counts),
                             areas),
        "when": when(now.get(queries.hour_counts)),
        "who": who(now.get(queries.reporter_counts), before.get(queries.reporter_counts),
                   organisations),
        "places": [{"name": p, "count": n}
                   for p, n in now.get(queries.place_counts, split=False)],
        "surveys": survey_indicators(session, f_now.start, f_now.end),
        "actions": open_actions(session),
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _cache[key] = (time.monotonic() + CACHE_SECONDS, picture)
    if len(_cache) > 200:
        _cache.clear()
    return picture

