"""Extension objects, created unbound and bound to the app in ``create_app``."""

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage


def _client_address() -> str:
    # Behind a reverse proxy this is the client's address only when TRUSTED_PROXIES is set
    # (werkzeug's ProxyFix, see create_app); otherwise it is the proxy's.
    return request.remote_addr or "unknown"


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` counts whose expired entries are swept at most once a minute, by the
    request that finds the sweep due.

    The library's own memory storage starts a thread 10 ms after every hit, and that thread
    walks every counter it holds: with thousands of client addresses a busy worker spent a
    tenth of its time there. A counter read after its window is still reset at once (the
    library's ``get`` checks the expiry); the sweep only frees memory.
    """

    STORAGE_SCHEME = ["kopingreport-memory"]
    SWEEP_SECONDS = 60.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - replaces the private one
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
#: Rate limits; storage is Redis when ``REDIS_URL`` is set (shared by all workers), else memory.
limiter = Limiter(key_func=_client_address, default_limits=[])

# Flask-Limiter keeps some settings of the first app it was bound to (``x = self.x or
# config[...]``). One process normally has one app, but tests build many: each app starts
# from the limiter's own initial settings so that its configuration is the one in force.
_INITIAL: dict[str, Any] = {name: getattr(limiter, name) for name in (
    "_headers_enabled", "_strategy", "_key_prefix", "_retry_after", "_swallow_errors",
    "_fail_on_first_breach", "_request_identifier", "_in_memory_fallback_enabled",
    "_default_limits_per_method", "_application_limits_per_method", "_on_breach")}


def init_limiter(app: Flask) -> None:
    """Bind the shared limiter to ``app`` with ``app``'s RATELIMIT_* settings."""
    for name, value in _INITIAL.items():
        setattr(limiter, name, value)
    limiter.enabled = True
    limiter._storage_options = {}  # noqa: SLF001 - see _INITIAL
    limiter._header_mapping = {}  # noqa: SLF001
    limiter._in_memory_fallback = []  # noqa: SLF001
    limiter._storage_dead = False  # noqa: SLF001
    app.after_request(_retry_after_only_when_refused)  # before the limiter's: runs after it
    limiter.init_app(app)


#: Answers that tell a client to come back later; Retry-After means nothing on the others.
_COME_BACK_LATER = {429, 503, 507}


def _retry_after_only_when_refused(response: Response) -> Response:
    """Flask-Limiter puts ``Retry-After`` on every limited response, successes too: a client
    (or a proxy) that honours it would wait a minute after a report that went through."""
    if response.status_code not in _COME_BACK_LATER and not 300 <= response.status_code < 400:
        response.headers.pop("Retry-After", None)
    return response


def configured_limit(name: str) -> Callable[[], str]:
    """A limit read from the configuration on each request, e.g. ``LIMIT_REPORTS``
    (``KOPINGREPORT_LIMIT_REPORTS="20 per minute;200 per hour"``)."""
    def provider() -> str:
        return str(current_app.config[name])

    provider.__name__ = f"limit_{name.lower()}"
    return provider
