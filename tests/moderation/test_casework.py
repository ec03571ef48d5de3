"""The moderation back office through the real stack: queue, workflow, replies, redaction,
duplicates, locks and the audit trail."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.moderation.models import AuditEvent, PhotoRedaction, ReportCase, ReportNote
from kopingreport.reports.models import Report
from tests.factories import csrf_token, jpeg_with_gps, log_in_as, post_form

STATUS_RE = re.compile(r"(/status/[A-Za-z0-9_-]+)\?sent=1")


def submit(client: FlaskClient, **fields: object) -> str:
    """A resident's report; returns the status URL."""
    response = post_form(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return STATUS_RE.search(response.headers["Location"]).group(1)


def act(client: FlaskClient, url: str, **data: object):
    return client.post(url, data={"csrf_token": csrf_token(client, "/login"), **data})


def report_id(db_session, reference: str | None = None) -> int:
    db_session.expire_all()
    query = sa.select(Report.id).order_by(Report.id)
    if reference:
        query = query.where(Report.reference == reference)
    return db_session.scalars(query).first()


def test_queue_lists_and_filters(app: Flask, client: FlaskClient, db_session) -> None:
    resident = app.test_client()
    submit(resident, category="graffiti")
    submit(resident, category="lighting", photos=[(io.BytesIO(jpeg_with_gps()), "a.jpg")])
    log_in_as(app, client, "moderator")
    html = client.get("/admin/reports").get_data(as_text=True)
    assert html.count('name="ids"') == 2
    only_photos = client.get("/admin/reports?photo=1").get_data(as_text=True)
    assert only_photos.count('name="ids"') == 1
    graffiti = client.get("/admin/reports?category=graffiti&state=new").get_data(as_text=True)
    assert graffiti.count('name="ids"') == 1
    hostile = client.get("/admin/reports?category=' OR 1=1--&area=<script>&from=x&sort=;drop")
    assert hostile.status_code == 200 and "<script>" not in hostile.get_data(as_text=True)


def test_workflow_reply_and_receipt(app: Flask, client: FlaskClient, db_session) -> None:
    resident = app.test_client()
    status_url = submit(resident, contact_email="anna@example.se")
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    assert act(client, f"/admin/reports/{rid}/state", state="in_review").status_code == 303
    assert act(client, f"/admin/reports/{rid}/state", state="accepted").status_code == 303
    act(client, f"/admin/reports/{rid}/reply", text="Tack! Vi byter lampan nästa vecka.")
    page = resident.get(status_url).get_data(as_text=True)
    assert "Tack! Vi byter lampan nästa vecka." in page
    body = resident.get(status_url, headers={"Accept": "application/json"}).get_json()
    assert body["state"] == "accepted"
    notices = app.extensions["mail_outbox"]
    assert notices[-1]["To"] == "anna@example.se" and status_url not in notices[-1].get_content()
    actions = [e.action for e in db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["state", "state", "reply"]


def test_illegal_transitions_and_tampering_are_refused(app: Flask, client: FlaskClient,
                                                        db_session) -> None:
    submit(app.test_client())
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    act(client, f"/admin/reports/{rid}/state", state="resolved")  # new → resolved: not allowed
    act(client, f"/admin/reports/{rid}/state", state="hacked")
    act(client, f"/admin/reports/{rid}/state", state="not_ours")  # needs a channel
    act(client, f"/admin/reports/{rid}/state", state="rejected")  # needs a reason
    db_session.expire_all()
    assert db_session.get(Report, rid).state == "new"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
    act(client, f"/admin/reports/{rid}/state", state="not_ours", channel="Trafikverket")
    db_session.expire_all()
    assert db_session.get(Report, rid).state == "not_ours"
    assert db_session.get(ReportCase, rid).channel == "Trafikverket"


def test_analyst_reads_but_cannot_moderate(app: Flask, client: FlaskClient, db_session) -> None:
    submit(app.test_client())
    log_in_as(app, client, "analyst")
    rid = report_id(db_session)
    assert client.get(f"/admin/reports/{rid}").status_code == 200
    assert act(client, f"/admin/reports/{rid}/state", state="in_review").status_code == 403
    assert act(client, f"/admin/reports/{rid}/contact").status_code == 403


def test_contact_view_is_audited(app: Flask, client: FlaskClient, db_session) -> None:
    submit(app.test_client(), contact_phone="070-123 45 67")
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    assert "070-123 45 67" not in client.get(f"/admin/reports/{rid}").get_data(as_text=True)
    shown = act(client, f"/admin/reports/{rid}/contact")
    assert "070-123 45 67" in shown.get_data(as_text=True)
    assert db_session.scalar(sa.select(AuditEvent.action)) == "contact_viewed"


def test_public_text_keeps_the_original_in_the_audit(app: Flask, client: FlaskClient,
                                                     db_session) -> None:
    submit(app.test_client(), description="Kalle Svensson på Torget 3 langar.")
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    act(client, f"/admin/reports/{rid}/public-text", text="Misstänkt langning vid torget.")
    db_session.expire_all()
    assert db_session.get(Report, rid).public_text == "Misstänkt langning vid torget."
    event = db_session.scalar(sa.select(AuditEvent))
    assert event.before["original"] == "Kalle Svensson på Torget 3 langar."


def test_publish_only_accepted_reports(app: Flask, client: FlaskClient, db_session) -> None:
    submit(app.test_client())
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    act(client, f"/admin/reports/{rid}/publish", is_public="y")
    db_session.expire_all()
    assert db_session.get(Report, rid).is_public is False
    act(client, f"/admin/reports/{rid}/state", state="accepted")
    act(client, f"/admin/reports/{rid}/publish", is_public="y")
    act(client, f"/admin/reports/{rid}/precision", precision="street")
    db_session.expire_all()
    assert db_session.get(Report, rid).is_public is True
    assert db_session.get(ReportCase, rid).public_precision == "street"


def test_duplicates_are_suggested_and_merged(app: Flask, client: FlaskClient,
                                            db_session) -> None:
    resident = app.test_client()
    submit(resident, area="", lat="59.5137", lon="15.9906", category="graffiti")
    duplicate_url = submit(resident, area="", lat="59.51372", lon="15.99065",
                           category="graffiti", description="Samma klotter igen")
    submit(resident, area="", lat="59.5200", lon="15.9906", category="graffiti")  # 700 m away
    log_in_as(app, client, "moderator")
    db_session.expire_all()
    first, second, _far = db_session.scalars(sa.select(Report).order_by(Report.id)).all()
    page = client.get(f"/admin/reports/{second.id}").get_data(as_text=True)
    assert f"/admin/reports/{second.id}/merge/{first.id}" in page
    assert f"/merge/{_far.id}" not in page
    act(client, f"/admin/reports/{first.id}/reply", text="Vi sanerar klottret.")
    act(client, f"/admin/reports/{second.id}/merge/{first.id}")
    db_session.expire_all()
    assert db_session.get(Report, second.id).state == "duplicate"
    assert db_session.get(ReportCase, second.id).duplicate_of_id == first.id
    receipt = resident.get(duplicate_url).get_data(as_text=True)
    assert first.reference in receipt and "Vi sanerar klottret." in receipt
    merged = db_session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.report_id == first.id)).all()
    assert "merged" in merged


def test_soft_lock_and_take_over(app: Flask, client: FlaskClient, db_session) -> None:
    submit(app.test_client())
    rid = report_id(db_session)
    first = log_in_as(app, client, "moderator", email="eva@koping.example")
    client.get(f"/admin/reports/{rid}")
    other = app.test_client()
    log_in_as(app, other, "moderator", email="olle@koping.example")
    page = other.get(f"/admin/reports/{rid}").get_data(as_text=True)
    assert "eva@koping.example" in page and "/lock" in page
    act(other, f"/admin/reports/{rid}/lock")
    db_session.expire_all()
    assert db_session.get(ReportCase, rid).locked_by_id != first["id"]
    assert db_session.scalar(sa.select(AuditEvent.action)) == "lock_taken_over"


def test_notes_stay_internal(app: Flask, client: FlaskClient, db_session) -> None:
    resident = app.test_client()
    status_url = submit(resident)
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    act(client, f"/admin/reports/{rid}/notes", text="Ring KBAB om detta.")
    assert db_session.scalar(sa.select(ReportNote.text)) == "Ring KBAB om detta."
    assert "Ring KBAB" not in resident.get(status_url).get_data(as_text=True)
    act(client, f"/admin/reports/{rid}/notes", text="   ")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ReportNote)) == 1


def test_assignment_gets_a_due_date_from_the_sla(app: Flask, client: FlaskClient,
                                                 db_session) -> None:
    submit(app.test_client(), category="lighting")
    moderator = log_in_as(app, client, "moderator", organisation="Gatuavdelningen")
    rid = report_id(db_session)
    org_id = db_session.scalar(sa.text("SELECT id FROM organisations"))
    act(client, f"/admin/reports/{rid}/assign", organisation=str(org_id), unit="Belysning",
        assignee=str(moderator["id"]), due_at="")
    db_session.expire_all()
    case = db_session.get(ReportCase, rid)
    assert case.unit == "Belysning" and case.due_at is not None
    assert (case.due_at - db_session.get(Report, rid).created_at).days in (6, 7)
    mine = client.get("/admin/reports?mine=1").get_data(as_text=True)
    assert mine.count('name="ids"') == 1


def test_closing_a_case_clears_its_due_date(app: Flask, client: FlaskClient,
                                            db_session) -> None:
    """A resolved or closed report is never listed as overdue, however late its due date."""
    submit(app.test_client(), category="fire")
    moderator = log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    act(client, f"/admin/reports/{rid}/assign", organisation="", unit="",
        assignee=str(moderator["id"]), due_at="2020-01-01")
    assert client.get("/admin/reports?overdue=1").get_data(as_text=True).count(
        'name="ids"') == 1
    act(client, f"/admin/reports/{rid}/state", state="in_review")
    assert act(client, f"/admin/reports/{rid}/state", state="no_action").status_code == 303
    db_session.expire_all()
    assert db_session.get(ReportCase, rid).due_at is None
    assert client.get("/admin/reports?overdue=1").get_data(as_text=True).count(
        'name="ids"') == 0
    audit = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "state")
                               .order_by(AuditEvent.id.desc())).first()
    assert audit.before["due_at"].startswith("2020-01-01")


def test_bulk_actions(app: Flask, client: FlaskClient, db_session) -> None:
    resident = app.test_client()
    for _ in range(3):
        submit(resident)
    log_in_as(app, client, "moderator")
    ids = [str(i) for i in db_session.scalars(sa.select(Report.id))]
    response = client.post("/admin/reports/bulk", data={
        "csrf_token": csrf_token(client, "/login"), "ids": ids, "action": "accepted"})
    assert response.status_code == 303
    db_session.expire_all()
    assert set(db_session.scalars(sa.select(Report.state))) == {"accepted"}
    client.post("/admin/reports/bulk", data={"csrf_token": csrf_token(client, "/login"),
                                             "ids": ids[:1], "action": "rejected"})
    db_session.expire_all()
    assert db_session.get(Report, int(ids[0])).state == "accepted"  # no reason: refused


def test_photo_redaction_replaces_the_public_version(app: Flask, client: FlaskClient,
                                                     db_session) -> None:
    resident = app.test_client()
    status_url = submit(resident, photos=[(io.BytesIO(jpeg_with_gps()), "a.jpg")])
    log_in_as(app, client, "moderator")
    rid = report_id(db_session)
    photo_id = db_session.scalar(sa.text("SELECT id FROM photos"))
    before = client.get(f"/admin/reports/{rid}/photos/{photo_id}/public.jpg").get_data()
    act(client, f"/admin/reports/{rid}/photos/{photo_id}/redact", regions="0,0,0.5,0.5",
        mode="black")
    after = client.get(f"/admin/reports/{rid}/photos/{photo_id}/public.jpg").get_data()
    assert before != after
    assert client.get(f"/admin/reports/{rid}/photos/{photo_id}/full.jpg").get_data() == before
    assert resident.get(f"{status_url}/photos/0/full.jpg").get_data() == after
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhotoRedaction)) == 1
    act(client, f"/admin/reports/{rid}/photos/{photo_id}/redact", regions="2,2,9,9")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhotoRedaction)) == 1
