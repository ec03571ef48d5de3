"""Fixtures of the moderation browser tests: the live server's database filled with a backlog,
a moderator with two-factor login, and logged-in desktop and tablet pages.

The reports are stored through the app's own submission service (fast: no HTTP per report);
the one report with a photo goes through the real API, so its photo passes the real pipeline
into the live server's upload folder.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image, ImageDraw

from tests.browser.conftest import describe, new_context, run_axe  # noqa: F401
from tests.factories import make_user

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}
BACKLOG = 200
#: Hot spots in Köping (lat, lon) the demo reports gather around, so the map has groups.
SPOTS = [(59.5137, 15.9906), (59.5185, 16.0021), (59.5071, 15.9805), (59.5230, 15.9702)]
CATEGORIES = ["lighting", "graffiti", "littering", "vandalism", "unsafe_place", "traffic",
              "vegetation", "disorder", "reckless_driving", "other"]


@pytest.fixture(scope="module")
def mod_app(live_server: str, live_database: str, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Any]:
    """An app object on the live server's database, for seeding and for looking at what the
    live server stored (the server itself runs in its own thread)."""
    from kopingreport import create_app

    app = create_app({"DATABASE_URL": live_database, "SECRET_KEY": "browser-test-secret",
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("mod-uploads"))})
    yield app
    with app.app_context():
        from kopingreport.db import engine

        engine().dispose()


def photo_jpeg() -> bytes:
    """A photo with detail (gradient, shapes, a 'number plate'), so redaction changes it."""
    image = Image.linear_gradient("L").resize((960, 720)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(0, 960, 48):
        draw.line((i, 0, 960 - i, 720), fill=(200, 60 + i % 180, 40), width=3)
    draw.rectangle((300, 260, 660, 380), fill=(250, 250, 250), outline=(0, 0, 0), width=6)
    draw.text((330, 300), "ABC 123", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _seed_backlog(app: Any, count: int) -> list[int]:
    from kopingreport.db import get_session
    from kopingreport.reports.photostore import PhotoStore
    from kopingreport.reports.services import ReportInput, submit_report
    from kopingreport.reports.states import ReporterKind

    rng = random.Random(5)
    ids = []
    with app.app_context():
        session = get_session()
        store = PhotoStore(app.config["UPLOAD_DIR"])
        for n in range(count):
            lat, lon = SPOTS[n % len(SPOTS)]
            data = ReportInput(
                category=CATEGORIES[n % len(CATEGORIES)],
                description=f"Demorapport {n + 1}: mörkt och skräpigt vid gångvägen.",
                reporter_kind=ReporterKind.RESIDENT, locale="sv",
                lat=lat + rng.uniform(-0.004, 0.004), lon=lon + rng.uniform(-0.008, 0.008),
                accuracy_m=rng.choice([8.0, 15.0, 40.0]), confirm_outside=True)
            result = submit_report(session, None, data, store=store, secret="browser-test-secret",
                                   idempotency_key=None)
            ids.append(result.report.id)
        session.commit()
    return ids


@pytest.fixture(scope="module")
def backlog(pw: Any, live_server: str, mod_app: Any) -> dict[str, Any]:
    """200 new reports, one more with a photo (sent through the API) and a moderator."""
    ids = _seed_backlog(mod_app, BACKLOG)
    api = pw.request.new_context(base_url=live_server)
    try:
        response = api.post("/api/v1/reports", headers={"Idempotency-Key": str(uuid.uuid4())},
                            multipart={
                                "category": "graffiti", "reporter_kind": "resident",
                                "description": "Klotter med ett registreringsnummer på bilden.",
                                "lat": "59.5140", "lon": "15.9910", "accuracy": "10",
                                "photos": {"name": "plate.jpg", "mimeType": "image/jpeg",
                                           "buffer": photo_jpeg()}})
        assert response.status == 201, response.text()
        sent = response.json()
    finally:
        api.dispose()
    from kopingreport.db import get_session
    from kopingreport.reports.models import Report

    with mod_app.app_context():
        photo_report = get_session().scalar(sa.select(Report.id).where(
            Report.reference == sent["reference"]))
    moderator = make_user(mod_app, "moderator", "moderator.browser@koping.example")
    return {"ids": ids, "photo_report": photo_report, "status_url": sent["status_url"],
            "moderator": moderator}


@pytest.fixture(scope="module")
def moderator_state(browser: Any, live_server: str, backlog: dict[str, Any]) -> dict[str, Any]:
    """The cookies of a moderator who logged in through /login and /login/code (TOTP)."""
    import pyotp

    account = backlog["moderator"]
    context = new_context(browser, live_server, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", account["email"])
        page.fill("#password", account["password"])
        with page.expect_navigation():
            page.press("#password", "Enter")
        assert page.url.endswith("/login/code"), page.url
        page.fill("#code", pyotp.TOTP(account["secret"]).now())
        with page.expect_navigation():
            page.press("#code", "Enter")
        assert "/login" not in page.url, page.url
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def mod_page(browser: Any, live_server: str, moderator_state: dict[str, Any]) -> Iterator[Any]:
    """``mod_page(viewport=DESKTOP, **context_options)`` → a logged-in moderator's page that
    records script errors and CSP violations in ``page.problems``."""
    contexts: list[Any] = []

    def factory(viewport: dict[str, int] = DESKTOP, **extra: Any) -> Any:
        context = new_context(browser, live_server, viewport=viewport,
                              storage_state=moderator_state, **extra)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda err: page.problems.append(str(err)))
        return page

    yield factory
    for context in contexts:
        context.close()


def script_problems(page: Any) -> list[str]:
    """CSP violations and script errors (failed tile requests are expected and ignored)."""
    return [p for p in page.problems if "Failed to load resource" not in p]


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"moderation-{name}.png"), full_page=False)
