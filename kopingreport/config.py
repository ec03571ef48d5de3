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
        "CONTACT_RETENTION_DAYS": 30,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LOCALES": ("sv", "fi", "en", "ar"),
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # CSRF tokens on HTML forms live as long as the session; the offline JSON API is
        # protected by an Origin check instead (see api/views.py).
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "SQLALCHEMY_ECHO": False,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMITS": "10 per minute;100 per hour",
        "LOGIN_ACCOUNT_LIMITS": "5 per minute;30 per hour",
        "PASSWORD_RESET_MAX_AGE": 3600,
        "INVITATION_MAX_AGE": 7 * 24 * 3600,
        "TOTP_ISSUER": "Köping trygghetsrapporter",
    }


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and explicit overrides."""
    app.config.update(defaults(app.instance_path))
    for name in PLAIN_ENV_NAMES:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("KOPINGREPORT")
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: put a long random value in the environment.")
    if not app.config.get("SESSION_COOKIE_NAME") or app.config["SESSION_COOKIE_NAME"] == "session":
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure and host-only.
        secure = app.config["SESSION_COOKIE_SECURE"]
        app.config["SESSION_COOKIE_NAME"] = "__Host-session" if secure else "session"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    url = app.config["DATABASE_URL"]
    if url.startswith("postgres://"):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + url.removeprefix("postgresql://")
