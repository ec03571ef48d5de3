"""Building register entries directly in the database for back-office tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session, utcnow
from tests.factories import csrf_token


def make_entry(app: Flask, email: str, *, area: str = "ullvi", state: str = "approved",
               confirmed_days_ago: int | None = 10, role: str | None = None,
               point: tuple[float, float] | None = None, **extra: Any) -> int:
    """An account (resident unless ``role``) with a register entry; returns the entry id."""
    from kopingreport.accounts.services import create_user
    from kopingreport.neighbourhood.models import NeighbourhoodContact
    from kopingreport.reports.models import Area
    from kopingreport.security import Role

    with app.app_context():
        session = get_session()
        user = create_user(session, None, email, "long enough password",
                           Role(role or ("grannsamverkan" if state == "approved" else "resident")),
                           name=extra.pop("name", email.split("@")[0].title()))
        confirmed = None if confirmed_days_ago is None else \
            utcnow() - timedelta(days=confirmed_days_ago)
        entry = NeighbourhoodContact(
            user=user, area=session.scalar(sa.select(Area).where(Area.code == area)),
            street=extra.pop("street", f"{area.title()}gatan"),
            households=extra.pop("households", 10),
            sign_status=extra.pop("sign_status", "ok"), state=state, consent_at=utcnow(),
            consent_version="test", last_confirmed_at=confirmed,
            lat=point[0] if point else None, lon=point[1] if point else None, **extra)
        session.add(entry)
        session.commit()
        return entry.id


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **fields: Any):
    """POST with the session's CSRF token (the language stays English)."""
    token = csrf_token(client, "/login?lang=en")
    return client.post(url, data={"csrf_token": token, **(data or {}), **fields})


def outbox(app: Flask) -> list:
    return app.extensions.setdefault("mail_outbox", [])
