"""Forms: the application, the coordinator's decisions, signs, messages and filters."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from kopingreport.i18n import _l
from kopingreport.neighbourhood.labels import SIGN_LABELS, STATE_FILTERS
from kopingreport.neighbourhood.models import HOUSEHOLDS_MAX
from kopingreport.neighbourhood.services import Application
from kopingreport.nightwalks.forms import WholeNumberField, area_choices, checked_choice
from kopingreport.reports.forms import EMAIL_RE, PHONE_RE
from kopingreport.reports.models import Area
from kopingreport.web.fields import OptionalFloatField, no_control_characters

class ApplyForm(FlaskForm):
    """A resident's application to become kontaktombud. Someone without an account gives an
    e-mail and a password too, and the account is made in the same step."""

    street = StringField(_l("Street or area you will be kontaktombud for"), validators=[
        DataRequired(_l("Enter the street or area.")), Length(max=120), no_control_characters])
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    lat = OptionalFloatField(_l("Latitude"), minimum=-90, maximum=90)
    lon = OptionalFloatField(_l("Longitude"), minimum=-180, maximum=180)
    households = WholeNumberField(_l("Number of households"), minimum=1,
                                  maximum=HOUSEHOLDS_MAX)
    signs_up = RadioField(_l("Are there grannsamverkan signs up in the area?"), choices=[
        SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No, or I do not know"))],
        validators=[DataRequired(_l("Answer whether there are signs."))])
    name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")), Length(max=100), no_control_characters])
    phone = StringField(_l("Phone (optional)"), validators=[
        Optional(), Length(max=40),
        Regexp(PHONE_RE, message=_l("Give a phone number, e.g. 070-123 45 67."))])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Enter your e-mail.")), Length(max=254),
        Regexp(EMAIL_RE, message=_l("Give an e-mail address like name@example.se."))])
    password = PasswordField(_l("Choose a password"), validators=[
        DataRequired(_l("Enter a password.")), Length(max=1000)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", _l("The passwords do not match."))])
    consent = BooleanField(_l("I agree that my details are used as described above."),
                           validators=[DataRequired(_l("Tick the box to give your consent."))])

    def __init__(self, *args: Any, areas: list[Area], with_account: bool, **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = area_choices(areas, _l("— Choose an area —"))
        self.with_account = with_account
        if not with_account:
            for name in ("email", "password", "confirm"):
                delattr(self, name)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if (self.lat.data is None) != (self.lon.data is None):
            self.lat.errors = [*self.lat.errors, _l("A position needs both latitude and "
                                                    "longitude.")]
        if self.lat.data is None and not self.lat.errors:
            checked_choice(self.area, _l("Choose an area from the list or mark the place on "
                                         "the map."))
        return valid and not (self.lat.errors or self.area.errors)

    def to_application(self) -> Application:
        """The validated data for the service."""
        return Application(
            name=self.name.data or "", street=self.street.data or "",
            households=self.households.data or 0, signs_up=self.signs_up.data == "yes",
            area_code=self.area.data or None, lat=self.lat.data, lon=self.lon.data,
            phone=(self.phone.data or "").strip() or None)


class DecisionForm(FlaskForm):
    """Approve, decline or end an entry, with an optional note."""

    action = StringField(validators=[AnyOf(["approve", "decline", "end"],
                                           _l("Choose what to do."))])
    note = TextAreaField(_l("Note to the applicant (optional)"), validators=[
        Length(max=500, message=_l("Write at most %(max)d characters.")),
        no_control_characters])


class ConfirmForm(FlaskForm):
    """The yearly answer: still active, or stop."""

    action = StringField(validators=[AnyOf(["confirm", "stop"], _l("Choose an answer."))])


class SignForm(FlaskForm):
    """The state of the area's signs."""

    sign_status = RadioField(_l("State of the signs"), choices=[
        SelectChoice(s.value, label) for s, label in SIGN_LABELS.items()],
        validators=[DataRequired(_l("Choose the state of the signs."))])


class MessageForm(FlaskForm):
    """A message to every active kontaktombud in the chosen areas."""

    subject = StringField(_l("Subject"), validators=[
        DataRequired(_l("Enter a subject.")), Length(max=150), no_control_characters])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write the message.")),
        Length(max=5000, message=_l("Write at most %(max)d characters.")),
        no_control_characters])
    areas = SelectMultipleField(_l("Areas"), choices=[], validate_choice=False,
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())

    def __init__(self, *args: Any, areas: list[Area], counts: dict[int, int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas.choices = [SelectChoice(a.code, _l("%(area)s (contacts: %(n)d)",
                                                      area=a.name, n=counts.get(a.id, 0)))
                              for a in areas]

    def validate_areas(self, field: SelectMultipleField) -> None:
        codes = {choice.value for choice in field.choices}
        if not field.data or not set(field.data) <= codes:
            field.errors = [*field.errors, _l("Choose one or more areas from the list.")]


class RegisterFilterForm(FlaskForm):
    """Filters of the register table, the map and the CSV export (a GET form)."""

    state = SelectField(_l("State"), choices=[SelectChoice(value, label) for value, label
                                              in STATE_FILTERS.items()], validate_choice=False)
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    signs = SelectField(_l("Signs"), choices=[SelectChoice("", _l("All")), *(
        SelectChoice(s.value, label) for s, label in SIGN_LABELS.items())], validate_choice=False)
    q = StringField(_l("Search name, e-mail or street"), validators=[
        Length(max=100), no_control_characters])

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, meta={"csrf": False}, **kwargs)
        self.area.choices = area_choices(areas, _l("All areas"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.state, self.area, self.signs):
            if field.data:
                checked_choice(field, _l("Choose a value from the list."))
        return valid and not (self.state.errors or self.area.errors or self.signs.errors)
