"""Redacting report photos: a blurred or blacked-out copy replaces the public one."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.moderation import audit
from kopingreport.moderation.models import PhotoRedaction
from kopingreport.moderation.redaction import Region, RedactionMode, redact
from kopingreport.reports.models import Photo
from kopingreport.reports.photostore import PhotoStore


def redact_photo(session: Session, actor: User, photo: Photo, regions: Sequence[Region],
                 mode: RedactionMode, store: PhotoStore, base: PhotoRedaction | None = None
                 ) -> PhotoRedaction:
    """Redact ``regions`` of the photo (or of its newest redaction ``base``, so that
    redactions add up) and record the copy."""
    source = store.read(base.sha256 if base else photo.sha256)
    result = redact(source, regions, mode)
    store.save(result.sha256, result.jpeg)
    store.save(result.thumb_sha256, result.thumb)
    redaction = PhotoRedaction(photo_id=photo.id, sha256=result.sha256,
                               thumb_sha256=result.thumb_sha256, actor_id=actor.id)
    session.add(redaction)
    audit.record(session, actor, photo.report, "photo_redacted",
                 {"photo": photo.position, "sha256": base.sha256 if base else photo.sha256},
                 {"photo": photo.position, "sha256": result.sha256, "mode": str(mode),
                  "regions": [[r.x, r.y, r.w, r.h] for r in regions]})
    session.flush()
    return redaction
