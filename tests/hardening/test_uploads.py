"""Fuzzed uploads through the HTML form and the API: truncated and empty files, bombs,
polyglots, wrong names and types. A bad photo is a clear error that keeps what was typed and
stores nothing; a photo that is accepted is re-encoded, so nothing hidden in it survives."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from kopingreport.db import get_session
from kopingreport.reports.models import Photo, Report
from tests.factories import CSRF_RE, SUBMISSION_RE, jpeg_with_gps, png_bytes, report_fields

SCRIPT = b"<script>alert(document.cookie)</script>"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_of_size(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` × ``height`` with a tiny (bogus) image body."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body)
            + _png_chunk(b"IEND", b""))


def bomb() -> bytes:
    """A real PNG of 12000 × 12000 px (144 Mpx) that compresses to a few hundred KB."""
    row = b"\x00" + b"\x00" * (12000 * 1)
    raw = zlib.compress(row * 12000, 9)
    header = struct.pack(">IIBBBBB", 12000, 12000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", raw)
            + _png_chunk(b"IEND", b""))


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(buffer, "GIF")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Evil.class", b"\xca\xfe\xba\xbe" + b"\x00" * 40)
    return buffer.getvalue()


JPEG = jpeg_with_gps((320, 240))
BAD = {
    "empty.jpg": (b"", "image/jpeg"),
    "truncated.jpg": (JPEG[: len(JPEG) // 3], "image/jpeg"),
    "header-only.jpg": (JPEG[:20], "image/jpeg"),
    "zero-by-zero.png": (png_of_size(0, 0), "image/png"),
    "huge-claim.png": (png_of_size(1_000_000, 1_000_000), "image/png"),
    "bomb.png": (bomb(), "image/png"),
    "script.svg.jpg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                       b"</svg>", "image/jpeg"),
    "page.jpg": (b"<!doctype html><html>" + SCRIPT + b"</html>", "image/jpeg"),
    "random.jpg": (bytes(range(256)) * 40, "image/jpeg"),
    "nul.jpg": (b"\x00" * 5000, "application/octet-stream"),
}
#: Files that are pictures after all: accepted, re-encoded as clean JPEG.
GOOD = {
    "polyglot.jpg": (JPEG + b"<html>" + SCRIPT + b"</html>", "text/html"),
    "gifar.gif": (gif_bytes() + zip_bytes(), "image/gif"),
    "png-named.jpg": (png_bytes(), "image/jpeg"),
    "jpeg-named.txt": (JPEG, "text/plain"),
    "comment.jpg": (JPEG[:2] + b"\xff\xfe" + struct.pack(">H", len(SCRIPT) + 2) + SCRIPT
                    + JPEG[2:], "image/jpeg"),
}


def _state(app: Flask) -> tuple[int, int, set[Path]]:
    with app.app_context():
        session = get_session()
        reports = session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0
        photos = session.scalar(sa.select(sa.func.count()).select_from(Photo)) or 0
    root = Path(app.config["UPLOAD_DIR"])
    return reports, photos, ({p for p in root.rglob("*") if p.is_file()} if root.exists()
                             else set())


def _send(client: FlaskClient, via: str, name: str, content: bytes, mimetype: str) -> Any:
    fields: dict[str, Any] = report_fields(description="Trasig lampa vid torget i kväll.")
    fields["photos"] = [(io.BytesIO(content), name, mimetype)]
    if via == "api":
        return client.post("/api/v1/reports", data=fields, content_type="multipart/form-data")
    page = client.get("/report").get_data(as_text=True)
    fields.update(csrf_token=CSRF_RE.search(page).group(1),  # type: ignore[union-attr]
                  submission_id=SUBMISSION_RE.search(page).group(1))  # type: ignore[union-attr]
    return client.post("/report", data=fields, content_type="multipart/form-data")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("via", ["form", "api"])
@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_uploads_are_refused_and_nothing_is_stored(app: Flask, client: FlaskClient,
                                                       via: str, name: str) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _state(app)
    response = _send(client, via, name, *BAD[name])
    assert response.status_code == 422, (name, response.status_code)
    assert _state(app) == before
    if via == "api":
        messages = response.get_json()["errors"]["photos"]
        assert len(messages) == 1 and name in messages[0]
    else:
        html = response.get_data(as_text=True)
        assert name in html and "Trasig lampa vid torget i kväll." in html


@pytest.mark.parametrize("via", ["form", "api"])
@pytest.mark.parametrize("name", sorted(GOOD))
def test_pictures_in_disguise_are_re_encoded_clean(app: Flask, client: FlaskClient, via: str,
                                                   name: str) -> None:
    response = _send(client, via, name, *GOOD[name])
    assert response.status_code in {201, 303}, (name, response.get_data(as_text=True)[:300])
    reports, photos, stored = _state(app)
    assert reports == 1 and photos == 1 and stored
    for path in stored:
        data = path.read_bytes()
        assert data.startswith(b"\xff\xd8") and b"<script" not in data and b"PK\x03" not in data
        assert Image.open(io.BytesIO(data)).format == "JPEG"
