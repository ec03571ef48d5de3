"""Forms: a barrier notice, and the confirmations before personal data is deleted."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from kopingreport.i18n import _l
from kopingreport.privacy.models import MESSAGE_MAX, PAGE_MAX
from kopingreport.web.fields import no_control_characters


class BarrierForm(FlaskForm):
    """Tell the municipality about something on the site that could not be used."""

    message = TextAreaField(_l("What did not work?"), validators=[
        DataRequired(_l("Describe what did not work.")),
        Length(max=MESSAGE_MAX, message=_l("Write at most %(max)d characters.")),
        no_control_characters])
    page = StringField(_l("Which page? (optional)"), validators=[
        Length(max=PAGE_MAX, message=_l("Write at most %(max)d characters.")),
        no_control_characters])
    email = EmailField(_l("Your e-mail, if you want an answer (optional)"), validators=[
        Optional(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message=_l("Give an e-mail address like name@example.se."))])


class ConfirmDeleteForm(FlaskForm):
    """The deliberate second step before deleting what a report holds about its sender."""

    confirm = BooleanField(_l("I understand that this cannot be undone."), validators=[
        DataRequired(_l("Tick the box to confirm."))])


class DeleteAccountForm(ConfirmDeleteForm):
    """Deleting an account also needs its password."""

    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=1000)])
