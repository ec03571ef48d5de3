"""Applying to become kontaktombud: with or without an account, hostile input, languages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import User
from kopingreport.neighbourhood.models import NeighbourhoodContact
from tests.factories import CENTRE, csrf_token, log_in, log_in_as, make_user
from tests.test_translations import compiled_catalogs  # noqa: F401 (fixture)

APPLY = "/neighbourhood-watch/apply"


def outbox(app: Flask) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def fields(**overrides: str) -> dict[str, str]:
    """A valid application of someone without an account."""
    data = {"street": "Ullvigatan 1–30", "area": "ullvi", "households": "24",
            "signs_up": "yes", "name": "Anna Lind", "phone": "070-123 45 67",
            "email": "anna@example.se", "password": "long enough password",
            "confirm": "long enough password", "consent": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def apply(client: FlaskClient, lang: str = "en", **overrides: str):
    """Post the form; the language is chosen first (the cookie keeps it for the post)."""
    token = csrf_token(client, f"/login?lang={lang}")
    return client.post(APPLY, data={"csrf_token": token, **fields(**overrides)})


def count(db_session, model: type) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_visitor_applies_and_gets_an_account_in_the_same_step(app: Flask, client: FlaskClient,
                                                              db_session) -> None:
    response = apply(client)
    assert response.status_code == 200
    entry = db_session.scalar(sa.select(NeighbourhoodContact))
    assert entry.state == "pending" and entry.area.code == "ullvi" and entry.households == 24
    assert entry.sign_status == "ok" and entry.consent_at is not None
    assert entry.consent_version and entry.phone == "070-123 45 67"
    user = db_session.get(User, entry.user_id)
    assert user.role == "resident" and not user.is_email_confirmed and user.name == "Anna Lind"
    link = re.search(r"http://localhost(/register/confirm/\S+)",
                     outbox(app)[0].get_content()).group(1)
    assert client.get(link).status_code == 303
    db_session.expire_all()
    assert db_session.get(User, user.id).is_email_confirmed


def test_applying_never_reveals_an_existing_account(app: Flask, db_session) -> None:
    make_user(app, "resident", "taken@example.se", two_factor=False)
    taken = apply(app.test_client(), email="Taken@example.se")
    fresh = apply(app.test_client(), email="fresh@example.se")
    assert taken.status_code == fresh.status_code == 200
    assert taken.get_data() == fresh.get_data()
    assert [m["To"] for m in outbox(app)] == ["taken@example.se", "fresh@example.se"]
    assert "/neighbourhood-watch/apply" in outbox(app)[0].get_content()
    assert count(db_session, NeighbourhoodContact) == 1  # only the fresh address applied


def test_logged_in_resident_applies_with_a_point_on_the_map(app: Flask, client: FlaskClient,
                                                            db_session) -> None:
    account = log_in_as(app, client, "resident", two_factor=False)
    form = client.get(APPLY).get_data(as_text=True)
    assert 'name="password"' not in form and 'name="consent"' in form
    response = apply(client, area="", lat=str(CENTRE[0]), lon=str(CENTRE[1]), email=None,
                     password=None, confirm=None)
    assert response.status_code == 303
    entry = db_session.scalar(sa.select(NeighbourhoodContact))
    assert entry.user_id == account["id"] and entry.area.code == "centrum"
    assert (entry.lat, entry.lon) == CENTRE
    again = apply(client, email=None, password=None, confirm=None)
    assert again.status_code == 422 and "already applied" in again.get_data(as_text=True)
    assert client.get(APPLY).status_code == 302  # the form sends them to their entry
    assert count(db_session, NeighbourhoodContact) == 1


HOSTILE = [
    ({"households": "abc"}, "households", "Give a whole number"),
    ({"households": "0"}, "households", "from 1 to 2000"),
    ({"households": "2001"}, "households", "from 1 to 2000"),
    ({"households": "1e3"}, "households", "Give a whole number"),
    ({"households": "9" * 400}, "households", "Give a whole number"),
    ({"street": ""}, "street", "Enter the street or area"),
    ({"street": "x" * 121}, "street", "Field cannot be longer than 120 characters"),
    ({"street": "Gatan\x00 1"}, "street", "characters that are not allowed"),
    ({"area": "ullvi'; DROP TABLE users; --"}, "area", "Choose an area from the list"),
    ({"area": ""}, "area", "Choose an area from the list"),
    ({"lat": "59.5", "area": ""}, "lat", "both latitude and longitude"),
    ({"lat": "north", "lon": "15.9"}, "lat", "must be a number"),
    ({"lat": "57.70", "lon": "11.97", "area": ""}, "area", "outside Köping municipality"),
    ({"signs_up": "maybe"}, "signs_up", "Not a valid choice"),
    ({"consent": None}, "consent", "Tick the box"),
    ({"phone": "call me"}, "phone", "Give a phone number"),
    ({"email": "not-an-address"}, "email", "Give an e-mail address"),
    ({"password": "short", "confirm": "short"}, "password", "at least 12 characters"),
    ({"confirm": "something else"}, "confirm", "do not match"),
    ({"name": "<script>alert(1)</script>" * 10}, "name", "longer than 100"),
]


@pytest.mark.parametrize("overrides,field,message", HOSTILE,
                         ids=[f"{f}-{i}" for i, (_o, f, _m) in enumerate(HOSTILE)])
def test_hostile_input_gets_a_clear_error_and_stores_nothing(
        app: Flask, client: FlaskClient, db_session, overrides: dict[str, str], field: str,
        message: str) -> None:
    response = apply(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422, field
    assert message in html and 'class="error-summary"' in html
    assert count(db_session, NeighbourhoodContact) == 0 and count(db_session, User) == 0
    assert not outbox(app)
    if field != "street":
        assert 'value="Ullvigatan 1–30"' in html  # what was typed is kept
    assert "<script>alert" not in html


def test_wrong_csrf_token_changes_nothing(client: FlaskClient, db_session) -> None:
    response = client.post(APPLY, data={"csrf_token": "forged", **fields()})
    assert response.status_code in (400, 422)
    assert count(db_session, NeighbourhoodContact) == 0


def test_application_in_swedish_and_finnish(compiled_catalogs: None, client: FlaskClient
                                            ) -> None:
    swedish = client.get(APPLY + "?lang=sv").get_data(as_text=True)
    assert "Ansök om att bli kontaktombud" in swedish and "Antal hushåll" in swedish
    finnish = client.get(APPLY + "?lang=fi").get_data(as_text=True)
    assert '<html lang="fi"' in finnish and "Hae naapuriyhteistyön yhteyshenkilöksi" in finnish
    error = apply(client, "fi", households="abc").get_data(as_text=True)
    assert "Anna kokonaisluku" in error


def test_confirmed_applicant_can_log_in_and_see_the_entry(app: Flask, client: FlaskClient
                                                          ) -> None:
    apply(client)
    link = re.search(r"http://localhost(/register/confirm/\S+)",
                     outbox(app)[0].get_content()).group(1)
    client.get(link)
    assert log_in(client, {"email": "anna@example.se", "password": "long enough password"}
                  ).status_code == 303
    page = client.get("/neighbourhood-watch/?lang=en").get_data(as_text=True)
    assert "Ullvigatan 1–30" in page and "Waiting for a decision" in page
