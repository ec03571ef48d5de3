"""The report workflow: which state changes are allowed, and what each needs."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.reports.states import ReportState as S

CLOSED = frozenset({S.DUPLICATE, S.NOT_OURS, S.NO_ACTION, S.REJECTED})
_CLOSE_OR_ACT = {S.ACCEPTED, S.FORWARDED, *CLOSED}

#: state → the states it may move to. Anything else is refused by the service.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.IN_REVIEW, *_CLOSE_OR_ACT}),
    S.IN_REVIEW: frozenset(_CLOSE_OR_ACT),
    S.ACCEPTED: frozenset({S.FORWARDED, S.RESOLVED, S.IN_REVIEW}),
    S.FORWARDED: frozenset({S.ACCEPTED, S.RESOLVED, S.IN_REVIEW}),
    S.RESOLVED: frozenset({S.IN_REVIEW}),
    **{state: frozenset({S.IN_REVIEW}) for state in CLOSED},
}

#: Verbs for the buttons that move a report into each state.
ACTION_LABELS: dict[S, LazyString] = {
    S.IN_REVIEW: _l("Start review"),
    S.ACCEPTED: _l("Accept"),
    S.FORWARDED: _l("Forward"),
    S.RESOLVED: _l("Mark as resolved"),
    S.DUPLICATE: _l("Close as duplicate"),
    S.NOT_OURS: _l("Close: not ours"),
    S.NO_ACTION: _l("Close: no action"),
    S.REJECTED: _l("Reject (spam or abuse)"),
}

#: Days to handle a report, per category; the due date of an assignment.
DEFAULT_SLA_DAYS = 10
SLA_DAYS: dict[str, int] = {
    "fire": 1, "violence": 2, "hazard": 1, "drugs": 3, "lighting": 7, "vegetation": 21,
    "littering": 7, "graffiti": 14, "vandalism": 7, "traffic": 30, "safe_place": 30,
}


def allowed(current: str, target: str) -> bool:
    """Whether a report in ``current`` may move to ``target``."""
    try:
        return S(target) in TRANSITIONS[S(current)]
    except ValueError:
        return False


def sla(category: str) -> timedelta:
    """How long the organisation has to handle a report of ``category``."""
    return timedelta(days=SLA_DAYS.get(category, DEFAULT_SLA_DAYS))


def is_open(state: str) -> bool:
    """Not yet resolved or closed."""
    return state not in CLOSED and state != S.RESOLVED
