"""Deleting what a report or an account holds about a person, keeping the record.

Reports are public records (allmänna handlingar, arkivlagen): what was reported, where
roughly, when, and what the municipality did stay. What identifies the sender goes: contact
details, photos, the exact position and the link to an account. Services only flush; the
caller commits and then removes the released photo files.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from kopingreport.accounts.models import User
from kopingreport.i18n import _l
from kopingreport.moderation.models import AuditEvent, ReportCase
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.privacy import photofiles, sweeps
from kopingreport.reports.models import Report
from kopingreport.security import Role
from kopingreport.surveys.models import SurveyResponse

REPORT_ERASED = "reporter_erased"
ACCOUNT_ERASED = "account_erased"
#: Decimals a position keeps after erasure (0.01° ≈ 1 km north–south).
COARSE_DECIMALS = 2
#: People acting privately; their reports lose photos and exact positions with the account.
PRIVATE_ROLES = frozenset({Role.RESIDENT, Role.GRANNSAMVERKAN, Role.NATTVANDRARE})


class ErasureRefused(Exception):
    """The account cannot be deleted yet; ``message`` says why, in the user's language."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def erased_at(session: Session, report: Report) -> datetime | None:
    """When the sender deleted their personal data from the report, if they did."""
    return session.scalar(sa.select(sa.func.max(AuditEvent.created_at)).where(
        AuditEvent.report_id == report.id, AuditEvent.action == REPORT_ERASED))


def erase_report(session: Session, report: Report, actor: User | None = None) -> set[str]:
    """Remove the sender's contact details, photos, exact position and account link.

    Safe to repeat. Returns the photo files no row needs any more (delete them after the
    commit)."""
    photo_ids = [photo.id for photo in report.photos]
    hashes = photofiles.hashes_of_photos(session, photo_ids)
    summary = {"contact": report.contact is not None, "photos": len(photo_ids),
               "position": report.lat is not None, "account": report.user_id is not None}
    if report.contact is not None:
        session.delete(report.contact)
    sweeps.delete_photos(session, photo_ids)
    session.expire(report, ["photos"])
    if report.lat is not None and report.lon is not None:
        report.lat = round(report.lat, COARSE_DECIMALS)
        report.lon = round(report.lon, COARSE_DECIMALS)
    report.accuracy_m = None
    report.user_id = None
    session.add(AuditEvent(report_id=report.id, actor_id=getattr(actor, "id", None),
                           action=REPORT_ERASED, after=summary))
    session.flush()
    session.expire(report, ["contact"])
    return photofiles.unreferenced(session, hashes)


def check_account_erasable(session: Session, user: User) -> None:
    """ErasureRefused for staff with open cases and for the last administrator."""
    open_cases = session.scalar(
        sa.select(sa.func.count()).select_from(ReportCase)
        .join(Report, Report.id == ReportCase.report_id)
        .where(ReportCase.assignee_id == user.id, Report.state.not_in(sweeps.FINISHED)))
    if open_cases:
        raise ErasureRefused(_l(
            "You still have %(n)d open cases. Ask a moderator to hand them to someone else, "
            "then delete the account.", n=open_cases))
    if user.role == Role.ADMIN:
        others = session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.role == Role.ADMIN, User.is_enabled.is_(True), User.id != user.id))
        if not others:
            raise ErasureRefused(_l(
                "You are the only administrator. Make someone else an administrator first."))


def erase_account(session: Session, user: User) -> set[str]:
    """Anonymise the account (the row stays so that the audit log still adds up), end every
    session, and remove the person's data from what they sent. Returns photo files to
    delete after the commit."""
    check_account_erasable(session, user)
    released: set[str] = set()
    reports = list(session.scalars(sa.select(Report).where(Report.user_id == user.id)))
    for report in reports:
        if user.role in PRIVATE_ROLES:
            released |= erase_report(session, report, user)
        else:  # made at work: the record keeps its photos; the person is unlinked
            if report.contact is not None:
                session.delete(report.contact)
            report.user_id = None
    entries = session.execute(sa.delete(NeighbourhoodContact)
                              .where(NeighbourhoodContact.user_id == user.id)).rowcount or 0
    session.execute(sa.update(SurveyResponse).values(user_id=None)
                    .where(SurveyResponse.user_id == user.id))
    _anonymise(user)
    session.add(AuditEvent(report_id=None, actor_id=user.id, action=ACCOUNT_ERASED,
                           after={"reports": len(reports), "grannsamverkan": entries}))
    session.flush()
    return released


def _anonymise(user: User) -> None:
    user.email = f"deleted-{user.id}@invalid"
    user.name = ""
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32), method="scrypt")
    user.role = Role.RESIDENT
    user.organisation_id = None
    user.totp_secret = None
    user.totp_last_step = None
    user.is_enabled = False
    user.is_email_confirmed = False
    user.session_version += 1
    user.last_login_at = None
