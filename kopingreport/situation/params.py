"""The dashboard's choices from the query string: period and filters, checked strictly.

Dates are Swedish calendar days (both ends included); the period runs from the first day's
midnight to the midnight after the last day, in Swedish time, stored as UTC. Anything not
understood is an error the page shows, never silently ignored: an unknown area or category
code (or text made to look like SQL) is named back to the coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import LazyString
from werkzeug.datastructures import MultiDict

from kopingreport.i18n import _l
from kopingreport.reports import categories
from kopingreport.reports.states import ReporterKind
from kopingreport.situation.queries import Filters, local_midnight
from kopingreport.web.fields import LOCAL_TZ

#: The default dashboard period, in days.
DEFAULT_DAYS = 14
#: The longest period the dashboard and exports accept (a lägesbild may span more).
MAX_DASHBOARD_DAYS = 3 * 366
#: The longest span of a lägesbild document.
MAX_DOCUMENT_DAYS = 10 * 366
EARLIEST = date(2000, 1, 1)
MAX_CHOICES = 50


def today() -> date:
    """Today in Sweden."""
    return datetime.now(LOCAL_TZ).date()


def year_before(day: date) -> date:
    """The same date a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Choice:
    """What the coordinator chose: the days and filter codes (as in the URL)."""

    first: date
    last: date
    areas: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    organisations: tuple[int, ...] = ()
    dark_only: bool = False

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> tuple[date, date]:
        """The period of the same length just before."""
        return self.first - timedelta(days=self.days), self.first - timedelta(days=1)

    def last_year(self) -> tuple[date, date]:
        """The same days a year earlier."""
        return year_before(self.first), year_before(self.last)

    def filters(self, area_ids: dict[str, int], first: date | None = None,
                last: date | None = None) -> Filters:
        """The query filters over [first, last] (default: the chosen days)."""
        first, last = first or self.first, last or self.last
        return Filters(local_midnight(first), local_midnight(last + timedelta(days=1)),
                       tuple(area_ids[c] for c in self.areas), self.categories, self.kinds,
                       self.organisations, self.dark_only)

    def args(self) -> dict[str, Any]:
        """The choice as query arguments (for links, exports and snapshots)."""
        found: dict[str, Any] = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        for name, values in (("area", self.areas), ("category", self.categories),
                             ("kind", self.kinds), ("org", self.organisations)):
            if values:
                found[name] = list(values)
        if self.dark_only:
            found["dark"] = "1"
        return found


@dataclass
class Parsed:
    """A choice, or the errors per field that made it impossible."""

    choice: Choice | None
    errors: dict[str, list[LazyString]] = field(default_factory=dict)


def _date(text: str | None, name: str, errors: dict[str, list[LazyString]]) -> date | None:
    if not text:
        return None
    try:
        value = date.fromisoformat(text.strip()) if len(text) <= 20 else None
    except ValueError:
        value = None
    if value is None or value < EARLIEST or value.year > 2100:
        errors.setdefault(name, []).append(_l("Give a date as YYYY-MM-DD, e.g. 2026-05-01."))
    return value


def _codes(args: MultiDict[str, str], name: str, known: set[str],
           errors: dict[str, list[LazyString]]) -> tuple[str, ...]:
    values = [v for v in args.getlist(name) if v]
    if len(values) > MAX_CHOICES or any(v not in known for v in values):
        errors.setdefault(name, []).append(_l("Choose from the list."))
        return ()
    return tuple(dict.fromkeys(values))


def parse(args: MultiDict[str, str], *, area_codes: set[str], organisation_ids: set[int],
          max_days: int = MAX_DASHBOARD_DAYS, default_days: int = DEFAULT_DAYS,
          now: date | None = None) -> Parsed:
    """The choice in ``args``; defaults to the ``default_days`` up to today."""
    errors: dict[str, list[LazyString]] = {}
    end = now or today()
    last = _date(args.get("to"), "to", errors) or end
    first = _date(args.get("from"), "from", errors) or last - timedelta(days=default_days - 1)
    if not errors and first > last:
        errors["from"] = [_l("The first day must come before the last day.")]
    elif not errors and (last - first).days + 1 > max_days:
        errors["to"] = [_l("Choose at most %(days)d days.", days=max_days)]
    orgs = _codes(args, "org", {str(i) for i in organisation_ids}, errors)
    choice = Choice(first, last, _codes(args, "area", area_codes, errors),
                    _codes(args, "category", set(categories.BY_CODE), errors),
                    _codes(args, "kind", {str(k) for k in ReporterKind}, errors),
                    tuple(int(o) for o in orgs), args.get("dark") == "1")
    return Parsed(None if errors else choice, errors)
