"""Real-browser fixtures: a live server in a thread and Debian's Chromium through Playwright.

The tile server is unreachable on purpose (port 9 on localhost), so every test also shows that
the report form works when the map has no background.
Outside CI the tests skip when Chromium or Playwright is missing; in CI (``CI=true``) that fails.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
KOPING = {"latitude": 59.5137, "longitude": 15.9906, "accuracy": 15}
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQLite URL of the live server's database (tests may look at what it stored)."""
    return f"sqlite:///{tmp_path_factory.mktemp('live-db') / 'browser.sqlite'}"


class UploadRecorder:
    """WSGI middleware that keeps what arrived at ``POST /api/v1/reports`` (headers, raw body),
    so tests can look at the photos the phone actually sent."""

    def __init__(self) -> None:
        self.app: Any = None
        self.uploads: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO") == "/api/v1/reports":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            headers = {k: v for k, v in environ.items()
                       if k.startswith(("HTTP_", "CONTENT_")) or k == "QUERY_STRING"}
            self.uploads.append({"headers": headers, "body": body})
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def api_uploads() -> UploadRecorder:
    """Every request the live server's report API received (see :class:`UploadRecorder`)."""
    return UploadRecorder()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, live_database: str,
                api_uploads: UploadRecorder) -> Iterator[str]:
    """The app on a free localhost port, with a temporary SQLite database and upload folder."""
    from werkzeug.serving import make_server

    from kopingreport import create_app

    base = tmp_path_factory.mktemp("live")
    app = create_app({
        "DATABASE_URL": live_database,
        "SECRET_KEY": "browser-test-secret",
        "UPLOAD_DIR": str(base / "uploads"),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png",
    })
    with app.app_context():
        from kopingreport.cli import upgrade_database
        from kopingreport.db import get_session
        from kopingreport.reports.areas import ensure_default_areas

        upgrade_database()
        ensure_default_areas(get_session())
        get_session().commit()
    api_uploads.app, app.wsgi_app = app.wsgi_app, api_uploads  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        from kopingreport.db import engine

        engine().dispose()


@pytest.fixture(scope="session")
def pw() -> Iterator[Any]:
    """Playwright, once per run (it cannot be started twice in one thread)."""
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw: Any) -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def context_options(base_url: str, locale: str = "sv-SE", **extra: Any) -> dict[str, Any]:
    """Phone size in Köping with geolocation allowed (and Background Sync, which Chrome
    grants by default but a Playwright context does not)."""
    options: dict[str, Any] = {
        "base_url": base_url, "viewport": PHONE, "locale": locale, "geolocation": KOPING,
        "permissions": ["geolocation", "clipboard-read", "clipboard-write", "background-sync"],
        "device_scale_factor": 1, "has_touch": False,
    }
    options.update(extra)
    return options


def new_context(browser: Any, base_url: str, locale: str = "sv-SE", **extra: Any) -> Any:
    """A phone-sized context in Köping with geolocation allowed."""
    context = browser.new_context(**context_options(base_url, locale, **extra))
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def make_page(browser: Any, live_server: str) -> Iterator[Any]:
    """``make_page(locale="sv-SE", **context_options)`` → a page in a fresh phone context.

    The page records console errors and CSP violations in ``page.problems``.
    """
    contexts: list[Any] = []

    def factory(locale: str = "sv-SE", **extra: Any) -> Any:
        context = new_context(browser, live_server, locale, **extra)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
        page.on("pageerror", lambda err: page.problems.append(str(err)))
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page: Any) -> Any:
    """A Swedish phone page with JavaScript on."""
    return make_page()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE.exists():
        _missing(f"{AXE} is missing: run npm ci")
    return AXE


@pytest.fixture
def persistent_context(pw: Any, live_server: str) -> Iterator[Any]:
    """``persistent_context(user_data_dir, locale="sv-SE")`` → a phone context whose storage
    (IndexedDB, service worker, caches) lives in ``user_data_dir``, as in a real browser
    profile, so it survives closing the browser and starting it again."""
    opened: list[Any] = []

    def factory(user_data_dir: Path, locale: str = "sv-SE", **extra: Any) -> Any:
        context = pw.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            **context_options(live_server, locale, **extra))
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield factory
    for context in opened:
        try:
            context.close()
        except Exception:  # already closed by the test
            pass


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Any, axe_path: Path) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.1 A/AA violations on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as readable lines (rule, help and the first elements)."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)
