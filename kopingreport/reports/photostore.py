"""Processed photos on disk, addressed by the sha256 of their bytes.

Layout: ``<root>/ab/cd/<sha256>.jpg``. Names are validated as 64 lowercase hex digits, so no
caller-supplied string can reach the filesystem as a path. Writes are atomic (temporary file
in the same directory, fsync, ``os.replace``), so a reader never sees half a photo.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Final

_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")
_FILE_MODE: Final = 0o644  # further restricted by the process umask
_SUFFIX: Final = ".jpg"
_FULL_ERRNOS: Final = frozenset({errno.ENOSPC, errno.EDQUOT})


class PhotoStoreError(OSError):
    """A photo could not be written (nothing of it is left behind). ``full`` when the disk or
    quota is full, else the store is unusable for another reason (read-only, I/O error)."""

    def __init__(self, code: int | None) -> None:
        self.full = code in _FULL_ERRNOS
        super().__init__(code, "photo store full" if self.full else "photo store unavailable")


class PhotoStore:
    """Processed photos on disk, addressed by content hash (sha256 hex)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where the photo with this hash lives; ``ValueError`` unless ``sha256`` is 64
        lowercase hex digits."""
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            raise ValueError("photo id must be 64 lowercase hex digits")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}{_SUFFIX}"

    def save(self, sha256: str, data: bytes) -> Path:
        """Store ``data`` under its hash, atomically; a photo already stored is left alone.

        ``ValueError`` when ``sha256`` is not the hash of ``data``; ``PhotoStoreError`` when
        the file cannot be written (disk full, read-only, I/O error).
        """
        target = self.path(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("photo bytes do not match their sha256")
        if target.is_file():
            try:  # fresh again, so the purge's sweep of unreferenced old files spares it
                os.utime(target)
            except OSError:
                pass
            return target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, data)
        except OSError as err:
            raise PhotoStoreError(err.errno) from err
        return target

    def exists(self, sha256: str) -> bool:
        """Whether the photo with this hash is stored."""
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` when the photo is not stored."""
        return self.path(sha256).read_bytes()

    def delete(self, sha256: str) -> None:
        """Remove the photo; removing a photo that is not stored is not an error."""
        self.path(sha256).unlink(missing_ok=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, fsync it, then rename it into place."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 _FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
