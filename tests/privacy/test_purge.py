"""`flask purge`: every kind of personal data goes after its retention period, only then,
once; a dry run counts the same and changes nothing; photo files go with their rows."""

from __future__ import annotations

import io
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import User
from kopingreport.moderation.models import AuditEvent, PhotoRedaction, ReportCase
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.privacy.models import BarrierReport
from kopingreport.reports.models import Photo, Report, ReportContact
from kopingreport.surveys.models import Survey, SurveyCode, SurveyCodeBatch, SurveyDevice
from kopingreport.surveys.models import SurveyResponse
from tests.factories import jpeg_with_gps, make_user, post_form
from tests.neighbourhood.helpers import make_entry
from tests.privacy.helpers import ago, close_report, counts, photo_files, report_by_token, run
from tests.privacy.helpers import send_report


def test_contact_details_go_after_the_report_was_closed_long_enough(
        app: Flask, client: FlaskClient, db_session) -> None:
    old, recent, still_open = (send_report(client, photo=False) for _ in range(3))
    close_report(db_session, report_by_token(db_session, old), "resolved", days_ago=31)
    close_report(db_session, report_by_token(db_session, recent), "no_action", days_ago=29)
    report_by_token(db_session, still_open).created_at = ago(400)
    db_session.commit()

    result = run(app, "purge")
    assert result.exit_code == 0, result.output
    assert counts(result.output)["contacts"] == 1
    db_session.expire_all()
    left = set(db_session.scalars(sa.select(ReportContact.report_id)))
    assert left == {report_by_token(db_session, recent).id,
                    report_by_token(db_session, still_open).id}
    kept = report_by_token(db_session, old)
    assert kept is not None and kept.description  # the record stays
    assert counts(run(app, "purge").output)["contacts"] == 0  # idempotent


def test_retention_period_comes_from_the_configuration(app_config) -> None:
    from kopingreport import create_app

    app = create_app({**app_config, "CONTACT_RETENTION_DAYS": 90})
    assert app.config["CONTACT_RETENTION_DAYS"] == 90
    os.environ["KOPINGREPORT_RETENTION_REJECTED_PHOTOS_DAYS"] = "7"
    try:
        assert create_app(app_config).config["RETENTION_REJECTED_PHOTOS_DAYS"] == 7
    finally:
        del os.environ["KOPINGREPORT_RETENTION_REJECTED_PHOTOS_DAYS"]


def test_photos_of_rejected_reports_go_with_their_files(
        app: Flask, client: FlaskClient, db_session) -> None:
    rejected = send_report(client, contact=False)
    kept = send_report(client, contact=False, description="Another picture",
                       photos=[(io.BytesIO(jpeg_with_gps((640, 480))), "b.jpg")])
    report = report_by_token(db_session, rejected)
    photo = report.photos[0]
    hashes = {photo.sha256, photo.thumb_sha256}
    db_session.add(PhotoRedaction(photo_id=photo.id, sha256="a" * 64, thumb_sha256="b" * 64))
    db_session.commit()
    close_report(db_session, report, "rejected", days_ago=31)
    close_report(db_session, report_by_token(db_session, kept), "resolved", days_ago=31)
    files_before = photo_files(app)
    assert hashes <= files_before

    result = run(app, "purge")
    assert counts(result.output)["rejected_photos"] == 1
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhotoRedaction)) == 0
    assert [p.report_id for p in db_session.scalars(sa.select(Photo))] == [
        report_by_token(db_session, kept).id]
    assert photo_files(app) == files_before - hashes
    assert report_by_token(db_session, rejected).state == "rejected"


def test_a_file_shared_with_a_kept_report_stays(app: Flask, client: FlaskClient,
                                                db_session) -> None:
    rejected = send_report(client, contact=False)
    same_photo = send_report(client, contact=False, description="Same picture again")
    close_report(db_session, report_by_token(db_session, rejected), "rejected", days_ago=40)
    files = photo_files(app)
    assert len(files) == 2  # one photo + thumbnail, stored once for both reports

    assert counts(run(app, "purge").output)["rejected_photos"] == 1
    assert photo_files(app) == files
    page = client.get(f"/status/{same_photo}/photos/0/full.jpg")
    assert page.status_code == 200


def test_dry_run_counts_the_same_and_changes_nothing(app: Flask, client: FlaskClient,
                                                     db_session) -> None:
    token = send_report(client)
    close_report(db_session, report_by_token(db_session, token), "rejected", days_ago=60)
    files = photo_files(app)

    dry = run(app, "purge", "--dry-run")
    assert dry.exit_code == 0 and "would remove" in dry.output
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ReportContact)) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Photo)) == 1
    assert photo_files(app) == files
    assert db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "purge")) is None

    real = run(app, "purge")
    assert counts(real.output) == counts(dry.output)
    assert counts(real.output)["photo_files"] == 2 and photo_files(app) == set()


def test_purge_writes_an_audit_event_with_the_counts(app: Flask, client: FlaskClient,
                                                     db_session) -> None:
    token = send_report(client, photo=False)
    close_report(db_session, report_by_token(db_session, token), "duplicate", days_ago=45)
    run(app, "purge")
    db_session.expire_all()
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "purge"))
    assert event.report_id is None and event.after["counts"]["contacts"] == 1


def test_unconfirmed_accounts_and_unused_invitations(app: Flask, db_session) -> None:
    make_user(app, "resident", "old-unconfirmed@example.se")
    make_user(app, "resident", "new-unconfirmed@example.se")
    make_user(app, "moderator", "old-invite@koping.example")
    make_user(app, "moderator", "used@koping.example")
    make_user(app, "admin", "never-logged-in-admin@koping.example")
    make_user(app, "moderator", "acted@koping.example")
    users = {u.email: u for u in db_session.scalars(sa.select(User))}
    for email in ("old-unconfirmed@example.se", "new-unconfirmed@example.se"):
        users[email].is_email_confirmed = False
    for user in users.values():
        user.created_at = ago(40)
    users["new-unconfirmed@example.se"].created_at = ago(10)
    users["used@koping.example"].last_login_at = ago(39)
    db_session.add(AuditEvent(report_id=None, actor_id=users["acted@koping.example"].id,
                              action="note"))
    db_session.commit()

    result = run(app, "purge")
    found = counts(result.output)
    assert found["unconfirmed_accounts"] == 1 and found["unused_invitations"] == 1
    db_session.expire_all()
    assert set(db_session.scalars(sa.select(User.email))) == {
        "new-unconfirmed@example.se", "used@koping.example",
        "never-logged-in-admin@koping.example", "acted@koping.example"}


def test_unconfirmed_applicant_goes_with_the_application(app: Flask, db_session) -> None:
    make_entry(app, "applicant@example.se", state="pending", confirmed_days_ago=None)
    user = db_session.scalar(sa.select(User))
    user.is_email_confirmed, user.created_at = False, ago(31)
    db_session.commit()

    assert counts(run(app, "purge").output)["unconfirmed_accounts"] == 1
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(NeighbourhoodContact)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_survey_tokens_go_after_the_survey_closed(app: Flask, db_session) -> None:
    account = make_user(app, "resident", "respondent@example.se")
    surveys = {}
    for name, closed_days in (("old", 31), ("recent", 5)):
        survey = Survey(title={"sv": name}, salt="s" * 64, state="closed",
                        closed_at=ago(closed_days))
        db_session.add(survey)
        db_session.flush()
        batch = SurveyCodeBatch(survey_id=survey.id, label="Möte", count=1)
        db_session.add(batch)
        db_session.flush()
        db_session.add_all([
            SurveyDevice(survey_id=survey.id, token_hash=f"{name:x<64}"),
            SurveyCode(batch_id=batch.id, number=1, code_hash=f"{name:y<64}"),
            SurveyResponse(survey_id=survey.id, locale="sv", user_id=account["id"],
                           payload_hash="p" * 64)])
        surveys[name] = survey.id
    db_session.commit()

    assert counts(run(app, "purge").output)["survey_tokens"] == 3
    db_session.expire_all()
    assert set(db_session.scalars(sa.select(SurveyDevice.survey_id))) == {surveys["recent"]}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(SurveyCode)) == 1
    responses = dict(db_session.execute(sa.select(SurveyResponse.survey_id,
                                                  SurveyResponse.user_id)).all())
    assert responses == {surveys["old"]: None, surveys["recent"]: account["id"]}


def test_declined_and_ended_grannsamverkan_entries(app: Flask, db_session) -> None:
    rows = {
        "declined-old": ("declined", ago(91), None), "declined-new": ("declined", ago(80), None),
        "ended-old": ("ended", ago(400), ago(366)), "ended-new": ("ended", ago(400), ago(300)),
        "approved": ("approved", ago(400), None)}
    for street, (state, decided, ended) in rows.items():
        make_entry(app, f"{street}@example.se", state=state, street=street, decided_at=decided,
                   ended_at=ended)
    for user in db_session.scalars(sa.select(User)):
        user.last_login_at = ago(1)  # used accounts: only the entries are at stake
    db_session.commit()

    found = counts(run(app, "purge").output)
    assert found["declined_applications"] == 1 and found["ended_contacts"] == 1
    db_session.expire_all()
    assert set(db_session.scalars(sa.select(NeighbourhoodContact.street))) == {
        "declined-new", "ended-new", "approved"}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 5


def test_stale_locks_and_old_barrier_reports(app: Flask, client: FlaskClient,
                                             db_session) -> None:
    moderator = make_user(app, "moderator")
    old, fresh = (report_by_token(db_session, send_report(client, photo=False))
                  for _ in range(2))
    db_session.add_all([
        ReportCase(report_id=old.id, locked_by_id=moderator["id"], locked_at=ago(2)),
        ReportCase(report_id=fresh.id, locked_by_id=moderator["id"], locked_at=ago(0.01)),
        BarrierReport(message="old", locale="sv", created_at=ago(366)),
        BarrierReport(message="new", locale="sv", created_at=ago(10))])
    db_session.commit()

    found = counts(run(app, "purge").output)
    assert found["stale_locks"] == 1 and found["barrier_reports"] == 1
    db_session.expire_all()
    locks = dict(db_session.execute(sa.select(ReportCase.report_id,
                                              ReportCase.locked_by_id)).all())
    assert locks == {old.id: None, fresh.id: moderator["id"]}
    assert list(db_session.scalars(sa.select(BarrierReport.message))) == ["new"]


def test_photo_files_of_forms_never_sent_go_after_the_grace(app: Flask, client: FlaskClient,
                                                           db_session) -> None:
    post_form(client, category="", photos=[(io.BytesIO(jpeg_with_gps((640, 480))), "a.jpg")])
    sent = send_report(client, contact=False)
    stashed = photo_files(app) - {p for r in [report_by_token(db_session, sent)]
                                  for ph in r.photos for p in (ph.sha256, ph.thumb_sha256)}
    assert len(stashed) == 2
    assert counts(run(app, "purge").output)["unused_photos"] == 0  # still within the grace
    old = (ago(3)).timestamp()
    for path in (Path(app.config["UPLOAD_DIR"]) / "photos").glob("??/??/*.jpg"):
        os.utime(path, (old, old))

    found = counts(run(app, "purge").output)
    assert found["unused_photos"] == 2 and found["photo_files"] == 2
    assert photo_files(app) == photo_files(app) - stashed and not (photo_files(app) & stashed)
    assert client.get(f"/status/{sent}/photos/0/full.jpg").status_code == 200


def test_a_failing_kind_leaves_the_others_done(app: Flask, client: FlaskClient, db_session,
                                               monkeypatch) -> None:
    from kopingreport.privacy import sweeps

    def broken(session, cutoff):  # type: ignore[no-untyped-def]
        session.execute(sa.delete(Report))
        raise sa.exc.OperationalError("DELETE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(sweeps, "survey_tokens", broken)
    token = send_report(client, photo=False)
    close_report(db_session, report_by_token(db_session, token), "resolved", days_ago=31)
    result = run(app, "purge")
    assert result.exit_code == 1 and "survey_tokens: FAILED" in result.output
    assert counts(result.output)["contacts"] == 1
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
