"""``flask --app wsgi …`` commands: db upgrade, demo-data, import-areas, create-admin,
purge, backup, restore."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from kopingreport.db import engine, get_session

db_cli = AppGroup("db", help="Database schema (Alembic).")


def alembic_config():  # type: ignore[no-untyped-def]
    """An Alembic configuration pointing at migrations/ and this app's database."""
    from alembic.config import Config

    from kopingreport import ROOT

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def upgrade_database(revision: str = "head") -> None:
    """Create or update the schema to ``revision``."""
    from alembic import command

    cfg = alembic_config()
    with engine().begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Create or update the database schema; a new database gets the shipped Köping areas
    (replace them with ``import-areas``), since no report can be placed without areas."""
    from kopingreport.reports.areas import ensure_default_areas

    upgrade_database(revision)
    click.echo(f"Database at {revision}.")
    if revision == "head":
        session = get_session()
        loaded = ensure_default_areas(session)
        session.commit()
        if loaded:
            click.echo(f"Areas: {loaded.added} shipped Köping areas loaded "
                       "(replace them with import-areas).")


@click.command("import-areas")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_areas_command(path: Path) -> None:
    """Replace the areas with the polygons of a GeoJSON FeatureCollection."""
    from kopingreport.reports import geo
    from kopingreport.reports.areas import import_areas

    try:
        shapes = geo.parse_feature_collection(path.read_bytes())
    except geo.AreaImportError as err:
        for message in err.messages:
            click.echo(f"error: {message}", err=True)
        sys.exit(1)
    session = get_session()
    summary = import_areas(session, shapes)
    session.commit()
    click.echo(f"Areas: {summary.added} added, {summary.updated} updated, "
               f"{summary.deactivated} deactivated.")


@click.command("demo-data")
@with_appcontext
@click.option("--reports", "count", default=300, show_default=True)
def demo_data_command(count: int) -> None:
    """Load the Köping areas and realistic demo reports (safe to run again)."""
    from kopingreport.demo import load_demo_data, load_demo_users
    from kopingreport.reports.flow import photo_store

    session = get_session()
    created = load_demo_data(session, count, secret=current_app.config["SECRET_KEY"],
                             store=photo_store())
    click.echo(f"Demo data: {created} new reports.")
    logins = load_demo_users(session, Path(current_app.instance_path) / "demo-logins.txt")
    click.echo("Demo logins (e-mail, password, role) at /login:")
    for line in logins:
        click.echo(f"  {line}")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Repeat the password: ")
    else:
        first, second = (sys.stdin.readline().rstrip("\n") for _ in range(2))
    if first != second:
        raise click.ClickException("The passwords do not match.")
    return first


@click.command("create-admin")
@with_appcontext
@click.argument("email")
def create_admin_command(email: str) -> None:
    """Create an administrator (asks for the password twice, or reads two lines of stdin)."""
    from kopingreport.accounts.services import AccountError, create_user
    from kopingreport.security import Role

    session = get_session()
    try:
        user = create_user(session, None, email, _read_password(), Role.ADMIN)
    except AccountError as err:
        raise click.ClickException(str(err)) from err
    session.commit()
    click.echo(f"Administrator {user.email} created.")


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove personal data kept longer than its retention period (run nightly)."""
    from kopingreport.privacy.purge import purge
    from kopingreport.reports.flow import photo_store

    result = purge(get_session(), current_app.config, photo_store(), dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for kind, count in result.counts.items():
        click.echo(f"{kind}: {verb} {count}")
    for kind in result.failed:
        click.echo(f"{kind}: FAILED (nothing of this kind changed; see the log)", err=True)
    click.echo(f"Purge{' (dry run)' if dry_run else ''}: {verb} {result.total} in total.")
    if result.failed:
        sys.exit(1)


@click.command("backup")
@with_appcontext
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup_command(dest: Path) -> None:
    """Copy the SQLite database (online backup API) and the uploads into DEST/<time>/."""
    from kopingreport.db import utcnow
    from kopingreport.privacy.backup import BackupRefused, backup

    try:
        done = backup(current_app.config["DATABASE_URL"], Path(current_app.config["UPLOAD_DIR"]),
                      dest, utcnow())
    except BackupRefused as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    click.echo(f"Backup in {done.directory}: database ({done.database_pages} pages, "
               f"integrity ok), {done.files} upload files.")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing database.")
def restore_command(source: Path, force: bool) -> None:
    """Put a backup made by `backup` in place (stop the app first)."""
    from kopingreport.privacy.backup import BackupRefused, restore, sqlite_path

    try:
        database = sqlite_path(current_app.config["DATABASE_URL"])
    except BackupRefused as err:
        raise click.ClickException(str(err)) from err
    if database.exists() and not force:
        raise click.ClickException(f"{database} exists; add --force to replace it.")
    engine().dispose()
    restore(source, database, Path(current_app.config["UPLOAD_DIR"]))
    click.echo(f"Restored {source} into {database} and {current_app.config['UPLOAD_DIR']}.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (db_cli, import_areas_command, demo_data_command, create_admin_command,
                    purge_command, backup_command, restore_command):
        app.cli.add_command(command)
