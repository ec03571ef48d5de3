"""Forms of safety walks: the walk, a stop (participants' phones), the organiser's edit of a
stop, and an åtgärd."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_babel import LazyString
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, HiddenField, MultipleFileField, SelectChoice, SelectField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from kopingreport.accounts.models import Organisation
from kopingreport.i18n import _, _l
from kopingreport.nightwalks.forms import WholeNumberField, area_choices
from kopingreport.reports.images import PhotoError, PhotoSettings, ProcessedPhoto
from kopingreport.reports.images import process_photo, read_limited
from kopingreport.reports.models import Area
from kopingreport.surveys.library import checklist_items, checklist_ratings
from kopingreport.walks.labels import GROUP_LABELS, PRIORITY_LABELS, STATUS_LABELS
from kopingreport.walks.actions import ActionInput
from kopingreport.walks.models import ActionStatus, ParticipantGroup
from kopingreport.walks.services import StopInput, WalkInput
from kopingreport.web.fields import LocalDateTimeField, OptionalFloatField, no_control_characters

MAX_PHOTOS = 3
TEXT_MAX = 2000


def _long(label: LazyString) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=TEXT_MAX, message=_l(
        "Write at most %(max)d characters.")), no_control_characters])


class DateInputField(StringField):
    """A date (``<input type=date>``, YYYY-MM-DD) that keeps what was typed when invalid."""

    data: date | None  # type: ignore[assignment]

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "") or ""
        self.raw_data, self.data = [raw], None
        if raw.strip():
            try:
                self.data = date.fromisoformat(raw.strip())
            except ValueError as exc:
                raise ValueError(_l("Give a date, e.g. 2026-06-30.")) from exc

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else (self.data.isoformat()
                                                            if self.data else "")


def _count(group: ParticipantGroup) -> WholeNumberField:
    return WholeNumberField(GROUP_LABELS[group], minimum=0, maximum=999, required=False)


class WalkForm(FlaskForm):
    """When and where the walk is, who organises it and who took part."""

    title = StringField(_l("Name of the walk"), validators=[
        DataRequired(_l("Give the walk a name.")), Length(max=150), no_control_characters])
    held_at = LocalDateTimeField(_l("Date and time"), validators=[
        DataRequired(_l("Give a date and time, e.g. 2026-05-01 21:30."))])
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    meeting_point = StringField(_l("Meeting point"), validators=[Length(max=200),
                                                                 no_control_characters])
    organiser_name = StringField(_l("Organiser"), validators=[
        DataRequired(_l("Name the organiser, e.g. Köpings kommun.")), Length(max=150),
        no_control_characters])
    participant_note = _long(_l("Organisations and roles that took part (no residents' "
                                "names)"))
    summary = _long(_l("Summary of the closing meeting"))

    count_residents = _count(ParticipantGroup.RESIDENTS)
    count_kommun = _count(ParticipantGroup.MUNICIPALITY)
    count_polis = _count(ParticipantGroup.POLICE)
    count_kbab = _count(ParticipantGroup.HOUSING)
    count_politicians = _count(ParticipantGroup.POLITICIANS)
    count_other = _count(ParticipantGroup.OTHER)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = area_choices(areas, _l("— Choose an area —"))

    @property
    def counts(self) -> dict[ParticipantGroup, WholeNumberField]:
        """The participant count field of each group."""
        return {g: getattr(self, f"count_{g.value}") for g in ParticipantGroup}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.area.data not in {c.value for c in self.area.choices if c.value}:
            self.area.errors = [*self.area.errors, _l("Choose an area from the list.")]
        return valid and not self.area.errors

    def to_input(self) -> WalkInput:
        """The validated walk."""
        return WalkInput(
            title=self.title.data or "", held_at=self.held_at.data,  # type: ignore[arg-type]
            area_code=self.area.data or "", meeting_point=self.meeting_point.data or "",
            organiser_name=self.organiser_name.data or "",
            participants={g.value: f.data or 0 for g, f in self.counts.items()},
            participant_note=self.participant_note.data or "", summary=self.summary.data or "")


class StopForm(FlaskForm):
    """A stop: where, the checklist, problem, what feels safe, proposal, photos."""

    lat = OptionalFloatField(_l("Latitude"), minimum=-90, maximum=90)
    lon = OptionalFloatField(_l("Longitude"), minimum=-180, maximum=180)
    accuracy = OptionalFloatField(_l("Accuracy in metres"), minimum=0, maximum=100_000)
    place = StringField(_l("Address or description of the place"),
                        validators=[Length(max=200), no_control_characters])
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    problem = _long(_l("What is the problem here?"))
    positive = _long(_l("What feels safe here?"))
    proposal = _long(_l("What do you propose should be done?"))
    group = SelectField(_l("You are taking part as"), choices=[], validate_choice=False)
    photos = MultipleFileField(_l("Photos"))
    submission_id = HiddenField()

    def __init__(self, *args: Any, areas: list[Area], kept: list[ProcessedPhoto] | None = None,
                 photo_settings: PhotoSettings | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept = list(kept or [])
        self.photo_settings = photo_settings or PhotoSettings()
        self.area.choices = area_choices(areas, _l("— Choose an area —"))
        self.group.choices = [SelectChoice("", _l("— Choose —")), *(
            SelectChoice(g.value, label) for g, label in GROUP_LABELS.items())]
        self.processed: list[ProcessedPhoto] = []
        self.checklist: dict[str, str] = {}
        self.checklist_errors: list[Any] = []

    def validate_area(self, field: SelectField) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose an area from the list."))

    def validate_group(self, field: SelectField) -> None:
        if field.data and field.data not in set(ParticipantGroup):
            raise ValidationError(_l("Choose one of the answers in the list."))

    def validate_lon(self, field: OptionalFloatField) -> None:
        if (self.lat.data is None) != (field.data is None):
            raise ValidationError(_l("A position needs both latitude and longitude."))

    def validate_photos(self, field: MultipleFileField) -> None:
        files = [f for f in (field.data or []) if isinstance(f, FileStorage) and f.filename]
        if len(files) + len(self.kept) > MAX_PHOTOS:
            raise ValidationError(_("You can add at most %(n)d photos.", n=MAX_PHOTOS))
        settings = self.photo_settings
        for upload in files:
            try:
                self.processed.append(process_photo(
                    read_limited(upload.stream, settings.max_bytes), settings))
            except PhotoError as err:
                field.errors = [*field.errors, err.message]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        ratings = {o["value"] for o in checklist_ratings()}
        for item in checklist_items():
            value = request.form.get(f"check_{item['value']}", "")
            if value and value not in ratings:
                self.checklist_errors = [_l("Choose one of the answers in the list.")]
            elif value:
                self.checklist[item["value"]] = value
        return valid and not self.photos.errors and not self.checklist_errors

    def to_input(self) -> StopInput:
        """The validated stop."""
        return StopInput(
            lat=self.lat.data, lon=self.lon.data, accuracy_m=self.accuracy.data,
            place=self.place.data or "", area_code=self.area.data or "",
            checklist=dict(self.checklist), problem=self.problem.data or "",
            positive=self.positive.data or "", proposal=self.proposal.data or "",
            group=ParticipantGroup(self.group.data) if self.group.data else None,
            photos=tuple(self.photos_in_order()))

    def photos_in_order(self) -> list[ProcessedPhoto]:
        """Photos kept from an earlier attempt, then the new ones."""
        return [*self.kept, *self.processed]


class StopEditForm(StopForm):
    """The organiser's edit of a stop for the protocol."""

    priority = SelectField(_l("Priority"), choices=[], validate_choice=False)
    is_in_protocol = BooleanField(_l("Include in the protocol"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priority.choices = [SelectChoice("", _l("— Not set —")), *(
            SelectChoice(str(n), label) for n, label in PRIORITY_LABELS.items())]

    def validate_priority(self, field: SelectField) -> None:
        if field.data and field.data not in {str(n) for n in PRIORITY_LABELS}:
            raise ValidationError(_l("Choose one of the answers in the list."))


class ActionForm(FlaskForm):
    """An åtgärd: what, who, when, status and (when declined) the public reason."""

    title = StringField(_l("Åtgärd"), validators=[
        DataRequired(_l("Describe the åtgärd.")), Length(max=300), no_control_characters])
    description = _long(_l("Details (optional)"))
    owner_organisation = SelectField(_l("Responsible organisation"), choices=[],
                                     validate_choice=False)
    owner_text = StringField(_l("Or responsible, in words"), validators=[
        Length(max=150), no_control_characters])
    due_on = DateInputField(_l("Due date"))
    status = SelectField(_l("Status"), choices=[SelectChoice(s.value, label)
                                                for s, label in STATUS_LABELS.items()],
                         validate_choice=False)
    public_reason = _long(_l("Reason if declined (public)"))

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_organisation.choices = [SelectChoice("", _l("— None —")), *(
            SelectChoice(str(o.id), o.name) for o in organisations)]

    def validate_owner_organisation(self, field: SelectField) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose an organisation from the list."))

    def validate_status(self, field: SelectField) -> None:
        if field.data not in set(ActionStatus):
            raise ValidationError(_l("Choose one of the answers in the list."))

    def to_input(self) -> ActionInput:
        """The validated åtgärd."""
        owner = self.owner_organisation.data
        return ActionInput(
            title=self.title.data or "", description=self.description.data or "",
            owner_organisation_id=int(owner) if owner else None,
            owner_text=self.owner_text.data or "", due_on=self.due_on.data,
            status=ActionStatus(self.status.data), public_reason=self.public_reason.data or "")
