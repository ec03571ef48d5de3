"""Forms for starting and ending a walk and for the coordinator's summary filter."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from kopingreport.accounts.models import Organisation
from kopingreport.i18n import _l
from kopingreport.nightwalks.models import TALLIES, TALLY_MAX, WALKERS_MAX
from kopingreport.reports.models import Area
from kopingreport.web.fields import no_control_characters

TALLY_LABELS: dict[str, LazyString] = {
    "young_people_met": _l("Young people we met"),
    "conversations": _l("Conversations with adults (parents, staff, others)"),
    "situations_calmed": _l("Situations we calmed down"),
    "helped_home": _l("Young people we helped home or to an adult"),
    "substances_seen": _l("Times we saw alcohol or drugs among young people"),
    "litter_damage_seen": _l("Places with litter or damage"),
    "emergency_calls": _l("Calls to 112, the police or the rescue service"),
}
#: (tally name, label) pairs in form order, for tables.
TALLY_ROWS = tuple((name, TALLY_LABELS[name]) for name in TALLIES)


class WholeNumberField(StringField):
    """A whole number within limits; keeps what was typed when it is not one."""

    data: int | None  # type: ignore[assignment]

    def __init__(self, label: Any, *, minimum: int, maximum: int, required: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.minimum, self.maximum, self.required = minimum, maximum, required

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "") or ""
        self.raw_data, self.data = [raw], None
        text = raw.strip()
        if not text:
            if self.required:
                raise ValueError(_l("Enter a number."))
            return
        if not text.isdigit() or len(text) > 9:
            raise ValueError(_l("Give a whole number, e.g. 12."))
        number = int(text)
        if not self.minimum <= number <= self.maximum:
            raise ValueError(_l("Give a number from %(min)d to %(max)d.", min=self.minimum,
                                max=self.maximum))
        self.data = number

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else (
            "" if self.data is None else str(self.data))


def area_choices(areas: list[Area], empty: LazyString) -> list[SelectChoice]:
    """Area codes for a select, with an empty first choice."""
    return [SelectChoice("", empty), *(SelectChoice(a.code, a.name) for a in areas)]


def checked_choice(field: SelectField, message: LazyString) -> None:
    """Refuse a value that is not one of the field's choices (with a clear message)."""
    if field.data not in {choice.value for choice in field.choices if choice.value}:
        field.errors = [*field.errors, message]


class StartWalkForm(FlaskForm):
    """Group, area and how many walk tonight."""

    group = SelectField(_l("Association"), choices=[], validate_choice=False)
    area = SelectField(_l("Area"), choices=[], validate_choice=False)
    walkers = WholeNumberField(_l("How many are walking?"), minimum=1, maximum=WALKERS_MAX)

    def __init__(self, *args: Any, groups: list[Organisation], areas: list[Area],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group.choices = [SelectChoice(str(g.id), g.name) for g in groups]
        self.area.choices = area_choices(areas, _l("— Choose an area —"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        checked_choice(self.group, _l("Choose your night walkers' association."))
        checked_choice(self.area, _l("Choose an area from the list."))
        return valid and not (self.group.errors or self.area.errors)


class EndWalkForm(FlaskForm):
    """The short summary and the tallies of the walk."""

    summary = TextAreaField(_l("Summary (optional)"), validators=[
        Length(max=2000, message=_l("Write at most %(max)d characters.")),
        no_control_characters])
    young_people_met = WholeNumberField(TALLY_LABELS["young_people_met"], minimum=0,
                                        maximum=TALLY_MAX, required=False)
    conversations = WholeNumberField(TALLY_LABELS["conversations"], minimum=0,
                                     maximum=TALLY_MAX, required=False)
    situations_calmed = WholeNumberField(TALLY_LABELS["situations_calmed"], minimum=0,
                                         maximum=TALLY_MAX, required=False)
    helped_home = WholeNumberField(TALLY_LABELS["helped_home"], minimum=0, maximum=TALLY_MAX,
                                   required=False)
    substances_seen = WholeNumberField(TALLY_LABELS["substances_seen"], minimum=0,
                                       maximum=TALLY_MAX, required=False)
    litter_damage_seen = WholeNumberField(TALLY_LABELS["litter_damage_seen"], minimum=0,
                                          maximum=TALLY_MAX, required=False)
    emergency_calls = WholeNumberField(TALLY_LABELS["emergency_calls"], minimum=0,
                                       maximum=TALLY_MAX, required=False)

    def tallies(self) -> dict[str, int]:
        """The tallies as numbers (empty counts as 0)."""
        return {name: getattr(self, name).data or 0 for name in TALLIES}


class SummaryFilterForm(FlaskForm):
    """The coordinator's choice of period and association (a GET form)."""

    weeks = SelectField(_l("Period"), default="12", choices=[
        SelectChoice("4", _l("Last 4 weeks")), SelectChoice("12", _l("Last 12 weeks")),
        SelectChoice("26", _l("Last 26 weeks")), SelectChoice("52", _l("Last 52 weeks"))])
    group = SelectField(_l("Association"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, groups: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, meta={"csrf": False}, **kwargs)
        self.group.choices = [SelectChoice("", _l("All associations")),
                              *(SelectChoice(str(g.id), g.name) for g in groups)]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.group.data:
            checked_choice(self.group, _l("Choose an association from the list."))
        return valid and not self.group.errors
