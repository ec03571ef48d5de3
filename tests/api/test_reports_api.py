"""The JSON API the PWA uses: categories, areas, report submission, status."""

from __future__ import annotations

import io
import threading
import uuid

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.reports.models import Photo, Report
from tests.factories import jpeg_with_gps, report_fields


def post(client: FlaskClient, key: str | None = None, headers: dict[str, str] | None = None,
         photos: list[bytes] | None = None, **overrides: object):
    data = report_fields(**overrides)
    if photos:
        data["photos"] = [(io.BytesIO(p), f"p{i}.jpg") for i, p in enumerate(photos)]
    all_headers = {"Idempotency-Key": key} if key else {}
    all_headers.update(headers or {})
    return client.post("/api/v1/reports", data=data, headers=all_headers,
                       content_type="multipart/form-data")


def reports(db_session: sa.orm.Session) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0


def test_categories_in_the_requested_language(client: FlaskClient) -> None:
    english = client.get("/api/v1/categories", headers={"Accept-Language": "en"}).get_json()
    swedish = client.get("/api/v1/categories", headers={"Accept-Language": "sv"}).get_json()
    assert {"code": "graffiti", "name": "Graffiti",
            "help": "Tags or paint on walls, signs or vehicles."} in english
    assert next(c for c in swedish if c["code"] == "graffiti")["name"] == "Klotter"
    assert len(english) == len(swedish) == 20


def test_areas_are_geojson(client: FlaskClient) -> None:
    body = client.get("/api/v1/areas").get_json()
    assert body["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in body["features"]}
    assert {"centrum", "kolsva"} <= codes
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in body["features"])


def test_submit_with_photo(client: FlaskClient, db_session) -> None:
    response = post(client, key=str(uuid.uuid4()), photos=[jpeg_with_gps()],
                    lat="59.5137", lon="15.9906", accuracy="8", area="")
    assert response.status_code == 201
    body = response.get_json()
    assert body["reference"].startswith("KPG-") and body["state"] == "new"
    assert len(body["photos"]) == 1
    assert client.get(body["photos"][0]).mimetype == "image/jpeg"
    status = client.get(body["status_url"], headers={"Accept": "application/json"}).get_json()
    assert status["reference"] == body["reference"]


def test_same_key_same_payload_returns_the_same_report(client: FlaskClient, db_session) -> None:
    key = str(uuid.uuid4())
    first = post(client, key=key, photos=[jpeg_with_gps()])
    second = post(client, key=key, photos=[jpeg_with_gps()])
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert reports(db_session) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Photo)) == 1


def test_same_key_other_payload_is_refused(client: FlaskClient, db_session) -> None:
    key = str(uuid.uuid4())
    assert post(client, key=key).status_code == 201
    response = post(client, key=key, description="Något helt annat")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert reports(db_session) == 1


def test_concurrent_requests_with_one_key_create_one_report(app: Flask, db_session) -> None:
    key, barrier, results = str(uuid.uuid4()), threading.Barrier(4), []

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        results.append(post(client, key=key).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 4
    assert reports(db_session) == 1
    # The INSERTs that lost the race used up no reference number.
    first = db_session.scalar(sa.select(Report.reference))
    following = post(app.test_client(), key=str(uuid.uuid4())).get_json()["reference"]
    assert number(following) == number(first) + 1


def number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


def test_concurrent_reports_get_distinct_consecutive_references(app: Flask, db_session
                                                                ) -> None:
    barrier, references = threading.Barrier(8), []

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        references.append(post(client, key=str(uuid.uuid4())).get_json()["reference"])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(number(r) for r in references)
    assert numbers == list(range(numbers[0], numbers[0] + 8)) and numbers[0] == 1
    assert reports(db_session) == 8


def test_foreign_origin_is_refused(client: FlaskClient, db_session) -> None:
    evil = post(client, key=str(uuid.uuid4()), headers={"Origin": "https://evil.example"})
    cross = post(client, key=str(uuid.uuid4()), headers={"Sec-Fetch-Site": "cross-site"})
    assert evil.status_code == cross.status_code == 403
    assert "errors" in evil.get_json()
    assert reports(db_session) == 0
    own = post(client, key=str(uuid.uuid4()), headers={"Origin": "http://localhost"})
    assert own.status_code == 201


def test_no_csrf_token_or_session_is_needed(client: FlaskClient) -> None:
    # A report queued offline for hours arrives without any session cookie.
    client.delete_cookie("session", domain="localhost")
    assert post(client, key=str(uuid.uuid4())).status_code == 201


def test_validation_errors_in_the_request_language(client: FlaskClient, db_session) -> None:
    english = post(client, headers={"Accept-Language": "en"}, category="", area="")
    swedish = post(client, headers={"Accept-Language": "sv"}, category="", area="")
    assert english.status_code == swedish.status_code == 422
    errors_en, errors_sv = english.get_json()["errors"], swedish.get_json()["errors"]
    assert errors_en["category"] == ["Choose what the report is about."]
    assert errors_sv["category"] != errors_en["category"]
    assert "place" in errors_en
    assert reports(db_session) == 0


def test_bad_photo_is_a_field_error(client: FlaskClient, db_session) -> None:
    response = post(client, photos=[b"%PDF-1.4 not an image"],
                    headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "photos" in response.get_json()["errors"]
    assert reports(db_session) == 0


def test_bad_idempotency_key_and_json_body(client: FlaskClient) -> None:
    bad_key = post(client, key="x" * 300)
    assert bad_key.status_code == 400
    as_json = client.post("/api/v1/reports", json={"category": "graffiti"})
    assert as_json.status_code == 415


def test_reference_numbers_count_up(client: FlaskClient) -> None:
    first = post(client, key=str(uuid.uuid4())).get_json()["reference"]
    second = post(client, key=str(uuid.uuid4())).get_json()["reference"]
    assert number(second) == number(first) + 1
