"""Forms for logging in, two-factor codes, passwords and registration."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from kopingreport.i18n import _l


class LoginForm(FlaskForm):
    """E-mail and password (DESIGN.md §5: fields ``email`` and ``password``)."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail.")),
                                                 Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=1000)])


class CodeForm(FlaskForm):
    """A six-digit code from an authenticator app."""

    code = StringField(_l("Six-digit code"), validators=[
        DataRequired(_l("Enter the code from your authenticator app.")), Length(max=12)])


class EmailForm(FlaskForm):
    """Just an e-mail address (forgotten password)."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail.")),
                                                 Length(max=254)])


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a password.")), Length(max=1000)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", _l("The passwords do not match."))])


class RegisterForm(NewPasswordForm):
    """A resident's optional account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail.")),
                                                 Length(max=254)])
    name = StringField(_l("Name (optional)"), validators=[Length(max=100)])


class ChangePasswordForm(NewPasswordForm):
    """Change the password while logged in."""

    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=1000)])
