"""Form fields shared by several features."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wtforms import Field, StringField
from wtforms.validators import ValidationError

from kopingreport.i18n import _l

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def parse_local_datetime(text: str) -> datetime:
    """ISO 8601 (with an offset or ``Z``) or a ``datetime-local`` value in Swedish time → UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def local_input_value(moment: datetime) -> str:
    """``moment`` as a ``datetime-local`` input shows it (Swedish local time)."""
    return moment.astimezone(LOCAL_TZ).strftime(LOCAL_INPUT_FORMAT)


class LocalDateTimeField(StringField):
    """A ``datetime-local`` input (Swedish local time) that also takes ISO 8601 from the API."""

    data: datetime | None  # type: ignore[assignment]

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "") or ""
        self.raw_data = [raw]
        if not raw.strip():
            self.data = None
            return
        try:
            self.data = parse_local_datetime(raw)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Give a date and time, e.g. 2026-05-01 21:30.")) from exc

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return local_input_value(self.data) if self.data else ""


class OptionalFloatField(StringField):
    """A number that may be left empty; keeps what was typed when it is not a number."""

    data: float | None  # type: ignore[assignment]

    def __init__(self, *args: Any, minimum: float, maximum: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "") or ""
        self.raw_data = [raw]
        self.data = None
        if raw.strip():
            try:
                number = float(raw.strip().replace(",", "."))
            except ValueError as exc:
                raise ValueError(_l("This must be a number.")) from exc
            if not (self.minimum <= number <= self.maximum):  # also rejects NaN
                raise ValueError(_l("This number is out of range."))
            self.data = number

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else ("" if self.data is None
                                                              else str(self.data))


def no_control_characters(_form: Any, field: Field) -> None:
    """Refuse invisible control characters (other than line breaks and tabs)."""
    text = field.data or ""
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text) or "\x7f" in text:
        raise ValidationError(_l("The text contains characters that are not allowed."))
