"""The report form, shared by the HTML page and the JSON API."""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, SelectField
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from kopingreport.i18n import _, _l
from kopingreport.reports import categories
from kopingreport.reports.images import PhotoError, PhotoSettings, ProcessedPhoto, process_photo
from kopingreport.reports.images import read_limited
from kopingreport.reports.services import ReportInput
from kopingreport.reports.states import REPORTER_KIND_LABELS, LocationSource, ReporterKind
from kopingreport.web.fields import LocalDateTimeField, OptionalFloatField, no_control_characters

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-()]{5,24}$")


def _valid_email(_form: Any, field: Any) -> None:
    if field.data and not EMAIL_RE.match(field.data):
        raise ValidationError(_l("Give an e-mail address like name@example.se."))


def _valid_phone(_form: Any, field: Any) -> None:
    if field.data and not PHONE_RE.match(field.data):
        raise ValidationError(_l("Give a phone number, e.g. 070-123 45 67."))


def _nightwalk_from_query() -> str:
    """``/report?nightwalk=ID`` (the walker's "Report" button) fills the hidden field."""
    return request.args.get("nightwalk", "")[:12] if has_request_context() else ""


def _nightwalk_id(text: str | None) -> int | None:
    """The walk id, or None for anything that is not one (the report is kept either way)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


#: Built once: the labels are lazy strings, translated when they are shown. Shared by every
#: form, so never changed in place.
_CATEGORY_CHOICES: list[SelectChoice] = [SelectChoice(c.code, c.name)
                                         for c in categories.CATEGORIES]
_area_choices_built: tuple[list[tuple[str, str]], list[SelectChoice]] | None = None


def _area_choices(area_codes: list[tuple[str, str]]) -> list[SelectChoice]:
    """The area choices, built again only when the (cached) list of areas is another one."""
    global _area_choices_built  # noqa: PLW0603 - a one-entry memo
    built = _area_choices_built
    if built is None or built[0] is not area_codes:
        built = (area_codes, [SelectChoice("", _l("— Choose an area —")),
                              *(SelectChoice(code, name) for code, name in area_codes)])
        _area_choices_built = built
    return built[1]


class ReportForm(FlaskForm):
    """What, where, when, description, photos, who and optional contact details."""

    category = RadioField(_l("What do you want to report?"), choices=[],
                          validators=[DataRequired(_l("Choose what the report is about."))])
    description = TextAreaField(_l("Describe what you saw"), validators=[
        DataRequired(_l("Write a short description.")), Length(max=4000), no_control_characters])
    occurred_at = LocalDateTimeField(_l("When did it happen?"), validators=[Optional()])
    lat = OptionalFloatField(_l("Latitude"), minimum=-90, maximum=90)
    lon = OptionalFloatField(_l("Longitude"), minimum=-180, maximum=180)
    accuracy = OptionalFloatField(_l("Accuracy in metres"), minimum=0, maximum=100_000)
    location_source = HiddenField()
    place = StringField(_l("Address or description of the place"),
                        validators=[Length(max=200), no_control_characters])
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    confirm_outside = BooleanField(_l("The place is outside Köping municipality — send anyway"))
    photos = MultipleFileField(_l("Photos"))
    kept_photos = HiddenField()
    reporter_kind = RadioField(_l("Who is reporting?"), default=ReporterKind.RESIDENT.value,
                               choices=[SelectChoice(k.value, label) for k, label in
                                        REPORTER_KIND_LABELS.items()],
                               validators=[DataRequired(_l("Choose who is reporting."))])
    contact_email = StringField(_l("E-mail"), validators=[Length(max=254), _valid_email])
    contact_phone = StringField(_l("Phone"), validators=[Length(max=40), _valid_phone])
    submission_id = HiddenField()
    nightwalk = HiddenField(default=_nightwalk_from_query)

    def __init__(self, *args: Any, area_codes: list[tuple[str, str]] | None = None,
                 photo_settings: PhotoSettings | None = None, max_photos: int = 3,
                 kept: list[ProcessedPhoto] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = _CATEGORY_CHOICES
        self.area.choices = _area_choices(area_codes or [])
        self.photo_settings = photo_settings or PhotoSettings()
        self.max_photos = max_photos
        self.kept: list[ProcessedPhoto] = list(kept or [])
        self.processed: list[ProcessedPhoto] = []

    def validate_area(self, field: SelectField) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an area from the list."))

    def validate_lon(self, field: OptionalFloatField) -> None:
        if (self.lat.data is None) != (field.data is None):
            raise ValidationError(_l("A position needs both latitude and longitude."))

    def validate_photos(self, field: MultipleFileField) -> None:
        files = [f for f in (field.data or []) if isinstance(f, FileStorage) and f.filename]
        if len(files) + len(self.kept) > self.max_photos:
            raise ValidationError(_("You can add at most %(n)d photos.", n=self.max_photos))
        problems = []
        for upload in files:
            try:
                data = read_limited(upload.stream, self.photo_settings.max_bytes)
                self.processed.append(process_photo(data, self.photo_settings))
            except PhotoError as err:
                problems.append(f"{_short_name(upload.filename)}: {err.message}")
        if problems:
            field.errors = list(field.errors) + problems

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        has_point = self.lat.data is not None and self.lon.data is not None
        if not (has_point or (self.place.data or "").strip() or self.area.data):
            self.place.errors = [*self.place.errors, _(
                "Tell us where: use your position, mark the map, write a place or choose an "
                "area.")]
            valid = False
        return valid and not self.photos.errors

    def photos_in_order(self) -> list[ProcessedPhoto]:
        """Photos kept from an earlier attempt, then the new ones."""
        return [*self.kept, *self.processed]

    def to_input(self, locale: str) -> ReportInput:
        """The validated data for the service."""
        source = self.location_source.data
        return ReportInput(
            category=self.category.data, description=self.description.data.strip(),
            reporter_kind=ReporterKind(self.reporter_kind.data), locale=locale,
            occurred_at=self.occurred_at.data, lat=self.lat.data, lon=self.lon.data,
            accuracy_m=self.accuracy.data,
            location_source=LocationSource(source) if source in set(LocationSource) else None,
            place=(self.place.data or "").strip() or None, area_code=self.area.data or None,
            contact_email=(self.contact_email.data or "").strip() or None,
            contact_phone=(self.contact_phone.data or "").strip() or None,
            confirm_outside=bool(self.confirm_outside.data), photos=self.photos_in_order(),
            nightwalk_id=_nightwalk_id(self.nightwalk.data))

    def add_errors(self, errors: dict[str, list[Any]]) -> None:
        """Attach errors found by the service to the fields they concern."""
        for name, messages in errors.items():
            target = getattr(self, name, None) or self.form_errors
            if target is self.form_errors:
                self.form_errors.extend(messages)
            else:
                target.errors = [*target.errors, *messages]


def _short_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name if len(name) <= 60 else name[:57] + "…"
