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


PASSWORD = "correct horse battery staple"


def make_user(app: Any, role: str, email: str | None = None, *, two_factor: bool = True,
              organisation: str | None = None) -> dict[str, Any]:
    """Create an account directly in the database; returns its login details."""
    import pyotp

    from kopingreport.accounts.models import Organisation, OrganisationKind
    from kopingreport.accounts.services import create_user
    from kopingreport.db import get_session
    from kopingreport.security import Role

    email = email or f"{role}@koping.example"
    secret = pyotp.random_base32() if two_factor else None
    with app.app_context():
        session = get_session()
        org = None
        if organisation:
            org = Organisation(name=organisation, kind=OrganisationKind.POLICE)
            session.add(org)
        user = create_user(session, None, email, PASSWORD, Role(role), organisation=org)
        user.totp_secret = secret
        session.commit()
        return {"id": user.id, "email": email, "password": PASSWORD, "secret": secret}


def log_in(client: FlaskClient, account: dict[str, Any], next_url: str = "") -> Any:
    """Log in through the real form (and the two-factor step when the account has it)."""
    import pyotp

    token = csrf_token(client, "/login")
    query = f"?next={next_url}" if next_url else ""
    response = client.post(f"/login{query}", data={"csrf_token": token, "email": account["email"],
                                                   "password": account["password"]})
    if account.get("secret") and response.status_code == 303 and \
            response.headers["Location"].endswith("/login/code"):
        token = csrf_token(client, "/login/code")
        response = client.post("/login/code", data={
            "csrf_token": token, "code": pyotp.TOTP(account["secret"]).now()})
    return response


def log_in_as(app: Any, client: FlaskClient, role: str, **kwargs: Any) -> dict[str, Any]:
    """Create an account of ``role`` and log the client in with it."""
    account = make_user(app, role, **kwargs)
    response = log_in(client, account)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return account
