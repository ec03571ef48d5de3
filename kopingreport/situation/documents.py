"""The lägesbild document (lag 2023:196 §4): its figures over any span of whole months, and
the coordinator's texts. Adopting it recounts and freezes the figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.situation.errors import SituationError
from kopingreport.situation import grid, queries, rollups
from kopingreport.situation.indicators import survey_indicators
from kopingreport.situation.models import DocumentState, SituationDocument
from kopingreport.situation.params import MAX_DOCUMENT_DAYS, local_midnight, today
from kopingreport.situation.picture import HOTSPOT_MIN, area_lookup, hotspots, who

#: A place recurs when it is a hot spot in at least this many quarters of the span.
REPEAT_QUARTERS = 3
TEXT_FIELDS = ("summary", "consequences", "other_information", "causes")


def default_span(now: date | None = None) -> tuple[date, date]:
    """The 24 complete months before the current one."""
    first_of_month = (now or today()).replace(day=1)
    last = first_of_month - timedelta(days=1)
    start = first_of_month
    for _ in range(24):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, last


def check_span(first: date, last: date) -> None:
    """Whole months, in order, at most ten years."""
    if first.day != 1 or (last + timedelta(days=1)).day != 1:
        raise SituationError(_l("Choose whole months."), "starts_on")
    if first > last:
        raise SituationError(_l("The first day must come before the last day."), "starts_on")
    if (last - first).days + 1 > MAX_DOCUMENT_DAYS:
        raise SituationError(_l("Choose at most %(days)d days.", days=MAX_DOCUMENT_DAYS),
                            "ends_on")


def create(session: Session, actor: Any, title: str, first: date, last: date
           ) -> SituationDocument:
    """A new draft lägesbild over [first, last]."""
    if not title.strip():
        raise SituationError(_l("Give the lägesbild a title."), "title")
    check_span(first, last)
    document = SituationDocument(title=title.strip()[:150], starts_on=first, ends_on=last,
                                 created_by_id=getattr(actor, "id", None))
    session.add(document)
    session.flush()
    return document


def update_texts(session: Session, actor: Any, document: SituationDocument,
                 texts: dict[str, str]) -> None:
    """Save the coordinator's texts (an adopted lägesbild is not changed any more)."""
    if document.state == DocumentState.ADOPTED:
        raise SituationError(_l("An adopted lägesbild cannot be changed."), "summary")
    for name in TEXT_FIELDS:
        setattr(document, name, (texts.get(name) or "").strip())
    session.flush()


def adopt(session: Session, actor: Any, document: SituationDocument) -> None:
    """Recount every month, freeze the figures and mark the lägesbild adopted."""
    if document.state == DocumentState.ADOPTED:
        raise SituationError(_l("This lägesbild is already adopted."), "state")
    document.data = figures(session, document.starts_on, document.ends_on, recount=True)
    document.state, document.adopted_at = DocumentState.ADOPTED, utcnow()
    session.flush()


def shown_figures(session: Session, document: SituationDocument) -> dict[str, Any]:
    """The frozen figures of an adopted lägesbild, the live ones of a draft."""
    if document.data is not None:
        return document.data
    return figures(session, document.starts_on, document.ends_on)


@dataclass(frozen=True)
class Block:
    """A run of months (a year or a quarter) of the span."""

    label: str
    months: tuple[date, ...]


def _blocks(months: list[date], size: int) -> list[Block]:
    blocks = [months[i:i + size] for i in range(0, len(months), size)]
    return [Block(f"{b[0]:%Y-%m}–{b[-1]:%Y-%m}" if len(b) > 1 else f"{b[0]:%Y-%m}", tuple(b))
            for b in blocks]


def figures(session: Session, first: date, last: date, *, recount: bool = False
            ) -> dict[str, Any]:
    """Extent and trends per area and category, recurring places, times, reporters and
    survey indicators over [first, last]."""
    queries.ensure_sun_days(session, first - timedelta(days=370), last + timedelta(days=2))
    months = rollups.monthly(session, first, last, recount=recount)
    order = sorted(months)
    _codes, areas = area_lookup(session)
    years = _blocks(order, 12)
    quarters = _blocks(order, 3)

    def per_block(blocks: list[Block], index: int) -> dict[str, Counter[Any]]:
        counts: dict[str, Counter[Any]] = {}
        for block in blocks:
            total: Counter[Any] = Counter()
            for month in block.months:
                for (area, category), n in months[month].areas.items():
                    total[(area, category)[index]] += n
            counts[block.label] = total
        return counts

    def rows(index: int, name: Any) -> list[dict[str, Any]]:
        by_year = per_block(years, index)
        keys = set().union(*by_year.values()) if by_year else set()
        found = [{"key": name(k), "code": k if index else (areas[k].code if k in areas else ""),
                  "years": [by_year[y.label][k] for y in years],
                  "total": sum(by_year[y.label][k] for y in years)} for k in keys]
        return sorted(found, key=lambda r: (-r["total"], r["key"]))

    cells = rollups.hot_cells(session, [list(q.months) for q in quarters], months,
                              HOTSPOT_MIN)
    repeat = {c: total for c, (total, hot) in cells.items() if hot >= REPEAT_QUARTERS}
    places = hotspots(repeat, {}, areas, limit=20)
    for place in places:
        cell = grid.parse_cell(place["cell"])
        place["quarters"] = cells[(cell.x, cell.y)][1] if cell else 0
    matrix = [[sum(months[m].hours[d][h] for m in order) for h in range(24)] for d in range(7)]
    who_counts: Counter[tuple[str, int | None]] = Counter()
    for figures_ in months.values():
        who_counts.update(figures_.who)
    organisations = {o.id: o for o in session.scalars(sa.select(Organisation))}
    return {
        "version": 1, "period": {"from": first.isoformat(), "to": last.isoformat()},
        "years": [y.label for y in years], "quarters": [q.label for q in quarters],
        "months": [{"month": f"{m:%Y-%m}", "total": months[m].total} for m in order],
        "total": sum(months[m].total for m in order),
        "areas": rows(0, lambda k: areas[k].name if k in areas else ""),
        "categories": rows(1, lambda k: k),
        "repeat_places": places,
        "when": {"matrix": matrix, "dark": sum(months[m].dark for m in order),
                 "total": sum(map(sum, matrix)),
                 "hours": [sum(day[h] for day in matrix) for h in range(24)],
                 "weekdays": [sum(day) for day in matrix]},
        "who": who(who_counts, {}, organisations),
        "surveys": survey_indicators(session, local_midnight(first),
                                     local_midnight(last + timedelta(days=1))),
        "made_at": utcnow().isoformat(timespec="seconds"),
    }


def list_documents(session: Session) -> list[SituationDocument]:
    """Every lägesbild, the newest span first."""
    return list(session.scalars(sa.select(SituationDocument).order_by(
        SituationDocument.ends_on.desc(), SituationDocument.id.desc())))




def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def document_of(session: Session, action: Any) -> SituationDocument | None:
    """The lägesbild whose plan holds ``action``."""
    from kopingreport.situation.models import PlanAction

    return session.scalar(sa.select(SituationDocument).join(PlanAction).where(
        PlanAction.action_id == action.id))
