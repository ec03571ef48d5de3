"""Submitting a report: one service behind both the HTML form and the JSON API."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached

from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.nightwalks.services import walk_for_report
from kopingreport.reports import areas as area_service
from kopingreport.reports.images import ProcessedPhoto
from kopingreport.reports.models import Area, Photo, Report, ReportContact
from kopingreport.reports.photostore import PhotoStore
from kopingreport.reports.receipts import (ensure_counter, hash_token, new_token,
                                           next_reference, numbered_insert)
from kopingreport.reports.states import LocationSource, ReporterKind, ReportState
from kopingreport.security import Role, role_of

log = logging.getLogger(__name__)

_LATER_FIELDS = ("nightwalk_id",)


@dataclass(frozen=True)
class ReportInput:
    """A validated submission, as typed by the reporter (defaults not yet filled in)."""

    category: str
    description: str
    reporter_kind: ReporterKind
    locale: str
    occurred_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_source: LocationSource | None = None
    place: str | None = None
    area_code: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    confirm_outside: bool = False
    photos: Sequence[ProcessedPhoto] = field(default_factory=tuple)
    nightwalk_id: int | None = None

    def payload_hash(self) -> str:
        """A digest of everything the reporter sent, to recognise a retry of the same report."""
        data: dict[str, Any] = {k: v for k, v in self.__dict__.items() if k != "photos"}
        # Fields added later are left out while empty, so that a report queued on a phone
        # before they existed still matches its stored digest when it is sent again.
        for name in _LATER_FIELDS:
            if data[name] is None:
                del data[name]
        data["occurred_at"] = self.occurred_at.isoformat() if self.occurred_at else None
        data["photos"] = [p.sha256 for p in self.photos]
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class SubmitResult:
    """The stored report and the secret token of its status link."""

    report: Report
    receipt_token: str
    created: bool


class SubmissionInvalid(Exception):
    """Domain rules the form cannot check alone; ``errors`` maps field → messages."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class IdempotencyConflict(Exception):
    """The idempotency key was used before for a different report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.reference)
        self.report = report


def _locate(session: Session, data: ReportInput) -> tuple[Area | None, bool]:
    """The report's area and whether its point lies outside the municipality."""
    chosen = None
    if data.area_code:
        chosen = session.scalar(sa.select(Area).where(Area.code == data.area_code,
                                                      Area.is_active))
        if chosen is None:
            raise SubmissionInvalid({"area": [_l("Choose an area from the list.")]})
    if data.lat is None or data.lon is None:
        return chosen, False
    found = area_service.area_for_point(session, data.lat, data.lon)
    if found is None and not data.confirm_outside:
        raise SubmissionInvalid({"lat": [_l(
            "This place is outside Köping municipality. Check the place, or confirm that "
            "you want to send the report anyway.")]})
    return found or chosen, found is None


def _check_time(data: ReportInput, max_age_days: int) -> None:
    if data.occurred_at is None:
        return
    now = utcnow()
    if data.occurred_at > now + timedelta(minutes=10):
        raise SubmissionInvalid({"occurred_at": [_l("The time cannot be in the future.")]})
    if data.occurred_at < now - timedelta(days=max_age_days):
        raise SubmissionInvalid({"occurred_at": [_l(
            "The time is too long ago. Report things that happened within the last year.")]})


def find_by_token(session: Session, token: str) -> Report | None:
    """The report whose receipt token is ``token``."""
    return session.scalar(sa.select(Report).where(Report.receipt_hash == hash_token(token)))


_REPORTS = Report.__table__
_BY_KEY = sa.select(_REPORTS.c.id).where(_REPORTS.c.idempotency_key == sa.bindparam("key"))


@dataclass(frozen=True)
class PreparedReport:
    """A new report, checked and built but not yet stored (see ``prepare_report``)."""

    report: Report
    receipt_token: str
    #: The INSERT's columns but the reference; None when the ORM stores it (``_one_row``).
    values: dict[str, Any] | None


def submit_report(session: Session, actor: Any, data: ReportInput, *, store: PhotoStore,
                  secret: str, idempotency_key: str | None, max_age_days: int = 365
                  ) -> SubmitResult:
    """Store a report with its photos exactly once: ``prepare_report`` then ``store_report``.

    A repeated ``idempotency_key`` with the same payload returns the stored report;
    with another payload it raises ``IdempotencyConflict``. Raises ``SubmissionInvalid``
    for domain errors. Photo files are written before the flush (content-addressed, so a
    retry writes nothing new); the caller commits, and on failure removes the files this
    attempt added (``photo_files``, ``discard_unreferenced``).
    """
    prepared = prepare_report(session, actor, data, store=store, secret=secret,
                              idempotency_key=idempotency_key, max_age_days=max_age_days)
    if isinstance(prepared, SubmitResult):
        return prepared
    return store_report(session, prepared)


def prepare_report(session: Session, actor: Any, data: ReportInput, *, store: PhotoStore,
                   secret: str, idempotency_key: str | None, max_age_days: int = 365,
                   look_up_key: bool = True) -> SubmitResult | PreparedReport:
    """Everything of a submission that only reads: the stored report for a retry of the same
    key (a ``SubmitResult``), else the checked, built report. Nothing is written, so this
    runs before the write transaction (and SQLite's one write lock) begins.

    ``look_up_key=False`` leaves the look-up of the key to ``store_report``, whose counter
    bump (or, on PostgreSQL, whose one INSERT) stores nothing when the key is taken and then
    answers with the stored report: one statement less for the many new reports. A retry
    that no longer passes the checks is looked up here."""
    payload = data.payload_hash()
    token = new_token(secret, idempotency_key)
    if idempotency_key is not None and look_up_key:
        stored = _stored_before(session, idempotency_key, payload, token)
        if stored is not None:
            return stored
    try:
        _check_time(data, max_age_days)
        area, outside = _locate(session, data)
    except SubmissionInvalid:
        # E.g. its area was closed since: a report accepted then still gets its receipt.
        stored = (None if look_up_key or idempotency_key is None
                  else _stored_before(session, idempotency_key, payload, token))
        if stored is None:
            raise
        return stored
    report = _build_report(data, area, outside, payload, idempotency_key, token)
    _attribute(report, actor)
    report.nightwalk_id = walk_for_report(session, actor, data.nightwalk_id, report.occurred_at)
    _attach_photos(report, data.photos, store)
    if data.contact_email or data.contact_phone:
        report.contact = ReportContact(email=data.contact_email, phone=data.contact_phone)
    return PreparedReport(report, token, _insert_values(report) if _one_row(data) else None)


def _stored_before(session: Session, key: str, payload: str, token: str
                   ) -> SubmitResult | None:
    """The report stored earlier with idempotency key ``key``, or None when there is none.
    ``IdempotencyConflict`` when that report is another one (another payload)."""
    # Only the id, through a prebuilt statement: most keys are new, so the whole report
    # (with its area) is loaded only for a retry.
    row = session.execute(_BY_KEY, {"key": key}).first()
    existing = session.get(Report, row.id) if row is not None else None
    if existing is None:
        return None
    if existing.payload_hash != payload:
        raise IdempotencyConflict(existing)
    return SubmitResult(existing, token, created=False)


def store_report(session: Session, prepared: PreparedReport) -> SubmitResult:
    """Write a prepared report: its reference and its row, or, when its idempotency key is
    stored already, nothing (the stored report is the answer). The write transaction starts
    here and holds the year's reference counter (and SQLite's write lock) until the caller
    commits: nothing else belongs in it (in autocommit, see ``begin_submission``, the one
    statement is the transaction). A concurrent report with the same idempotency key makes
    the INSERT (or the commit) fail; the caller's retry then finds that report."""
    report = prepared.report
    if not _insert(session, report, prepared.values, utcnow().year):
        stored = _stored_before(session, str(report.idempotency_key), report.payload_hash,
                                prepared.receipt_token)
        if stored is None:  # the key was seen a moment ago: a report is never deleted
            raise RuntimeError("a stored report's idempotency key vanished")
        return stored
    return SubmitResult(report, prepared.receipt_token, created=True)


def begin_submission(session: Session, data: ReportInput) -> None:
    """Start a session's work on a submission (before ``prepare_report``).

    On PostgreSQL a report that is one row needs no transaction: its reads need none, and
    its INSERT checks the key, takes the reference and commits in one statement
    (``numbered_insert``). So its connection runs in autocommit, which saves the BEGIN and
    COMMIT round trips and keeps the year's counter locked only while the server stores the
    row (in a transaction the lock lasted until the app, busy with other requests, got round
    to the COMMIT: that capped reports at ~190/s on two cores). Photos or contact details
    (more rows), another database, or a session already in a transaction: a transaction as
    usual.
    """
    if (_one_row(data) and session.get_bind().dialect.name == "postgresql"
            and not session.in_transaction()):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


_INSERT = sa.insert(_REPORTS).returning(_REPORTS.c.id)
_COLUMNS = tuple((prop.key, prop.columns[0]) for prop in sa.inspect(Report).column_attrs
                 if prop.key != "id")
_NUMBERED_INSERT = numbered_insert(_REPORTS, [column for key, column in _COLUMNS
                                              if key != "reference"], _REPORTS.c.idempotency_key)
#: The short way knows plain Python defaults only; any other default leaves it to the ORM.
_PLAIN_DEFAULTS = all(column.server_default is None and (
    column.default is None or column.default.is_scalar or column.default.is_callable)
    for _key, column in _COLUMNS)


def _one_row(data: ReportInput) -> bool:
    """Whether a submission is stored as one row by one prebuilt INSERT (most are): not
    with photos or contact details (more rows), nor with defaults the short way cannot
    compute."""
    return _PLAIN_DEFAULTS and not data.photos and not (data.contact_email
                                                        or data.contact_phone)


def _insert_values(report: Report) -> dict[str, Any]:
    """The columns of a new one-row report but its reference, ready before the counter is
    locked."""
    state = sa.inspect(report)
    if report.area is not None:
        report.area_id = report.area.id
    values: dict[str, Any] = {}
    for key, column in _COLUMNS:
        if key == "reference":
            continue
        if key in state.dict:
            values[key] = state.dict[key]
        elif column.default is not None:
            default = column.default
            values[key] = (default.arg(None) if default.is_callable  # type: ignore[attr-defined]
                           else default.arg)  # type: ignore[attr-defined]
            setattr(report, key, values[key])
        else:
            values[key] = None
            setattr(report, key, None)
    return values


def _insert(session: Session, report: Report, values: dict[str, Any] | None,
            year: int) -> bool:
    """Give a new report the year's next reference and store it; False (nothing stored,
    no number taken) when its idempotency key is stored already. One row (``values``, most
    reports): one prebuilt INSERT … RETURNING, and the object joins the session as loaded,
    a fraction of a unit-of-work flush; on PostgreSQL the same statement checks the key and
    takes the reference. The same columns and defaults are written either way."""
    if values is not None and session.get_bind().dialect.name == "postgresql":
        params = {**values, "counter_year": year}
        row = session.execute(_NUMBERED_INSERT, params).first()
        if row is None:  # the year's first report (no counter yet), or the key is stored
            ensure_counter(session, year)
            row = session.execute(_NUMBERED_INSERT, params).first()
            if row is None:  # the counter exists: the key is stored
                return False
        report.id, report.reference = row
    else:
        key = report.idempotency_key
        reference = next_reference(session, year, unless=None if key is None else (
            _REPORTS.c.idempotency_key, key))
        if reference is None:
            return False
        report.reference = reference
        if values is None:
            session.add(report)
            session.flush()
            return True
        report.id = session.execute(_INSERT, {**values, "reference": reference}).scalar_one()
    make_transient_to_detached(report)
    session.add(report)
    return True


def photo_files(data: ReportInput) -> list[str]:
    """The hashes of the files a submission stores (photos and thumbnails)."""
    return [sha for photo in data.photos for sha in (photo.sha256, photo.thumb_sha256)]


def save_photo_files(store: PhotoStore, data: ReportInput) -> None:
    """Write the submission's photos and thumbnails (content-addressed: a retry writes
    nothing new). ``PhotoStoreError`` when the disk is full or unusable."""
    for photo in data.photos:
        store.save(photo.sha256, photo.jpeg)
        store.save(photo.thumb_sha256, photo.thumb)


def discard_unreferenced(session: Session, store: PhotoStore, hashes: Sequence[str]) -> None:
    """Remove photo files that no stored photo refers to (after a submission failed).

    If the database cannot be asked, the files are kept: better an orphan file than a photo
    lost from a report that a concurrent request stored.
    """
    if not hashes:
        return
    try:
        used = set(session.scalars(sa.select(Photo.sha256).where(Photo.sha256.in_(hashes))))
        used |= set(session.scalars(sa.select(Photo.thumb_sha256)
                                    .where(Photo.thumb_sha256.in_(hashes))))
        session.rollback()
    except sa.exc.SQLAlchemyError:
        log.warning("photo files of a failed submission kept: database unavailable")
        return
    for sha in set(hashes) - used:
        store.delete(sha)


def _build_report(data: ReportInput, area: Area | None, outside: bool, payload: str,
                  key: str | None, token: str) -> Report:
    has_point = data.lat is not None and data.lon is not None
    source = data.location_source or (LocationSource.MAP if has_point else
                                      LocationSource.TEXT if data.place else LocationSource.AREA)
    return Report(
        receipt_hash=hash_token(token), idempotency_key=key, payload_hash=payload,
        category=data.category, description=data.description,
        occurred_at=data.occurred_at or utcnow(), created_at=utcnow(),
        lat=data.lat if has_point else None, lon=data.lon if has_point else None,
        accuracy_m=data.accuracy_m if has_point else None, location_source=source,
        place=data.place or None, area=area, is_outside_municipality=outside,
        reporter_kind=data.reporter_kind, locale=data.locale,
        # Known now, so the receipt is built after the commit without reading them back.
        public_text=None, public_reply=None, photos=[])


#: The reporter kind a logged-in role always reports as.
ROLE_KINDS = {Role.GRANNSAMVERKAN: ReporterKind.GRANNSAMVERKAN,
              Role.NATTVANDRARE: ReporterKind.NATTVANDRARE, Role.PARTNER: ReporterKind.PARTNER}


def _attribute(report: Report, actor: Any) -> None:
    """Link a logged-in reporter's account, role and organisation to the report; reports of
    organisations trusted by the administrator skip the moderation queue."""
    role = role_of(actor)
    if role is None:
        return
    report.user_id = actor.id
    report.reporter_kind = ROLE_KINDS.get(role, report.reporter_kind)
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.is_active:
        report.organisation_id = organisation.id
        if organisation.skips_moderation:
            report.state = ReportState.ACCEPTED


def reports_of(session: Session, user_id: int) -> list[Report]:
    """An account holder's own reports, newest first."""
    return list(session.scalars(sa.select(Report).where(Report.user_id == user_id)
                                .order_by(Report.created_at.desc())))


def _attach_photos(report: Report, photos: Sequence[ProcessedPhoto], store: PhotoStore) -> None:
    for position, photo in enumerate(photos):
        if not (store.exists(photo.sha256) and store.exists(photo.thumb_sha256)):
            store.save(photo.sha256, photo.jpeg)
            store.save(photo.thumb_sha256, photo.thumb)
        report.photos.append(Photo(position=position, sha256=photo.sha256,
                                   thumb_sha256=photo.thumb_sha256, width=photo.width,
                                   height=photo.height, size_bytes=len(photo.jpeg)))
