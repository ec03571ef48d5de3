"""A resident downloads or deletes what a report holds about them from its receipt link; an
account holder does the same for the account."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import User
from kopingreport.moderation.models import AuditEvent, ReportCase
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.reports.models import Photo, ReportContact
from tests.factories import CENTRE, PASSWORD, csrf_token, log_in_as, make_user
from tests.neighbourhood.helpers import make_entry
from tests.privacy.helpers import photo_files, report_by_token, send_report


def test_receipt_links_to_the_reporters_data(client: FlaskClient) -> None:
    token = send_report(client)
    page = client.get(f"/status/{token}").get_data(as_text=True)
    assert f"/status/{token}/data" in page and f"/status/{token}/delete" in page


def test_download_holds_the_report_as_sent_with_contact_and_photos(
        client: FlaskClient) -> None:
    token = send_report(client, description="Trasig lykta <script>x</script>")
    response = client.get(f"/status/{token}/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_json()
    assert data["description"] == "Trasig lykta <script>x</script>"
    assert data["contact"] == {"email": "anna@example.se", "phone": "070-123 45 67"}
    assert data["position"]["lat"] == CENTRE[0] and data["state"] == "new"
    assert len(data["photos"]) == 1 and client.get(data["photos"][0]).status_code == 200

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/status/{token}/data.zip").data))
    assert sorted(archive.namelist()) == ["photo-1.jpg", "report.json"]
    assert archive.read("photo-1.jpg")[:2] == b"\xff\xd8"
    assert json.loads(archive.read("report.json"))["reference"] == data["reference"]

    page = client.get(f"/status/{token}/data").get_data(as_text=True)
    assert "anna@example.se" in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page


def test_unknown_token_reveals_nothing(client: FlaskClient) -> None:
    send_report(client)
    for path in ("data", "data.json", "data.zip", "delete"):
        assert client.get(f"/status/not-a-token/{path}").status_code == 404
    assert client.post("/status/not-a-token/delete").status_code in (400, 404)


def test_delete_needs_csrf_and_confirmation(client: FlaskClient, db_session) -> None:
    token = send_report(client)
    assert client.post(f"/status/{token}/delete", data={"confirm": "y"}).status_code == 400
    unticked = client.post(f"/status/{token}/delete",
                           data={"csrf_token": csrf_token(client, f"/status/{token}/delete")})
    assert unticked.status_code == 422
    assert "Kryssa i rutan" in unticked.get_data(as_text=True)  # Swedish by default
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ReportContact)) == 1


def test_delete_removes_personal_data_and_keeps_the_record(app: Flask, client: FlaskClient,
                                                           db_session) -> None:
    token = send_report(client, description="Lampan vid busshållplatsen är trasig")
    page = client.get(f"/status/{token}/delete?lang=en").get_data(as_text=True)
    assert "What is deleted" in page and "What is kept, and why" in page
    assert "arkivlagen" in page
    response = client.post(f"/status/{token}/delete", data={
        "csrf_token": csrf_token(client, f"/status/{token}/delete"), "confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith(token)

    report = report_by_token(db_session, token)
    assert report.description == "Lampan vid busshållplatsen är trasig"
    assert report.contact is None and report.photos == [] and report.user_id is None
    assert report.area is not None and report.accuracy_m is None
    assert (report.lat, report.lon) == (round(CENTRE[0], 2), round(CENTRE[1], 2))
    assert photo_files(app) == set()
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.report_id == report.id,
                                                         AuditEvent.action == "reporter_erased"))
    assert event.after == {"contact": True, "photos": 1, "position": True, "account": False}

    receipt = client.get(f"/status/{token}?lang=en").get_data(as_text=True)
    assert "You deleted your personal data from this report" in receipt
    assert f"/status/{token}/delete" not in receipt
    data = client.get(f"/status/{token}/data.json").get_json()
    assert data["contact"] is None and data["photos"] == []
    assert data["personal_data_deleted_at"]


def test_account_download_has_account_reports_and_registrations(
        app: Flask, client: FlaskClient) -> None:
    account = log_in_as(app, client, "resident", two_factor=False)
    send_report(client, contact=False, description="Min rapport")
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == account["email"]
    assert [r["description"] for r in data["reports"]] == ["Min rapport"]
    assert "password_hash" not in json.dumps(data) and "totp" not in json.dumps(data)
    assert client.get("/account?lang=en").get_data(as_text=True).count("/account/delete") == 1


def test_account_pages_need_a_login(client: FlaskClient) -> None:
    for path in ("/account/data.json", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def _delete_account(client: FlaskClient, password: str = PASSWORD, confirm: str = "y"):
    return client.post("/account/delete", data={
        "csrf_token": csrf_token(client, "/account/delete"), "password": password,
        "confirm": confirm})


def test_deleting_the_account_anonymises_it_and_ends_sessions(
        app: Flask, client: FlaskClient, db_session) -> None:
    account = log_in_as(app, client, "resident", two_factor=False)
    token = send_report(client, description="Skickad inloggad")
    make_entry(app, "other@example.se")
    entry = db_session.scalar(sa.select(NeighbourhoodContact))
    entry.user_id = account["id"]
    db_session.commit()
    other = app.test_client()
    from tests.factories import log_in
    assert log_in(other, account).status_code == 303

    assert _delete_account(client, password="wrong password!").status_code == 422
    assert _delete_account(client, confirm="").status_code == 422
    response = _delete_account(client)
    assert response.status_code == 200
    db_session.expire_all()
    user = db_session.get(User, account["id"])
    assert user.email == f"deleted-{user.id}@invalid" and not user.is_enabled
    assert db_session.scalar(sa.select(sa.func.count()).select_from(NeighbourhoodContact)) == 0
    report = report_by_token(db_session, token)
    assert report.description == "Skickad inloggad" and report.user_id is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Photo)) == 0
    for browser in (client, other):
        assert browser.get("/account").status_code == 302
    assert log_in(app.test_client(), account).status_code == 422


def test_staff_with_open_cases_cannot_delete_themselves(app: Flask, client: FlaskClient,
                                                        db_session) -> None:
    token = send_report(client, photo=False)
    account = log_in_as(app, client, "moderator")
    db_session.add(ReportCase(report_id=report_by_token(db_session, token).id,
                              assignee_id=account["id"]))
    db_session.commit()
    page = client.get("/account/delete?lang=en").get_data(as_text=True)
    assert "You still have 1 open cases" in page
    assert client.post("/account/delete", data={
        "csrf_token": csrf_token(client, "/account"),
        "password": PASSWORD, "confirm": "y"}).status_code == 409
    db_session.expire_all()
    assert db_session.get(User, account["id"]).is_enabled


def test_the_last_administrator_cannot_delete_themselves(app: Flask, client: FlaskClient,
                                                         db_session) -> None:
    account = log_in_as(app, client, "admin")
    page = client.get("/account/delete?lang=en").get_data(as_text=True)
    assert "You are the only administrator" in page
    make_user(app, "admin", "second-admin@koping.example")
    assert "You are the only administrator" not in client.get(
        "/account/delete?lang=en").get_data(as_text=True)
    assert _delete_account(client).status_code == 200
    db_session.expire_all()
    assert not db_session.get(User, account["id"]).is_enabled
