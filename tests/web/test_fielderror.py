"""A refused change is shown where the person looks: under its field, else under the view's
fallback field, else above the form, keeping any message the field already has."""

from __future__ import annotations

from wtforms import Form, StringField

from kopingreport.accounts.services import AccountError
from kopingreport.walks.services import WalkError
from kopingreport.web.fielderror import FieldError


class _Form(Form):
    email = StringField()
    title = StringField()


def test_the_message_goes_under_the_field_it_names_else_the_fallback_else_the_form() -> None:
    form = _Form()
    form.validate()
    form.title.errors = ["Too long."]
    WalkError("Taken.", "title").show_on(form, fallback="email")
    WalkError("Choose an area.", "area").show_on(form, fallback="email")  # not in this form
    FieldError("Closed.").show_on(form)
    assert form.title.errors == ["Too long.", "Taken."]
    assert form.email.errors == ["Choose an area."]
    assert form.form_errors == ["Closed."]


def test_each_feature_keeps_its_default_field() -> None:
    assert AccountError("Bad address.").field == "email"
    assert isinstance(AccountError("x"), ValueError) and str(AccountError("Bad.")) == "Bad."
