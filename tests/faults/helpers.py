"""What the fault tests share: report bodies, stored files, counting rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kopingreport.reports.models import Photo, Report
from tests.factories import jpeg_with_gps

BOUNDARY = "----kopingreportfaulttest"


def multipart(fields: dict[str, str], photos: list[bytes]) -> bytes:
    """A multipart/form-data body, built by hand so that it can be sent in pieces."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    for i, photo in enumerate(photos):
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
                     f'filename="p{i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + photo + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def two_photos() -> list[bytes]:
    return [jpeg_with_gps((900, 700)), jpeg_with_gps((700, 900), orientation=6)]


def stored_files(upload_dir: str | Path) -> list[Path]:
    """Every file under the photo store, temporary ones included."""
    root = Path(upload_dir) / "photos"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts(session: sa.orm.Session) -> tuple[int, int]:
    """(reports, photos) stored."""
    session.expire_all()
    reports = session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0
    photos = session.scalar(sa.select(sa.func.count()).select_from(Photo)) or 0
    session.rollback()
    return reports, photos


def referenced_files(session: sa.orm.Session) -> set[str]:
    """File names of the photos and thumbnails stored reports refer to."""
    rows: Any = session.execute(sa.select(Photo.sha256, Photo.thumb_sha256)).all()
    session.rollback()
    return {f"{sha}.jpg" for row in rows for sha in row}
