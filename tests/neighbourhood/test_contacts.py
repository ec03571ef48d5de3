"""Messages to contacts in chosen areas, the yearly confirmation and stepping down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import User
from kopingreport.db import utcnow
from kopingreport.neighbourhood.models import NeighbourhoodContact, NeighbourhoodMessage
from tests.factories import log_in, log_in_as
from tests.neighbourhood.helpers import make_entry, outbox, post

ADMIN = "/admin/neighbourhood-watch"
LINK_RE = re.compile(r"http://[^/\s]+(/neighbourhood-watch/confirm/\S+)")


def count(db_session, model: type) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_message_reaches_active_contacts_of_the_chosen_areas(app: Flask, client: FlaskClient,
                                                             db_session) -> None:
    log_in_as(app, client, "analyst")
    make_entry(app, "a@example.se", area="ullvi")
    make_entry(app, "b@example.se", area="ullvi")
    make_entry(app, "lapsed@example.se", area="ullvi", confirmed_days_ago=400)
    make_entry(app, "pending@example.se", area="ullvi", state="pending",
               confirmed_days_ago=None)
    make_entry(app, "c@example.se", area="centrum")
    form = client.get(f"{ADMIN}/messages/new?lang=en").get_data(as_text=True)
    assert "Ullvi (contacts: 2)" in form and "Centrum (contacts: 1)" in form
    response = post(client, f"{ADMIN}/messages/new", subject="Fler inbrott i Ullvi",
                    body="Polisen ser fler inbrott i Ullvi.\nHåll extra utkik.",
                    areas=["ullvi", "karlberg"])
    assert response.status_code == 303
    message = db_session.scalar(sa.select(NeighbourhoodMessage))
    assert message.recipient_count == 2 and {a.code for a in message.areas} == {
        "ullvi", "karlberg"}
    assert sorted(m["To"] for m in outbox(app)) == ["a@example.se", "b@example.se"]
    assert all(m["Subject"] == "Fler inbrott i Ullvi" for m in outbox(app))
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Sent to 2 contacts." in page and "Håll extra utkik." in page
    listing = client.get(f"{ADMIN}/messages").get_data(as_text=True)
    assert "Fler inbrott i Ullvi" in listing


@pytest.mark.parametrize("data,message", [
    ({"subject": "Hej", "body": "Text"}, "Choose one or more areas"),
    ({"subject": "Hej", "body": "Text", "areas": ["atlantis"]}, "Choose one or more areas"),
    ({"subject": "Hej", "body": "Text", "areas": ["munktorp"]}, "no active contacts"),
    ({"subject": "", "body": "Text", "areas": ["ullvi"]}, "Enter a subject"),
    ({"subject": "Hej", "body": "", "areas": ["ullvi"]}, "Write the message"),
    ({"subject": "Hej", "body": "x" * 5001, "areas": ["ullvi"]}, "at most 5000"),
    ({"subject": "Hej\x1b[31m", "body": "Text", "areas": ["ullvi"]}, "not allowed"),
])
def test_hostile_messages_store_and_send_nothing(app: Flask, client: FlaskClient, db_session,
                                                 data: dict, message: str) -> None:
    log_in_as(app, client, "analyst")
    make_entry(app, "a@example.se", area="ullvi")
    response = post(client, f"{ADMIN}/messages/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert count(db_session, NeighbourhoodMessage) == 0 and not outbox(app)
    if data.get("body") == "Text":
        assert "Text</textarea>" in html  # what was typed is kept


def _set_confirmed(app: Flask, entry_id: int, days_ago: int) -> None:
    with app.app_context():
        from kopingreport.db import get_session

        session = get_session()
        session.get(NeighbourhoodContact, entry_id).last_confirmed_at = \
            utcnow() - timedelta(days=days_ago)
        session.commit()


def test_yearly_reminder_link_confirms_without_logging_in(app: Flask, client: FlaskClient,
                                                          db_session) -> None:
    log_in_as(app, client, "analyst")
    due = make_entry(app, "due@example.se", confirmed_days_ago=340)
    make_entry(app, "fresh@example.se", confirmed_days_ago=20)
    make_entry(app, "gone@example.se", confirmed_days_ago=500)  # lapsed: no more reminders
    assert "due for the yearly reminder: 1" in client.get(f"{ADMIN}/?lang=en").get_data(
        as_text=True)
    assert post(client, f"{ADMIN}/reminders").status_code == 303
    assert [m["To"] for m in outbox(app)] == ["due@example.se"]
    assert post(client, f"{ADMIN}/reminders").status_code == 303
    assert len(outbox(app)) == 1  # at most one reminder a month
    link = LINK_RE.search(outbox(app)[0].get_content()).group(1)
    guest = app.test_client()
    page = guest.get(link + "?lang=en")
    assert page.status_code == 200 and "Are you still kontaktombud?" in page.get_data(
        as_text=True)
    db_session.expire_all()
    assert db_session.get(NeighbourhoodContact, due).reminded_at is not None  # GET is safe
    junk = post(guest, link, action="maybe")
    assert junk.status_code == 422
    answered = post(guest, link, action="confirm")
    assert answered.status_code == 200
    entry = db_session.get(NeighbourhoodContact, due)
    db_session.refresh(entry)
    assert utcnow() - entry.last_confirmed_at < timedelta(minutes=1)
    assert entry.reminded_at is None and entry.confirmation() == "current"
    assert guest.get(link).status_code == 400  # used links stop working
    assert guest.get("/neighbourhood-watch/confirm/forged-token").status_code == 400


def test_reminder_link_lets_the_contact_stop(app: Flask, db_session) -> None:
    entry_id = make_entry(app, "due@example.se", confirmed_days_ago=360)
    with app.test_request_context(base_url="http://localhost"):
        from kopingreport.db import get_session
        from kopingreport.neighbourhood.mailing import confirm_token

        token = confirm_token(get_session().get(NeighbourhoodContact, entry_id))
    client = app.test_client()
    assert post(client, f"/neighbourhood-watch/confirm/{token}", action="stop"
                ).status_code == 200
    entry = db_session.get(NeighbourhoodContact, entry_id)
    assert entry.state == "ended" and db_session.get(User, entry.user_id).role == "resident"


def test_reminder_command_for_cron(app: Flask) -> None:
    make_entry(app, "due@example.se", confirmed_days_ago=340)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["grannsamverkan", "remind", "--base-url",
                                 "https://trygg.koping.se"])
    assert result.exit_code == 0 and "Reminders sent: 1." in result.output
    # The tests set SERVER_NAME, which Flask prefers to the host of --base-url.
    assert re.search(r"https://\S+/neighbourhood-watch/confirm/", outbox(app)[0].get_content())
    again = runner.invoke(args=["grannsamverkan", "remind", "--base-url",
                                "https://trygg.koping.se"])
    assert "Reminders sent: 0." in again.output


def test_contact_confirms_and_steps_down_on_their_page(app: Flask, client: FlaskClient,
                                                       db_session) -> None:
    entry_id = make_entry(app, "anna@example.se", confirmed_days_ago=380)
    assert log_in(client, {"email": "anna@example.se", "password": "long enough password"}
                  ).status_code == 303
    page = client.get("/neighbourhood-watch/?lang=en").get_data(as_text=True)
    assert "Yearly confirmation due" in page and "I am still active" in page
    assert post(client, "/neighbourhood-watch/still-active").status_code == 303
    assert db_session.get(NeighbourhoodContact, entry_id).confirmation() == "current"
    assert post(client, "/neighbourhood-watch/step-down").status_code == 303
    db_session.expire_all()
    entry = db_session.get(NeighbourhoodContact, entry_id)
    assert entry.state == "ended" and db_session.get(User, entry.user_id).role == "resident"
    assert post(client, "/neighbourhood-watch/step-down").status_code == 404


@pytest.mark.parametrize("url", ["/neighbourhood-watch/still-active",
                                 "/neighbourhood-watch/step-down"])
def test_own_entry_actions_need_login(client: FlaskClient, url: str) -> None:
    response = post(client, url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
