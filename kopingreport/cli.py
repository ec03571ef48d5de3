"""``flask --app wsgi …`` commands: db upgrade, demo-data, import-areas, create-admin."""

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
    """Create or update the database schema."""
    upgrade_database(revision)
    click.echo(f"Database at {revision}.")


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


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (db_cli, import_areas_command, demo_data_command, create_admin_command):
        app.cli.add_command(command)
