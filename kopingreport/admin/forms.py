"""Forms for administering users and organisations."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from kopingreport.accounts.models import Organisation, OrganisationKind
from kopingreport.admin.labels import KIND_LABELS, ROLE_LABELS
from kopingreport.i18n import _l


class UserForm(FlaskForm):
    """Role, organisation and state of an account (e-mail only when creating)."""

    email = EmailField(_l("E-mail"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=100)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, label)
                                            for r, label in ROLE_LABELS.items()])
    organisation = SelectField(_l("Organisation"), choices=[])
    is_enabled = BooleanField(_l("Account is active"), default=True)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", _l("— None —")), *(
            SelectChoice(str(o.id), o.name) for o in organisations)]


class OrganisationForm(FlaskForm):
    """A partner organisation."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")),
                                               Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, label)
                                            for k, label in KIND_LABELS.items()])
    skips_moderation = BooleanField(_l("Reports from this organisation skip the moderation "
                                       "queue"))
    is_active = BooleanField(_l("Active"), default=True)

    def kind_value(self) -> OrganisationKind:
        return OrganisationKind(self.kind.data)
