"""PhotoStore: content-addressed, atomic, traversal-proof storage of processed photos."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kopingreport.reports.photostore import PhotoStore

DATA = b"\xff\xd8 pretend this is a processed JPEG \xff\xd9"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos")


def test_path_fans_out_by_hash_prefix(store, tmp_path):
    assert store.path(SHA) == tmp_path / "photos" / SHA[:2] / SHA[2:4] / f"{SHA}.jpg"


def test_save_read_exists_delete(store):
    assert not store.exists(SHA)
    path = store.save(SHA, DATA)
    assert path == store.path(SHA) and path.read_bytes() == DATA
    assert store.exists(SHA)
    assert store.read(SHA) == DATA
    store.delete(SHA)
    assert not store.exists(SHA)
    with pytest.raises(FileNotFoundError):
        store.read(SHA)


def test_delete_missing_is_fine(store):
    store.delete(SHA)
    store.delete(SHA)


def test_save_is_idempotent_and_leaves_no_temp_files(store):
    first = store.save(SHA, DATA)
    inode = first.stat().st_ino
    week_ago = first.stat().st_mtime - 7 * 86400
    os.utime(first, (week_ago, week_ago))
    assert store.save(SHA, DATA) == first
    assert first.stat().st_ino == inode  # not written again ...
    assert first.stat().st_mtime > week_ago + 86400  # ... but fresh, so the purge spares it
    assert sorted(p.name for p in first.parent.iterdir()) == [f"{SHA}.jpg"]


def test_save_accepts_str_root(tmp_path):
    store = PhotoStore(str(tmp_path))
    assert store.save(SHA, DATA).is_relative_to(tmp_path)


def test_files_follow_the_umask_not_world_writable(store):
    mode = store.save(SHA, DATA).stat().st_mode & 0o777
    assert mode & 0o022 == 0 and mode & 0o600 == 0o600


def test_save_refuses_bytes_that_do_not_match_the_hash(store):
    with pytest.raises(ValueError):
        store.save(SHA, DATA + b"tampered")
    assert not store.exists(SHA)


def test_failed_write_leaves_nothing_behind(store, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(SHA, DATA)
    monkeypatch.undo()
    assert not store.exists(SHA)
    assert list(store.path(SHA).parent.iterdir()) == []


@pytest.mark.parametrize("name", [
    "../etc/passwd", "../../" + "a" * 58, "/etc/passwd", "a" * 63, "a" * 65, SHA.upper(),
    SHA[:-1] + "g", SHA + "\n", SHA[:32] + "/" + SHA[33:], "", "..", "./" + SHA[2:],
    SHA[:10] + "\x00" + SHA[11:],
])
def test_names_that_are_not_a_sha256_are_rejected(store, name):
    for call in (store.path, store.exists, store.read, store.delete):
        with pytest.raises(ValueError):
            call(name)
    with pytest.raises(ValueError):
        store.save(name, DATA)


def test_non_string_names_are_rejected(store):
    with pytest.raises(ValueError):
        store.path(SHA.encode())  # type: ignore[arg-type]
