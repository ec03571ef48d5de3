"""The operator's commands: db upgrade, demo-data, import-areas, create-admin."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from kopingreport.accounts.models import User
from kopingreport.demo import DEMO_USERS
from kopingreport.reports.models import Area, Report


def run(app: Flask, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def square(code: str, name: str, lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01],
            [lon, lat]]
    return {"type": "Feature", "properties": {"code": code, "name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_db_upgrade_is_idempotent_and_loads_the_areas_once(app: Flask, db_session) -> None:
    db_session.execute(sa.delete(Area))
    db_session.commit()
    first, second = run(app, "db", "upgrade"), run(app, "db", "upgrade")
    assert first.exit_code == second.exit_code == 0, first.output
    assert "shipped Köping areas loaded" in first.output
    assert "areas" not in second.output.lower()  # a database with areas keeps its own
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Area)) >= 20


def test_demo_data_is_idempotent(app: Flask, db_session) -> None:
    result = run(app, "demo-data", "--reports", "40")
    assert result.exit_code == 0, result.output
    assert "40 new reports" in result.output
    again = run(app, "demo-data", "--reports", "40")
    assert "0 new reports" in again.output
    db_session.expire_all()
    reports = db_session.scalars(sa.select(Report)).all()
    assert len(reports) == 40
    assert sum(r.area is not None for r in reports) >= 35
    assert len({r.category for r in reports}) >= 8
    users = {u.email: u.role for u in db_session.scalars(sa.select(User))}
    staff = {email: role for email, role in users.items() if email.endswith("@koping.example")}
    assert staff == {email: role for email, role in DEMO_USERS} and len(staff) == 6
    assert result.output.count("@koping.example") == len(DEMO_USERS)
    password = result.output.split("admin@koping.example ", 1)[1].split()[0]
    assert password in again.output  # the same login is printed on every start


def test_import_areas_replaces_the_set(app: Flask, db_session, tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        square("centrum", "Centrum (ny)", 15.98, 59.50), square("nytt", "Nytt", 16.0, 59.52)]}))
    result = run(app, "import-areas", str(path))
    assert result.exit_code == 0, result.output
    assert "1 added, 1 updated" in result.output
    db_session.expire_all()
    active = {a.code: a.name for a in db_session.scalars(sa.select(Area).where(Area.is_active))}
    assert active == {"centrum": "Centrum (ny)", "nytt": "Nytt"}


def test_import_areas_refuses_a_bad_file_and_changes_nothing(app: Flask, db_session,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "No code"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}]}))
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Area))
    result = run(app, "import-areas", str(path))
    assert result.exit_code == 1 and "error:" in result.output
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Area)) == before
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Area).where(
        sa.not_(Area.is_active))) == 0


def test_create_admin_reads_the_password_twice(app: Flask, db_session) -> None:
    result = run(app, "create-admin", "Admin@Koping.example",
                 stdin="a long passphrase 1\na long passphrase 1\n")
    assert result.exit_code == 0, result.output
    user = db_session.scalar(sa.select(User))
    assert user.email == "admin@koping.example" and user.role == "admin"
    assert "a long passphrase" not in user.password_hash


def test_create_admin_refuses_mismatch_and_short_passwords(app: Flask, db_session) -> None:
    mismatch = run(app, "create-admin", "a@koping.example", stdin="one long password\nother\n")
    short = run(app, "create-admin", "a@koping.example", stdin="short\nshort\n")
    assert mismatch.exit_code != 0 and short.exit_code != 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_setting_that_must_be_a_number_names_itself(monkeypatch) -> None:
    import pytest

    from kopingreport import create_app

    monkeypatch.setenv("KOPINGREPORT_TRUSTED_PROXIES", "1   # the nginx in front")
    with pytest.raises(RuntimeError, match="KOPINGREPORT_TRUSTED_PROXIES must be a number"):
        create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
