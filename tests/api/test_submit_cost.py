"""The report submission path stays cheap (issue #8): few statements, same stored report."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import engine
from kopingreport.reports.models import Area, Report, ReportContact
from tests.factories import report_fields


@contextmanager
def statements(app: Flask, autocommit: list[bool] | None = None) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs (not BEGIN/COMMIT/pings), and
    for each whether its connection was in autocommit (PostgreSQL)."""
    seen: list[str] = []

    def record(conn: sa.Connection, _cursor, statement: str, *_args: object) -> None:
        if statement.strip().upper() not in {"SELECT 1", ""}:
            seen.append(statement)
            if autocommit is not None:
                autocommit.append(bool(getattr(conn.connection.dbapi_connection,
                                               "autocommit", False)))

    with app.app_context():
        bind = engine()
    sa.event.listen(bind, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(bind, "before_cursor_execute", record)


def post(client: FlaskClient, key: str, **overrides: object):
    return client.post("/api/v1/reports", data=report_fields(**overrides),
                       headers={"Idempotency-Key": key}, content_type="multipart/form-data")


def stored(db_session: sa.orm.Session, reference: str) -> Report:
    db_session.expire_all()
    report = db_session.scalar(sa.select(Report).where(Report.reference == reference))
    assert report is not None
    return report


def test_a_report_with_a_point_costs_one_or_two_statements(app: Flask, client: FlaskClient,
                                                             db_session) -> None:
    post(client, str(uuid.uuid4()))  # the year's counter and the area cache exist now
    autocommit: list[bool] = []
    with statements(app, autocommit) as seen:
        response = post(client, str(uuid.uuid4()), area="", lat="59.5137", lon="15.9906",
                        accuracy="12")
    assert response.status_code == 201, response.get_data(as_text=True)
    # The area of the point comes from the cached outlines, the idempotency key is checked
    # by the write itself (most keys are new), and nothing is read back after the INSERT.
    if engine_name(app) == "postgresql":
        # The key check and the counter are done by the INSERT itself, outside a
        # transaction: the statement commits on its own and the counter row is locked only
        # while the server runs it.
        assert len(seen) == 1 and seen[0].startswith("WITH bumped AS"), seen
        assert autocommit == [True]
    else:  # the counter (unless the key is stored already), then the INSERT
        assert len(seen) == 2 and seen[0].startswith("UPDATE reference_counters"), seen
    body = response.get_json()
    assert body["area"] == "Centrum" and body["state"] == "new"
    report = stored(db_session, body["reference"])
    assert (report.area.code, report.state, report.priority, report.is_public,
            report.is_outside_municipality) == ("centrum", "new", 0, False, False)
    assert (report.lat, report.lon, report.accuracy_m, report.location_source) == (
        59.5137, 15.9906, 12.0, "map")
    assert report.created_at.isoformat() == body["created_at"]
    assert report.updated_at is not None and report.contact is None


def engine_name(app: Flask) -> str:
    with app.app_context():
        return engine().dialect.name


def test_a_report_with_contact_details_stores_them_too(app: Flask, client: FlaskClient,
                                                       db_session) -> None:
    post(client, str(uuid.uuid4()))
    autocommit: list[bool] = []
    with statements(app, autocommit):
        response = post(client, str(uuid.uuid4()), contact_email="anna@example.se")
    assert response.status_code == 201
    # Two rows: in one transaction, never row by row in autocommit.
    assert not any(autocommit)
    report = stored(db_session, response.get_json()["reference"])
    assert report.contact is not None and report.contact.email == "anna@example.se"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ReportContact)) == 1
    assert (report.state, report.priority, report.area.code) == ("new", 0, "centrum")


def test_a_retry_returns_the_stored_report(client: FlaskClient, db_session) -> None:
    key = str(uuid.uuid4())
    first = post(client, key, area="", lat="59.5137", lon="15.9906")
    again = post(client, key, area="", lat="59.5137", lon="15.9906")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = post(client, key, area="", lat="59.5137", lon="15.9906", description="Annat.")
    assert other.status_code == 422 and "Idempotency-Key" in other.get_json()["errors"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
    following = post(client, str(uuid.uuid4())).get_json()["reference"]
    assert int(following.rsplit("-", 1)[1]) == int(first.get_json()["reference"]
                                                   .rsplit("-", 1)[1]) + 1  # no gap


def test_a_retry_gets_its_receipt_even_if_it_would_be_refused_now(
        client: FlaskClient, db_session) -> None:
    key = str(uuid.uuid4())
    first = post(client, key)  # filed in the area "centrum"
    assert first.status_code == 201
    db_session.execute(sa.update(Area).where(Area.code == "centrum").values(is_active=False))
    db_session.commit()
    again = post(client, key)  # the phone did not see the answer; the area is closed now
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert post(client, str(uuid.uuid4())).status_code == 422  # a new report is refused
