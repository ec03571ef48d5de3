"""Translated names of register states, sign states and confirmation states."""

from __future__ import annotations

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.neighbourhood.models import Confirmation, ContactState, SignStatus

STATE_LABELS: dict[ContactState, LazyString] = {
    ContactState.PENDING: _l("Waiting for a decision"),
    ContactState.APPROVED: _l("In the register"),
    ContactState.DECLINED: _l("Declined"),
    ContactState.ENDED: _l("Ended"),
}
SIGN_LABELS: dict[SignStatus, LazyString] = {
    SignStatus.OK: _l("Signs up and in good condition"),
    SignStatus.MISSING: _l("No signs"),
    SignStatus.DAMAGED: _l("Signs damaged or gone"),
    SignStatus.ORDERED: _l("New signs ordered"),
}
CONFIRMATION_LABELS: dict[Confirmation, LazyString] = {
    Confirmation.CURRENT: _l("Confirmed"),
    Confirmation.DUE: _l("Yearly confirmation due"),
    Confirmation.LAPSED: _l("Lapsed (not confirmed)"),
}
#: Every label above by its value (the values do not overlap), for templates and exports.
LABELS: dict[str, LazyString] = {**STATE_LABELS, **SIGN_LABELS, **CONFIRMATION_LABELS}
#: The register's state filter: the stored states plus "due" and "lapsed".
STATE_FILTERS: dict[str, LazyString] = {
    "": _l("All"), ContactState.PENDING: STATE_LABELS[ContactState.PENDING],
    ContactState.APPROVED: STATE_LABELS[ContactState.APPROVED],
    Confirmation.DUE: CONFIRMATION_LABELS[Confirmation.DUE],
    Confirmation.LAPSED: CONFIRMATION_LABELS[Confirmation.LAPSED],
    ContactState.DECLINED: STATE_LABELS[ContactState.DECLINED],
    ContactState.ENDED: STATE_LABELS[ContactState.ENDED],
}
