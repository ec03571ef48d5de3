"""Helpers that build what tests send: real image files, form posts, users."""

from __future__ import annotations

import io
import re
from typing import Any

from flask.testing import FlaskClient
from PIL import Image, ImageDraw

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SUBMISSION_RE = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')
#: A point in Köping's town centre (lat, lon).
CENTRE = (59.5137, 15.9906)
GPS_SECRET = (57, 42, 0)  # degrees/minutes/seconds that must never reach a stored file


def csrf_token(client: FlaskClient, url: str = "/report") -> str:
    """GET a page and return the CSRF token of its form."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int = 1) -> bytes:
    """A real JPEG carrying EXIF with a GPS position, camera make and a comment."""
    image = Image.new("RGB", size, (40, 120, 200))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(250, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", GPS_SECRET
    gps[3], gps[4] = "E", (11, 58, 0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment", quality=90)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (300, 200)) -> bytes:
    """A plain PNG."""
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 200, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def report_fields(**overrides: Any) -> dict[str, Any]:
    """A valid report as form fields (area given by list; no photos)."""
    fields: dict[str, Any] = {
        "category": "lighting", "description": "Gatlyktorna är släckta längs gångvägen.",
        "area": "centrum", "reporter_kind": "resident", "place": "", "occurred_at": "",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post_form(client: FlaskClient, **overrides: Any) -> Any:
    """Submit the HTML report form like a browser without JavaScript."""
    html = client.get("/report").get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(html).group(1),  # type: ignore[union-attr]
            "submission_id": SUBMISSION_RE.search(html).group(1)}  # type: ignore[union-attr]
    data.update(report_fields(**overrides))
    return client.post("/report", data=data, content_type="multipart/form-data")
