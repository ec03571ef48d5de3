"""Template helpers for accessible form fields."""

from __future__ import annotations

from typing import Any

from flask import Flask
from wtforms import Field


def field_attrs(field: Field, hint: bool = False, **extra: Any) -> dict[str, Any]:
    """HTML attributes linking a field to its hint and errors (``aria-describedby``)."""
    described = [f"{field.id}-hint"] if hint else []
    if field.errors:
        described.append(f"{field.id}-error")
        extra["aria-invalid"] = "true"
    if described:
        extra["aria-describedby"] = " ".join(described)
    return {key: value for key, value in extra.items() if value is not None}


def init_app(app: Flask) -> None:
    """Expose the helpers to templates."""
    app.jinja_env.globals["field_attrs"] = field_attrs
