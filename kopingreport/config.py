"""Configuration: safe defaults, then the environment.

Settings come from ``KOPINGREPORT_*`` variables (``KOPINGREPORT_MAX_PHOTOS=3``) and a few
conventional names without the prefix (``DATABASE_URL``, ``SECRET_KEY``, ``UPLOAD_DIR``,
``REDIS_URL``, ``TILE_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

PLAIN_ENV_NAMES = ("DATABASE_URL", "SECRET_KEY", "UPLOAD_DIR", "REDIS_URL", "TILE_URL",
                   "TILE_ATTRIBUTION", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD",
                   "MAIL_FROM")

MB = 1024 * 1024


def defaults(instance_path: str) -> dict[str, Any]:
    """The settings every deployment starts from."""
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'kopingreport.sqlite'}",
        "UPLOAD_DIR": str(Path(instance_path) / "uploads"),
        "SECRET_KEY": None,
        "REDIS_URL": None,
        "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "TILE_ATTRIBUTION": "© OpenStreetMap contributors",
        "MAP_CENTER": (59.5137, 15.9906),
        "MAP_ZOOM": 13,
        # Photos: per-file and per-request limits. The request limit is generous so that one
        # over-large photo gets a field error (and keeps what was typed) instead of a 413.
        "MAX_PHOTOS": 3,
        "MAX_PHOTO_BYTES": 15 * MB,
        "MAX_CONTENT_LENGTH": 64 * MB,
        "MAX_IMAGE_PIXELS": 50_000_000,
        "PHOTO_MAX_EDGE": 1600,
        "PHOTO_THUMB_EDGE": 400,
        "PHOTO_QUALITY": 80,
        "DESCRIPTION_MAX_LENGTH": 4000,
        "REPORT_MAX_AGE_DAYS": 365,
        # Retention (GDPR storage limitation; `flask purge` applies it every night). Reports
        # themselves are public records (arkivlagen) and stay; personal data in them goes.
        # Days after a report is closed or resolved that the reporter's contact details stay.
        "CONTACT_RETENTION_DAYS": 30,
        "RETENTION_REJECTED_PHOTOS_DAYS": 30,  # after a report is rejected as spam/abuse
        "RETENTION_UNCONFIRMED_ACCOUNT_DAYS": 30,  # e-mail never confirmed, since sign-up
        "RETENTION_UNUSED_INVITATION_DAYS": 30,  # after the invitation link expired, unused
        "RETENTION_SURVEY_TOKEN_DAYS": 30,  # device marks, codes, account links after close
        "RETENTION_DECLINED_APPLICATION_DAYS": 90,  # grannsamverkan, after it was declined
        "RETENTION_ENDED_CONTACT_DAYS": 365,  # grannsamverkan register entry, after it ended
        "RETENTION_UNUSED_PHOTO_DAYS": 2,  # photo files kept for a form that was never sent
        "RETENTION_LOCK_DAYS": 1,  # moderators' soft locks ("being handled by …")
        "RETENTION_BARRIER_REPORT_DAYS": 365,  # accessibility barrier notices
        # Who answers for personal data and accessibility (shown on /privacy, /accessibility).
        "PRIVACY_CONTROLLER_EMAIL": "kommunen@koping.se",
        "PRIVACY_DPO_EMAIL": "dataskyddsombud@koping.se",
        "ACCESSIBILITY_EMAIL": "kommunen@koping.se",
        "BARRIER_REPORT_LIMITS": "5 per minute;20 per day",
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LOCALES": ("sv", "fi", "en", "ar"),
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # CSRF tokens on HTML forms live as long as the session; the offline JSON API is
        # protected by an Origin check instead (see api/views.py).
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "SQLALCHEMY_ECHO": False,
        # A pooled database connection idle longer than this (seconds) is checked with a
        # ping before it is used; a busy connection is not (a ping is a round trip, about a
        # fifth of a report's cost). 0 pings on every use.
        "DATABASE_PING_AFTER_IDLE": 10,
        # Rate limits count per client address (see TRUSTED_PROXIES) in Redis when REDIS_URL
        # is set, so that every worker and node shares them. A meeting with many phones on
        # one Wi-Fi shares one address: the limits leave room for that. Redis down: each
        # worker counts in memory instead of refusing reports.
        "RATELIMIT_KEY_PREFIX": "kopingreport",
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "LIMIT_REPORTS": "30 per minute;300 per hour;2000 per day",
        "LIMIT_API": "300 per minute;5000 per hour",
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto; 0: trust
        # no such header (the client's address is the connection's).
        "TRUSTED_PROXIES": 0,
        "LOGIN_LIMITS": "30 per minute;300 per hour",
        "LOGIN_ACCOUNT_LIMITS": "5 per minute;30 per hour",
        "PASSWORD_RESET_MAX_AGE": 3600,
        "INVITATION_MAX_AGE": 7 * 24 * 3600,
        "TOTP_ISSUER": "Köping trygghetsrapporter",
    }


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and explicit overrides."""
    known = defaults(app.instance_path)
    app.config.update(known)
    for name in PLAIN_ENV_NAMES:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("KOPINGREPORT")
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: put a long random value in the environment.")
    for name, default in known.items():  # a number from the environment must be a number
        if isinstance(default, (int, float)) and not isinstance(default, bool) \
                and not isinstance(app.config[name], (int, float)):
            raise RuntimeError(f"KOPINGREPORT_{name} must be a number, not "
                               f"{app.config[name]!r} (no comments after values in env files).")
    if not app.config.get("SESSION_COOKIE_NAME") or app.config["SESSION_COOKIE_NAME"] == "session":
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure and host-only.
        secure = app.config["SESSION_COOKIE_SECURE"]
        app.config["SESSION_COOKIE_NAME"] = "__Host-session" if secure else "session"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"]
                                 or "kopingreport-memory://")
    url = app.config["DATABASE_URL"]
    if url.startswith("postgres://"):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + url.removeprefix("postgresql://")
