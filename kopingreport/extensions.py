"""Extension objects, created unbound and bound to the app in ``create_app``."""

from collections.abc import Callable

from flask import current_app, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from kopingreport.web.ratelimit import Limiter


def _client_address() -> str:
    # Behind a reverse proxy this is the client's address only when TRUSTED_PROXIES is set
    # (werkzeug's ProxyFix, see create_app); otherwise it is the proxy's.
    return request.remote_addr or "unknown"


csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
#: Rate limits; counted in Redis when ``REDIS_URL`` is set (shared by all workers), else in
#: each worker's memory.
limiter = Limiter(key_func=_client_address)


def configured_limit(name: str) -> Callable[[], str]:
    """A limit read from the configuration on each request, e.g. ``LIMIT_REPORTS``
    (``KOPINGREPORT_LIMIT_REPORTS="20 per minute;200 per hour"``)."""
    def provider() -> str:
        return str(current_app.config[name])

    provider.__name__ = f"limit_{name.lower()}"
    return provider
