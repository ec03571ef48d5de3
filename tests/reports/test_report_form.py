"""The HTML report form, as a browser without JavaScript uses it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.reports.models import Photo, Report, ReportContact
from tests.factories import CENTRE, GPS_SECRET, csrf_token, jpeg_with_gps, post_form

STATUS_RE = re.compile(r"/status/([A-Za-z0-9_-]+)\?sent=1")


def count(db_session: sa.orm.Session, model: type) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_form_page_has_safety_box_categories_and_csrf(client: FlaskClient) -> None:
    html = client.get("/report", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'href="tel:112"' in html and "114 14" in html and "polisen.se" in html
    assert 'value="lighting"' in html and 'value="graffiti"' in html
    assert 'name="csrf_token"' in html
    assert '<html lang="sv" dir="ltr">' in html


def test_submit_without_javascript_gives_receipt(client: FlaskClient, db_session) -> None:
    response = post_form(client, place="Vid Torget", contact_email="anna@example.se")
    assert response.status_code == 303
    token = STATUS_RE.search(response.headers["Location"]).group(1)
    report = db_session.scalar(sa.select(Report))
    assert report.reference.startswith("KPG-") and report.area.code == "centrum"
    assert report.place == "Vid Torget" and report.state == "new"
    assert token not in (report.receipt_hash, report.reference)
    assert db_session.scalar(sa.select(ReportContact.email)) == "anna@example.se"
    page = client.get(f"/status/{token}?sent=1").get_data(as_text=True)
    assert report.reference in page and "anna@example.se" not in page


def test_point_gives_area_by_polygon(client: FlaskClient, db_session) -> None:
    response = post_form(client, area="", lat=str(CENTRE[0]), lon=str(CENTRE[1]),
                         accuracy="12", location_source="gps")
    assert response.status_code == 303
    report = db_session.scalar(sa.select(Report))
    assert report.area is not None and report.accuracy_m == 12
    assert report.location_source == "gps"


def test_errors_keep_what_was_typed_and_store_nothing(client: FlaskClient, db_session) -> None:
    response = post_form(client, category="", area="", description="Trasig <b>lampa</b>",
                         contact_phone="070-1234567")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Trasig &lt;b&gt;lampa&lt;/b&gt;" in html and 'value="070-1234567"' in html
    assert 'id="error-summary"' in html and 'aria-invalid="true"' in html
    assert count(db_session, Report) == 0


def test_photo_is_stored_without_metadata(app: Flask, client: FlaskClient, db_session) -> None:
    photo = jpeg_with_gps()
    response = post_form(client, photos=[(io.BytesIO(photo), "IMG_0001.jpg")])
    assert response.status_code == 303
    stored = db_session.scalar(sa.select(Photo))
    files = {p.name: p.read_bytes() for p in stored_files(app)}
    assert f"{stored.sha256}.jpg" in files and f"{stored.thumb_sha256}.jpg" in files
    for data in files.values():
        assert b"Exif" not in data and b"SecretCam" not in data and b"secret comment" not in data
        assert bytes(GPS_SECRET) not in data
    assert photo not in files.values()  # the original is never kept


def test_bad_photo_is_refused_and_nothing_is_left(app: Flask, client: FlaskClient,
                                                  db_session) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_form(client, photos=[(io.BytesIO(svg), "evil.jpg")],
                         description="Krossad ruta")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "evil.jpg" in html and "Krossad ruta" in html
    assert count(db_session, Report) == 0 and stored_files(app) == []


def test_accepted_photo_is_kept_when_other_fields_fail(client: FlaskClient, db_session) -> None:
    response = post_form(client, category="", photos=[(io.BytesIO(jpeg_with_gps()), "a.jpg")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    kept = re.findall(r'name="kept_photos" value="([^"]+)"', html)
    assert len(kept) == 1
    assert client.get(f"/report/kept/{kept[0]}.jpg").status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/report", data={
        "csrf_token": token, "submission_id": submission, "category": "vandalism",
        "description": "Krossad ruta", "area": "centrum", "reporter_kind": "resident",
        "kept_photos": kept[0]}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert count(db_session, Photo) == 1


def test_forged_kept_photo_token_is_ignored(client: FlaskClient, db_session) -> None:
    response = post_form(client, kept_photos="forged.token")
    assert response.status_code == 303
    assert count(db_session, Photo) == 0
    assert client.get("/report/kept/forged.token.jpg").status_code == 404


def test_double_submit_creates_one_report(client: FlaskClient, db_session) -> None:
    html = client.get("/report").get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                    html).group(1),
            "submission_id": re.search(r'name="submission_id" type="hidden" value="([^"]+)"',
                                       html).group(1),
            "category": "graffiti", "description": "Klotter", "area": "centrum",
            "reporter_kind": "resident"}
    first = client.post("/report", data=data)
    second = client.post("/report", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db_session, Report) == 1


def test_point_outside_municipality_needs_confirmation(client: FlaskClient, db_session) -> None:
    vasteras = {"area": "", "lat": "59.6099", "lon": "16.5448"}
    response = post_form(client, **vasteras)
    assert response.status_code == 422
    assert "outside" in response.get_data(as_text=True).lower() or \
        "utanför" in response.get_data(as_text=True)
    assert count(db_session, Report) == 0
    response = post_form(client, confirm_outside="y", **vasteras)
    assert response.status_code == 303
    assert db_session.scalar(sa.select(Report.is_outside_municipality)) is True


def test_missing_csrf_token_is_refused(client: FlaskClient, db_session) -> None:
    response = client.post("/report", data={"category": "graffiti", "description": "x",
                                            "area": "centrum", "reporter_kind": "resident"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    assert count(db_session, Report) == 0


def test_hostile_values_get_field_errors(client: FlaskClient, db_session) -> None:
    response = post_form(client, category="'; DROP TABLE reports; --", area="../../etc",
                         lat="NaN", lon="1e999", occurred_at="2999-01-01T00:00",
                         reporter_kind="admin", contact_email="<script>@x",
                         description="a\x00b")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>@x" not in html
    assert count(db_session, Report) == 0


def test_time_in_the_future_is_refused(client: FlaskClient, db_session) -> None:
    response = post_form(client, occurred_at="2999-01-01T10:00")
    assert response.status_code == 422
    assert count(db_session, Report) == 0


def test_too_large_photo_gets_a_field_error(app: Flask, client: FlaskClient,
                                            db_session) -> None:
    app.config["MAX_PHOTO_BYTES"] = 10_000
    big = jpeg_with_gps((1600, 1200))
    assert len(big) > 10_000
    response = post_form(client, photos=[(io.BytesIO(big), "big.jpg")], description="Stor")
    assert response.status_code == 422 and "Stor" in response.get_data(as_text=True)
    assert count(db_session, Report) == 0


def test_request_over_the_limit_gets_a_friendly_413(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    token = csrf_token(client)
    response = client.post("/report", data={"csrf_token": token, "photos": [
        (io.BytesIO(b"x" * 100_000), "huge.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and "<h1>" in html


def test_photo_access_needs_the_receipt(client: FlaskClient, db_session) -> None:
    response = post_form(client, photos=[(io.BytesIO(jpeg_with_gps()), "a.jpg")])
    token = STATUS_RE.search(response.headers["Location"]).group(1)
    photo = client.get(f"/status/{token}/photos/0/full.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]
    assert client.get(f"/status/{token}x/photos/0/full.jpg").status_code == 404
    photo_id = db_session.scalar(sa.select(Photo.id))
    staff = client.get(f"/admin/photos/{photo_id}/full.jpg")
    assert staff.status_code == 302 and "/login" in staff.headers["Location"]


def test_status_page_escapes_text_and_hides_token_from_referrers(client: FlaskClient) -> None:
    response = post_form(client, place='<img src=x onerror="alert(1)">')
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert '<img src=x onerror' not in html and "&lt;img src=x" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]


def test_status_json(client: FlaskClient) -> None:
    location = post_form(client).headers["Location"]
    body = client.get(location, headers={"Accept": "application/json"}).get_json()
    assert body["reference"].startswith("KPG-") and body["state"] == "new"
    assert body["public_reply"] is None and "contact" not in body


def test_unknown_status_token_is_404(client: FlaskClient) -> None:
    assert client.get("/status/not-a-real-token").status_code == 404
