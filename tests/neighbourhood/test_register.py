"""The coordinator's register: decisions, roles, filters, map, CSV, signs."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import User
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.neighbourhood.export import safe_cell
from tests.factories import CENTRE, log_in_as
from tests.neighbourhood.helpers import make_entry, outbox, post

ADMIN = "/admin/neighbourhood-watch"


def entry_of(db_session, entry_id: int) -> NeighbourhoodContact:
    db_session.expire_all()
    return db_session.get(NeighbourhoodContact, entry_id)


def test_approval_makes_a_resident_kontaktombud_and_tells_them(
        app: Flask, client: FlaskClient, db_session) -> None:
    coordinator = log_in_as(app, client, "analyst")
    entry_id = make_entry(app, "anna@example.se", state="pending", confirmed_days_ago=None)
    page = client.get(f"{ADMIN}/{entry_id}?lang=en").get_data(as_text=True)
    assert "anna@example.se" in page and 'value="approve"' in page
    response = post(client, f"{ADMIN}/{entry_id}/decision", action="approve",
                    note="Välkommen! Skyltar kommer i maj.")
    assert response.status_code == 303
    entry = entry_of(db_session, entry_id)
    assert entry.state == "approved" and entry.decided_by_id == coordinator["id"]
    assert entry.last_confirmed_at == entry.decided_at
    assert db_session.get(User, entry.user_id).role == "grannsamverkan"
    assert outbox(app)[-1]["To"] == "anna@example.se"
    assert "Skyltar kommer i maj" in outbox(app)[-1].get_content()
    again = post(client, f"{ADMIN}/{entry_id}/decision", action="approve")
    assert again.status_code == 422 and "Only a pending application" in again.get_data(
        as_text=True)


def test_staff_keep_their_role_and_unconfirmed_addresses_wait(
        app: Flask, client: FlaskClient, db_session) -> None:
    log_in_as(app, client, "analyst")
    staff = make_entry(app, "mod@koping.example", state="pending", confirmed_days_ago=None,
                       role="moderator")
    assert post(client, f"{ADMIN}/{staff}/decision", action="approve").status_code == 303
    assert db_session.get(User, entry_of(db_session, staff).user_id).role == "moderator"
    unconfirmed = make_entry(app, "new@example.se", state="pending", confirmed_days_ago=None)
    with app.app_context():
        from kopingreport.db import get_session

        session = get_session()
        session.get(NeighbourhoodContact, unconfirmed).user.is_email_confirmed = False
        session.commit()
    refused = post(client, f"{ADMIN}/{unconfirmed}/decision", action="approve")
    assert refused.status_code == 422
    assert "not confirmed the e-mail address" in refused.get_data(as_text=True)
    assert entry_of(db_session, unconfirmed).state == "pending"


def test_decline_and_removal(app: Flask, client: FlaskClient, db_session) -> None:
    log_in_as(app, client, "analyst")
    pending = make_entry(app, "bo@example.se", state="pending", confirmed_days_ago=None)
    assert post(client, f"{ADMIN}/{pending}/decision", action="decline",
                note="Området har redan ett kontaktombud.").status_code == 303
    assert entry_of(db_session, pending).state == "declined"
    assert "not approved" in outbox(app)[-1].get_content()
    active = make_entry(app, "cia@example.se")
    assert post(client, f"{ADMIN}/{active}/decision", action="end").status_code == 303
    entry = entry_of(db_session, active)
    assert entry.state == "ended" and entry.ended_at is not None
    assert db_session.get(User, entry.user_id).role == "resident"


def test_hostile_decisions_change_nothing(app: Flask, client: FlaskClient, db_session) -> None:
    log_in_as(app, client, "analyst")
    entry_id = make_entry(app, "anna@example.se", state="pending", confirmed_days_ago=None)
    for data in ({"action": "delete"}, {"action": ""}, {"action": "approve", "note": "x" * 501},
                 {"action": "approve", "note": "bad\x07bell"}):
        response = post(client, f"{ADMIN}/{entry_id}/decision", data)
        assert response.status_code == 422, data
        assert 'class="error-summary"' in response.get_data(as_text=True)
    assert entry_of(db_session, entry_id).state == "pending" and not outbox(app)
    assert post(client, f"{ADMIN}/999/decision", action="approve").status_code == 404
    no_token = client.post(f"{ADMIN}/{entry_id}/decision", data={"action": "approve"})
    assert no_token.status_code in (400, 422)
    assert entry_of(db_session, entry_id).state == "pending"


def test_signs_are_recorded(app: Flask, client: FlaskClient, db_session) -> None:
    log_in_as(app, client, "analyst")
    entry_id = make_entry(app, "anna@example.se")
    assert post(client, f"{ADMIN}/{entry_id}/signs", sign_status="damaged").status_code == 303
    assert entry_of(db_session, entry_id).sign_status == "damaged"
    bad = post(client, f"{ADMIN}/{entry_id}/signs", sign_status="stolen<script>")
    assert bad.status_code == 422 and "<script>" not in bad.get_data(as_text=True)
    assert entry_of(db_session, entry_id).sign_status == "damaged"


def _csv(client: FlaskClient, query: str = "") -> list[list[str]]:
    response = client.get(f"{ADMIN}/export.csv?lang=en{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_register_filters_flag_lapsed_entries_and_export(app: Flask, client: FlaskClient
                                                         ) -> None:
    log_in_as(app, client, "analyst")
    make_entry(app, "current@example.se", street="Ullvi backar", point=CENTRE)
    make_entry(app, "due@example.se", street="Ängsvägen", confirmed_days_ago=370)
    make_entry(app, "old@example.se", street="=HYPERLINK(\"http://evil\")", area="kolsva",
               confirmed_days_ago=400, sign_status="missing")
    make_entry(app, "new@example.se", street="+46 Nygatan", state="pending",
               confirmed_days_ago=None)
    table = client.get(f"{ADMIN}/?lang=en").get_data(as_text=True)
    assert "Lapsed (not confirmed)" in table and "Yearly confirmation due" in table
    assert 'class="nb-lapsed"' in table and "4 entries" in table
    lapsed = client.get(f"{ADMIN}/?lang=en&state=lapsed").get_data(as_text=True)
    assert "HYPERLINK" in lapsed and "Ängsvägen" not in lapsed and "1 entry" in lapsed
    due = client.get(f"{ADMIN}/?state=due").get_data(as_text=True)
    assert "Ängsvägen" in due and "Ullvi backar" not in due
    searched = client.get(f"{ADMIN}/?q=%C3%A4ngs").get_data(as_text=True)
    assert "Ängsvägen" in searched and "Ullvi backar" not in searched
    rows = _csv(client)
    assert rows[0][:3] == ["Name", "E-mail", "Phone"] and len(rows) == 5
    streets = {row[3] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil\")" in streets and "'+46 Nygatan" in streets
    assert [row[3] for row in _csv(client, "&area=kolsva&signs=missing")[1:]] == [
        "'=HYPERLINK(\"http://evil\")"]


def test_sql_and_junk_in_filters_are_harmless(app: Flask, client: FlaskClient) -> None:
    log_in_as(app, client, "analyst")
    make_entry(app, "anna@example.se")
    injected = client.get(f"{ADMIN}/?q=%27%20OR%201%3D1%20--")
    assert injected.status_code == 200 and "anna@example.se" not in injected.get_data(
        as_text=True)
    wildcard = client.get(f"{ADMIN}/?q=%25").get_data(as_text=True)  # a literal "%"
    assert "anna@example.se" not in wildcard
    for query in ("state=superuser", "area=atlantis", "signs=1", "q=" + "x" * 101,
                  "q=%00"):
        response = client.get(f"{ADMIN}/?lang=en&{query}")
        assert response.status_code == 400, query
        assert 'class="error-summary"' in response.get_data(as_text=True)
        assert client.get(f"{ADMIN}/export.csv?{query}").status_code == 400
        assert client.get(f"{ADMIN}/map.geojson?{query}").status_code == 400


def test_map_shows_entries_with_a_point(app: Flask, client: FlaskClient) -> None:
    log_in_as(app, client, "analyst")
    with_point = make_entry(app, "anna@example.se", street="<b>Torget</b>", point=CENTRE)
    make_entry(app, "bo@example.se")
    page = client.get(f"{ADMIN}/map?lang=en").get_data(as_text=True)
    assert 'id="nb-register-map"' in page and "js/neighbourhood.js" in page
    assert "Without a point (only in the table): 1." in page
    data = client.get(f"{ADMIN}/map.geojson").get_json()
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [CENTRE[1], CENTRE[0]]
    assert feature["properties"]["street"] == "<b>Torget</b>"
    assert feature["properties"]["url"].endswith(f"/{with_point}")
    assert "anna@example.se" not in str(data)  # no personal details on the map


def test_safe_cell_quotes_every_formula_start() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Ullvi 1-3") == "Ullvi 1-3" and safe_cell(None) == "" and \
        safe_cell(12) == "12"
