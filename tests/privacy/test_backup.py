"""`flask backup DEST`: SQLite online backup plus the uploads; a restore into a fresh place
serves the same report and photo. PostgreSQL gets the pg_dump command instead."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport import create_app
from tests.privacy.helpers import run, send_report


def test_backup_and_restore_serve_the_same_report_and_photo(
        app: Flask, client: FlaskClient, app_config, tmp_path: Path) -> None:
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the SQLite backup; PostgreSQL is covered by the refusal test")
    token = send_report(client, description="Säkerhetskopierad rapport")
    status = client.get(f"/status/{token}", headers={"Accept": "application/json"}).get_json()
    photo = client.get(f"/status/{token}/photos/0/full.jpg").data

    result = run(app, "backup", str(tmp_path / "backups"))
    assert result.exit_code == 0, result.output
    (backup_dir,) = (tmp_path / "backups").iterdir()
    assert {p.name for p in backup_dir.iterdir()} == {"kopingreport.sqlite", "uploads.tar"}
    with tarfile.open(backup_dir / "uploads.tar") as tar:
        assert len([m for m in tar.getmembers() if m.isfile()]) == 2
    send_report(client, description="After the backup")  # the backup is a snapshot

    fresh = tmp_path / "fresh"
    restored = create_app({**app_config, "DATABASE_URL": f"sqlite:///{fresh / 'db.sqlite'}",
                           "UPLOAD_DIR": str(fresh / "uploads")})
    result = run(restored, "restore", str(backup_dir))
    assert result.exit_code == 0, result.output
    assert run(restored, "restore", str(backup_dir)).exit_code != 0  # never over a database
    other = restored.test_client()
    again = other.get(f"/status/{token}", headers={"Accept": "application/json"}).get_json()
    assert again["reference"] == status["reference"] and again["state"] == status["state"]
    assert other.get(f"/status/{token}/photos/0/full.jpg").data == photo
    assert other.get(f"/status/{token}/data.json").get_json()["description"] == \
        "Säkerhetskopierad rapport"


def test_postgresql_backup_prints_the_pg_dump_command(app: Flask, tmp_path: Path) -> None:
    if app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    result = run(app, "backup", str(tmp_path / "b"))
    assert result.exit_code == 2
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    assert "postgres@" not in result.output  # no connection details printed
    assert not (tmp_path / "b").exists()
