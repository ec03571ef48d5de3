"""The coordinator's forms: freeze a snapshot, a lägesbild and its texts, follow-ups, the
medborgarlöfte (texts in every citizen language) and partner sharing."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from kopingreport.i18n import _l
from kopingreport.reports.categories import CATEGORIES
from kopingreport.situation.labels import ACTIVITY_LABELS
from kopingreport.surveys.forms import TranslatedMixin, translated
from kopingreport.walks.forms import DateInputField
from kopingreport.walks.labels import STATUS_LABELS
from kopingreport.web.fields import no_control_characters

TEXT_LIMIT = 20_000
_MONTH = re.compile(r"\d{4}-\d{2}")


def _long(label: Any) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=TEXT_LIMIT), no_control_characters])


class MonthField(StringField):
    """An ``<input type=month>`` (YYYY-MM) read as the month's first day."""

    data: date | None  # type: ignore[assignment]

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "") or ""
        self.raw_data, self.data = [raw], None
        try:
            self.data = date.fromisoformat(raw.strip() + "-01") if _MONTH.fullmatch(
                raw.strip()) else None
        except ValueError:
            self.data = None
        if self.data is None or not 2000 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(_l("Give a month, e.g. 2026-05."))

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else (f"{self.data:%Y-%m}"
                                                            if self.data else "")


class FreezeForm(FlaskForm):
    """Freeze the picture on screen for a meeting."""

    meeting_on = DateInputField(_l("Meeting date"), validators=[
        DataRequired(_l("Give the meeting date."))])
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the snapshot a title.")), Length(max=150), no_control_characters])


class DocumentForm(FlaskForm):
    """A new lägesbild over whole months."""

    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the lägesbild a title.")), Length(max=150), no_control_characters])
    starts_on = MonthField(_l("First month"))
    ends_on = MonthField(_l("Last month"))


class TextsForm(FlaskForm):
    """The coordinator's parts of the lägesbild."""

    summary = _long(_l("Summary"))
    consequences = _long(_l("Consequences (for residents, places, businesses)"))
    other_information = _long(_l("Other relevant information (police, rescue service, "
                                 "social services …)"))
    causes = _long(_l("Analysis of causes"))


class FollowUpForm(FlaskForm):
    """What was done or found about an åtgärd, and its status now."""

    note = TextAreaField(_l("Follow-up"), validators=[
        DataRequired(_l("Write what was done or found.")), Length(max=4000),
        no_control_characters])
    status = SelectField(_l("Status now"), choices=[SelectChoice(s.value, label)
                                                    for s, label in STATUS_LABELS.items()],
                         validate_choice=False)
    public_reason = TextAreaField(_l("Reason if declined (public)"), validators=[
        Length(max=4000), no_control_characters])


class LinkActionForm(FlaskForm):
    """Put an existing åtgärd in the plan."""

    action = SelectField(_l("Åtgärd"), choices=[], validate_choice=False)


class KeyForm(FlaskForm):
    """A new Open311 API key."""

    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=False)
    label = StringField(_l("What the key is for"), validators=[
        DataRequired(_l("Say what the key is for, e.g. the system that uses it.")),
        Length(max=100), no_control_characters])


class _PromiseBase(FlaskForm, TranslatedMixin):
    starts_on = DateInputField(_l("First day"), validators=[DataRequired(_l("Give a date."))])
    ends_on = DateInputField(_l("Last day"), validators=[DataRequired(_l("Give a date."))])
    is_published = BooleanField(_l("Show on the public page"))


#: A medborgarlöfte: title and introduction per language, the period, published or not.
PromiseForm = type("PromiseForm", (_PromiseBase,), {
    **translated("title", limit=200), **translated("intro", long=True, limit=4000)})


class _FocusBase(FlaskForm, TranslatedMixin):
    category_codes = SelectMultipleField(_l("Report categories it concerns"), choices=[
        SelectChoice(c.code, c.name) for c in CATEGORIES], validate_choice=False)
    area_codes = SelectMultipleField(_l("Areas it concerns"), choices=[],
                                     validate_choice=False)


#: A focus area, optionally tied to report categories and areas for its figures.
FocusAreaForm = type("FocusAreaForm", (_FocusBase,), {
    **translated("title", limit=200), **translated("description", long=True, limit=4000)})


class _ActivityBase(FlaskForm, TranslatedMixin):
    owner = StringField(_l("Who does it"), validators=[Length(max=150), no_control_characters])
    status = SelectField(_l("Status"), choices=[SelectChoice(s.value, label)
                                                for s, label in ACTIVITY_LABELS.items()],
                         validate_choice=False)


#: An activity of a focus area.
ActivityForm = type("ActivityForm", (_ActivityBase,), {**translated("title", limit=300)})


class _NoteBase(FlaskForm, TranslatedMixin):
    noted_on = DateInputField(_l("Date"), validators=[DataRequired(_l("Give a date."))])
    is_public = BooleanField(_l("Show on the public page"), default=True)


#: A follow-up note on a focus area.
NoteForm = type("NoteForm", (_NoteBase,), {**translated("text", long=True, limit=4000)})
