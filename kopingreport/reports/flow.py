"""The submission flow shared by the HTML form and the JSON API (web layer)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from kopingreport.db import commit_with_retry, sqlite_writer
from kopingreport.i18n import current_locale
from kopingreport.reports import areas as area_service
from kopingreport.reports.forms import ReportForm
from kopingreport.reports.images import PhotoSettings, ProcessedPhoto
from kopingreport.reports.photostore import PhotoStore
from kopingreport.reports.services import (SubmitResult, begin_submission,
                                           discard_unreferenced, photo_files, prepare_report,
                                           save_photo_files, store_report)

KEPT_MAX_AGE = 24 * 3600


def photo_store() -> PhotoStore:
    """The store of processed photos under ``UPLOAD_DIR``."""
    return PhotoStore(Path(current_app.config["UPLOAD_DIR"]) / "photos")


def photo_settings() -> PhotoSettings:
    """Photo limits from the configuration."""
    cfg = current_app.config
    return PhotoSettings(max_edge=cfg["PHOTO_MAX_EDGE"], thumb_edge=cfg["PHOTO_THUMB_EDGE"],
                         quality=cfg["PHOTO_QUALITY"], max_pixels=cfg["MAX_IMAGE_PIXELS"],
                         max_bytes=cfg["MAX_PHOTO_BYTES"])


def _kept_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kept-photo")


def keep_token(photo: ProcessedPhoto) -> str:
    """A signed token that lets the next attempt of the form reuse an accepted photo."""
    return _kept_serializer().dumps([photo.sha256, photo.thumb_sha256, photo.width,
                                     photo.height])


def read_kept_token(token: str) -> tuple[str, str, int, int] | None:
    """The photo a keep token names, or None if it is forged or too old."""
    try:
        sha, thumb, width, height = _kept_serializer().loads(token, max_age=KEPT_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(sha), str(thumb), int(width), int(height)


def restore_kept_photos(store: PhotoStore) -> list[ProcessedPhoto]:
    """Photos accepted in an earlier attempt of this form, minus those the person removed."""
    removed = set(request.form.getlist("remove_kept"))
    photos = []
    for token in request.form.getlist("kept_photos")[:5]:
        named = read_kept_token(token) if token not in removed else None
        if named and store.exists(named[0]) and store.exists(named[1]):
            sha, thumb, width, height = named
            photos.append(ProcessedPhoto(jpeg=store.read(sha), thumb=store.read(thumb),
                                         width=width, height=height, sha256=sha,
                                         thumb_sha256=thumb))
    return photos


def build_form(session: Session, *, csrf: bool = True) -> ReportForm:
    """A report form bound to this request, with the active areas and kept photos."""
    choices = area_service.area_choices(session)
    kept = restore_kept_photos(photo_store()) if request.method == "POST" else []
    return ReportForm(area_codes=choices, photo_settings=photo_settings(),
                      max_photos=current_app.config["MAX_PHOTOS"], kept=kept,
                      meta={"csrf": csrf})


def stash_photos(form: ReportForm) -> list[str]:
    """Store the accepted photos of a form that had errors; return their keep tokens."""
    store = photo_store()
    for photo in form.processed:
        store.save(photo.sha256, photo.jpeg)
        store.save(photo.thumb_sha256, photo.thumb)
    return [keep_token(p) for p in form.photos_in_order()]


def submit(session: Session, form: ReportForm, idempotency_key: str | None) -> SubmitResult:
    """Run the submission service and commit (retrying a lost race once or twice)."""
    data = form.to_input(current_locale())
    store, secret = photo_store(), current_app.config["SECRET_KEY"]
    max_age = current_app.config["REPORT_MAX_AGE_DAYS"]
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    new_files = [sha for sha in photo_files(data) if not store.exists(sha)]
    try:
        # The files first, outside the write transaction: their fsyncs take a while, and the
        # transaction holds the reference counter (and SQLite's one write lock) until commit.
        save_photo_files(store, data)

        def attempt() -> SubmitResult:
            begin_submission(session, data)
            # The key is looked up by the write itself: most are new.
            prepared = prepare_report(session, actor, data, store=store, secret=secret,
                                      idempotency_key=idempotency_key, max_age_days=max_age,
                                      look_up_key=False)
            if isinstance(prepared, SubmitResult):  # a retry of a stored report
                return prepared
            # Only the writes and the commit hold SQLite's one writer: every report waits
            # for it, so whatever can be done before (reads, checks, building) is.
            with sqlite_writer(session):
                result = store_report(session, prepared)
                session.commit()
            return result

        # commit_with_retry's own commit then finds nothing left; what it adds is the retry.
        return commit_with_retry(session, attempt)
    except BaseException:
        # Nothing half-stored: the transaction is rolled back, and the photo files this
        # attempt wrote go too (unless another report uses the same photo).
        session.rollback()
        discard_unreferenced(session, store, new_files)
        raise


def status_url(token: str, **params: object) -> str:
    """The secret status link of a report."""
    return url_for("reports.status", token=token, _external=True, **params)
