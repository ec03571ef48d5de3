"""``flask backup DEST``: a consistent copy of an SQLite database and the uploads.

The database is copied with SQLite's online backup API (safe while the app writes), then
the uploads directory is written to one tar file. For PostgreSQL the command refuses and
prints the ``pg_dump`` command to use instead.
"""

from __future__ import annotations

import sqlite3
import tarfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DATABASE_FILE = "kopingreport.sqlite"
UPLOADS_FILE = "uploads.tar"


class BackupRefused(Exception):
    """The database is not SQLite; the message says what to run instead."""


@dataclass(frozen=True)
class Backup:
    """Where a backup was written and what it holds."""

    directory: Path
    database_pages: int
    files: int


def sqlite_path(url: str) -> Path:
    """The file of an ``sqlite:///…`` URL; BackupRefused for any other database."""
    if not url.startswith("sqlite:///"):
        raise BackupRefused(postgresql_instructions())
    return Path(url.removeprefix("sqlite:///"))


def postgresql_instructions() -> str:
    """The documented commands for a PostgreSQL deployment (no secrets printed)."""
    return ("This database is not SQLite: back it up with pg_dump, and the uploads with tar:\n"
            '  pg_dump --format=custom --file=DEST/kopingreport.dump '
            '"$DATABASE_URL"\n'
            "  tar -cf DEST/uploads.tar -C \"$UPLOAD_DIR\" .\n"
            "Restore: pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" "
            "DEST/kopingreport.dump, then tar -xf DEST/uploads.tar -C \"$UPLOAD_DIR\".")


def backup(database_url: str, upload_dir: Path, dest: Path, now: datetime) -> Backup:
    """Write ``dest/<UTC time>/kopingreport.sqlite`` and ``uploads.tar``."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    target = dest / now.strftime("kopingreport-%Y%m%dT%H%M%SZ")
    target.mkdir(parents=True, exist_ok=False)
    pages = _copy_database(source, target / DATABASE_FILE)
    files = _tar_uploads(upload_dir, target / UPLOADS_FILE)
    return Backup(target, pages, files)


def _copy_database(source: Path, target: Path) -> int:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the copy failed its integrity check: {check}")
        return int(dst.execute("PRAGMA page_count").fetchone()[0])
    finally:
        src.close()
        dst.close()


def _tar_uploads(upload_dir: Path, target: Path) -> int:
    files = 0
    with tarfile.open(target, "w") as tar:
        if upload_dir.is_dir():
            for path in sorted(upload_dir.rglob("*")):
                if path.is_file() and not path.name.endswith(".tmp"):
                    tar.add(path, arcname=str(path.relative_to(upload_dir)), recursive=False)
                    files += 1
    return files


def restore(backup_dir: Path, database_file: Path, upload_dir: Path) -> None:
    """Put a backup in place (the app must be stopped): the database file and the uploads."""
    database_file.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(backup_dir / DATABASE_FILE)
    dst = sqlite3.connect(database_file)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    upload_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup_dir / UPLOADS_FILE) as tar:
        tar.extractall(upload_dir, filter="data")
