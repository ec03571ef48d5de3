"""Which stored photo files the database still needs, and removing the rest.

Files are shared by content hash (the same picture sent twice is stored once), so a file may
only go when no table names it any more.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.moderation.models import PhotoRedaction
from kopingreport.reports.models import Photo
from kopingreport.reports.photostore import PhotoStore
from kopingreport.surveys.models import SurveyAnswer
from kopingreport.walks.models import WalkStopPhoto

#: Every column that names a file in the photo store.
HASH_COLUMNS = (Photo.sha256, Photo.thumb_sha256, PhotoRedaction.sha256,
                PhotoRedaction.thumb_sha256, WalkStopPhoto.sha256, WalkStopPhoto.thumb_sha256,
                SurveyAnswer.photo_sha256, SurveyAnswer.thumb_sha256)
_CHUNK = 500
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def hashes_of_photos(session: Session, photo_ids: Iterable[int]) -> set[str]:
    """The files of these report photos and of every redacted copy of them."""
    ids = list(photo_ids)
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in session.execute(sa.select(Photo.sha256, Photo.thumb_sha256)
                                   .where(Photo.id.in_(chunk))):
            found.update(row)
        for row in session.execute(sa.select(PhotoRedaction.sha256, PhotoRedaction.thumb_sha256)
                                   .where(PhotoRedaction.photo_id.in_(chunk))):
            found.update(row)
    return found


def unreferenced(session: Session, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` that no row names (as the session sees the database now)."""
    left = set(hashes)
    items = sorted(left)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        for column in HASH_COLUMNS:
            left.difference_update(session.scalars(sa.select(column).where(column.in_(chunk))))
    return left


def stored_before(store: PhotoStore, moment: datetime) -> Iterator[str]:
    """Hashes of the stored files last written before ``moment``."""
    if not store.root.is_dir():
        return
    limit = moment.timestamp()
    for path in store.root.glob("??/??/*.jpg"):
        try:
            if _SHA256_HEX.fullmatch(path.stem) and path.stat().st_mtime < limit:
                yield path.stem
        except FileNotFoundError:  # removed meanwhile
            continue


def remove(store: PhotoStore, hashes: Iterable[str]) -> int:
    """Delete these files; returns how many were there."""
    removed = 0
    for sha in hashes:
        path: Path = store.path(sha)
        if path.is_file():
            store.delete(sha)
            removed += 1
    return removed
