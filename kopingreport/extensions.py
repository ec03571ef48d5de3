"""Extension objects, created unbound and bound to the app in ``create_app``."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


def _client_address() -> str:
    return request.remote_addr or "unknown"


csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
#: Rate limits; storage is Redis when ``REDIS_URL`` is set (shared by all workers), else memory.
limiter = Limiter(key_func=_client_address, default_limits=[])
