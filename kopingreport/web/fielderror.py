"""A change a service refuses, tied to the form field it concerns.

Services raise a subclass (``AccountError``, ``WalkError`` …) with a translated (usually
lazy) message; views show it under that field with :meth:`FieldError.show_on`, so what the
person typed stays in the form.
"""

from __future__ import annotations

from typing import Any


class FieldError(ValueError):
    """A refused change: ``message`` is translated, ``field`` names the form field it concerns
    (empty or None: the form as a whole). A subclass may set ``default_field``."""

    default_field: str | None = None

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = self.default_field if field is None else field

    def show_on(self, form: Any, fallback: str | None = None) -> None:
        """Add the message to ``form``: under the field it names, else under ``fallback``,
        else above the form (``form_errors``)."""
        fields = getattr(form, "_fields", {})
        target = fields.get(self.field or "") or fields.get(fallback or "")
        if target is None:
            form.form_errors.append(self.message)
        else:
            target.errors = [*target.errors, self.message]
