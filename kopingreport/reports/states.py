"""Report states, reporter kinds and location sources, with their plain-language labels."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import LazyString

from kopingreport.i18n import _l


class ReportState(StrEnum):
    """Where a report is in the workflow (DESIGN.md §4)."""

    NEW = "new"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    FORWARDED = "forwarded"
    RESOLVED = "resolved"
    DUPLICATE = "duplicate"
    NOT_OURS = "not_ours"
    NO_ACTION = "no_action"
    REJECTED = "rejected"


class ReporterKind(StrEnum):
    """Who sent the report."""

    RESIDENT = "resident"
    GRANNSAMVERKAN = "grannsamverkan"
    NATTVANDRARE = "nattvandrare"
    PARTNER = "partner"


class LocationSource(StrEnum):
    """How the place was given."""

    GPS = "gps"
    MAP = "map"
    TEXT = "text"
    AREA = "area"


#: What a resident reads on the status page for each state.
STATE_LABELS: dict[ReportState, LazyString] = {
    ReportState.NEW: _l("Received — waiting to be read"),
    ReportState.IN_REVIEW: _l("Being read by the municipality"),
    ReportState.ACCEPTED: _l("Accepted — the municipality will act on it"),
    ReportState.FORWARDED: _l("Passed on to the organisation responsible"),
    ReportState.RESOLVED: _l("Done"),
    ReportState.DUPLICATE: _l("Closed — already reported by someone else"),
    ReportState.NOT_OURS: _l("Closed — another organisation is responsible"),
    ReportState.NO_ACTION: _l("Closed — no action will be taken"),
    ReportState.REJECTED: _l("Closed — not accepted"),
}

REPORTER_KIND_LABELS: dict[ReporterKind, LazyString] = {
    ReporterKind.RESIDENT: _l("Resident or visitor"),
    ReporterKind.GRANNSAMVERKAN: _l("Neighbourhood watch contact (grannsamverkan)"),
    ReporterKind.NATTVANDRARE: _l("Night walker (nattvandrare)"),
    ReporterKind.PARTNER: _l("Partner organisation (municipality, police, guards, KBAB …)"),
}
