"""E-mails of the register (web layer): decisions, yearly reminders with a signed link,
and the coordinator's messages."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.i18n import _
from kopingreport.mail import send_mail
from kopingreport.neighbourhood.messaging import due_for_reminder
from kopingreport.neighbourhood.models import ContactState, NeighbourhoodContact
from kopingreport.neighbourhood.models import NeighbourhoodMessage

#: A reminder link works for two months (it stops working once used).
CONFIRM_LINK_MAX_AGE = 60 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="neighbourhood-confirm")


def _stamp(entry: NeighbourhoodContact) -> int:
    return int(entry.last_confirmed_at.timestamp()) if entry.last_confirmed_at else 0


def confirm_token(entry: NeighbourhoodContact) -> str:
    """A signed token for the yearly confirmation, valid until the entry is confirmed."""
    return _serializer().dumps({"id": entry.id, "t": _stamp(entry)})


def read_confirm_token(session: Session, token: str) -> NeighbourhoodContact | None:
    """The approved entry a confirmation token names, if it is genuine and still unused."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_LINK_MAX_AGE)
        entry = session.get(NeighbourhoodContact, int(data["id"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if entry is None or entry.state != ContactState.APPROVED or _stamp(entry) != data.get("t"):
        return None
    return entry


def send_reminders(session: Session) -> int:
    """E-mail every contact due for the yearly confirmation a link, and commit."""
    entries = due_for_reminder(session)
    for entry in entries:
        link = url_for("neighbourhood.confirm", token=confirm_token(entry), _external=True)
        send_mail(entry.user.email, _("Are you still kontaktombud for %(street)s?",
                                      street=entry.street), _(
            "Once a year we ask every grannsamverkan contact to confirm that they are still "
            "active. Open this link to confirm, or to tell us that you have stopped: %(url)s",
            url=link))
        entry.reminded_at = utcnow()
    session.commit()
    return len(entries)


def notify_decision(entry: NeighbourhoodContact) -> None:
    """Tell the applicant what the coordinator decided."""
    if entry.state == ContactState.APPROVED:
        body = _("You are now kontaktombud for %(street)s in grannsamverkan. Your page: %(url)s",
                 street=entry.street, url=url_for("neighbourhood.index", _external=True))
    else:
        body = _("Your application to become kontaktombud for %(street)s was not approved.",
                 street=entry.street)
    if entry.decision_note:
        body += "\n\n" + entry.decision_note
    send_mail(entry.user.email, _("Your grannsamverkan application"), body)


def deliver_message(message: NeighbourhoodMessage, emails: Iterable[str]) -> None:
    """Send a stored message to each recipient separately (no one sees the others)."""
    footer = _("You get this message because you are kontaktombud in grannsamverkan in %(areas)s.",
               areas=", ".join(a.name for a in message.areas))
    for email in emails:
        send_mail(email, message.subject, f"{message.body}\n\n--\n{footer}")
