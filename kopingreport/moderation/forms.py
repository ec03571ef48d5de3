"""Forms of the moderation back office."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectChoice, SelectField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kopingreport.i18n import _l
from kopingreport.moderation.models import PublicPrecision
from kopingreport.moderation.workflow import ACTION_LABELS, TRANSITIONS
from kopingreport.web.fields import no_control_characters

PRECISION_LABELS = {PublicPrecision.EXACT: _l("Exact point"),
                    PublicPrecision.STREET: _l("Street level (about 100 m)"),
                    PublicPrecision.AREA: _l("Area only")}


class StateForm(FlaskForm):
    """Move the report to another state."""

    state = SelectField(_l("New state"), choices=[], validators=[DataRequired()])
    original = StringField(_l("Reference of the original report"), validators=[Length(max=20)])
    channel = StringField(_l("Where the resident should turn instead"),
                          validators=[Length(max=200), no_control_characters])
    reason = TextAreaField(_l("Reason (internal)"), validators=[Length(max=2000)])

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [SelectChoice(str(s), ACTION_LABELS[s])
                              for s in sorted(TRANSITIONS[current], key=list(ACTION_LABELS).index)]


class AssignForm(FlaskForm):
    """Hand the report to an organisation/unit and a moderator."""

    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=True)
    unit = StringField(_l("Unit"), validators=[Length(max=100), no_control_characters])
    assignee = SelectField(_l("Moderator"), choices=[], validate_choice=True)
    due_at = DateField(_l("Due date"), validators=[Optional()])

    def __init__(self, *args: Any, organisations: list[Any], moderators: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", _l("— None —")), *(
            SelectChoice(str(o.id), o.name) for o in organisations)]
        self.assignee.choices = [SelectChoice("", _l("— None —")), *(
            SelectChoice(str(u.id), u.name or u.email) for u in moderators)]


class TextForm(FlaskForm):
    """A note, a reply or the public text."""

    text = TextAreaField(_l("Text"), validators=[Length(max=4000), no_control_characters])


class PrecisionForm(FlaskForm):
    """How precisely the public sees the place."""

    precision = RadioField(_l("Public location"), choices=[
        SelectChoice(p.value, label) for p, label in PRECISION_LABELS.items()])


class PublishForm(FlaskForm):
    """Show the report on the public map."""

    is_public = BooleanField(_l("Show on the public map"))


class RedactForm(FlaskForm):
    """Regions of a photo to blur or black out (fractions x,y,w,h)."""

    regions = SelectMultipleField(choices=[], validate_choice=False)
    mode = RadioField(_l("How"), default="blur", choices=[
        SelectChoice("blur", _l("Blur")), SelectChoice("black", _l("Black out"))])


BULK_ACTIONS = {"accepted": _l("Accept"), "forwarded": _l("Forward"),
                "no_action": _l("Close: no action"), "rejected": _l("Reject (spam or abuse)")}


class BulkForm(FlaskForm):
    """One action on the selected reports."""

    ids = SelectMultipleField(choices=[], validate_choice=False)
    action = SelectField(_l("Action"), choices=[SelectChoice(k, v)
                                                for k, v in BULK_ACTIONS.items()])
    reason = StringField(_l("Reason (for rejecting)"), validators=[Length(max=500)])
