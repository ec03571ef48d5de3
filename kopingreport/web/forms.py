"""Template helpers for accessible form fields."""

from __future__ import annotations

from typing import Any

from babel import support
from flask import Flask, request
from flask_babel import get_locale
from wtforms import Field
from wtforms.i18n import messages_path


def field_attrs(field: Field, hint: bool = False, **extra: Any) -> dict[str, Any]:
    """HTML attributes linking a field to its hint and errors (``aria-describedby``)."""
    described = [f"{field.id}-hint"] if hint else []
    if field.errors:
        described.append(f"{field.id}-error")
        extra["aria-invalid"] = "true"
    if described:
        extra["aria-describedby"] = " ".join(described)
    return {key: value for key, value in extra.items() if value is not None}


_wtforms_translations: dict[str, support.Translations] = {}


def _keep_wtforms_translations() -> None:
    """Flask-WTF reads WTForms' own messages from disk on every request that builds a form;
    read them once per language instead (it takes them from ``request.wtforms_translations``)."""
    locale = str(get_locale())
    if locale not in _wtforms_translations:
        _wtforms_translations[locale] = support.Translations.load(
            messages_path(), [locale], domain="wtforms")
    request.wtforms_translations = _wtforms_translations[locale]  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Expose the helpers to templates."""
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.before_request(_keep_wtforms_translations)
