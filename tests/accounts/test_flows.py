"""Logging in, two-factor codes, rate limits, passwords, registration and administration."""

from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.accounts.models import Organisation, User
from tests.factories import PASSWORD, csrf_token, log_in, log_in_as, make_user


def outbox(app: Flask) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def link_in(message, path: str) -> str:
    body = message.get_content()
    return re.search(rf"http://localhost(/{path}/[^\s]+)", body).group(1)


def post(client: FlaskClient, url: str, **data: str):
    return client.post(url, data={"csrf_token": csrf_token(client, "/login"), **data})


def test_two_factor_code_is_required_and_single_use(app: Flask, client: FlaskClient) -> None:
    account = make_user(app, "moderator")
    first = post(client, "/login", email=account["email"], password=PASSWORD)
    assert first.headers["Location"].endswith("/login/code")
    assert client.get("/admin/").status_code == 302  # not logged in before the code
    wrong = post(client, "/login/code", code="000000")
    assert wrong.status_code == 422
    code = pyotp.TOTP(account["secret"]).now()
    assert post(client, "/login/code", code=code).status_code == 303
    assert client.get("/admin/").status_code == 200
    other = app.test_client()
    post(other, "/login", email=account["email"], password=PASSWORD)
    assert post(other, "/login/code", code=code).status_code == 422  # replayed code


def test_two_factor_set_up_turns_it_on(app: Flask, client: FlaskClient, db_session) -> None:
    account = make_user(app, "analyst", two_factor=False)
    log_in(client, account)
    assert client.get("/admin/").headers["Location"].endswith("/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert "<svg" in page
    assert post(client, "/account/two-factor", code="123456").status_code == 422
    response = post(client, "/account/two-factor", code=pyotp.TOTP(secret).now())
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 200
    assert db_session.scalar(sa.select(User.totp_secret)) == secret


def test_login_is_rate_limited_per_account(app: Flask) -> None:
    account = make_user(app, "partner", two_factor=False)
    statuses = []
    for attempt in range(7):
        client = app.test_client()  # a new client each time: the limit is per account too
        statuses.append(post(client, "/login", email=account["email"],
                             password=f"wrong {attempt}").status_code)
    assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]


def test_unknown_accounts_are_rate_limited_the_same_way(app: Flask) -> None:
    statuses = [post(app.test_client(), "/login", email="ghost@koping.example",
                     password="x").status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_password_reset_works_once_and_ends_sessions(app: Flask, client: FlaskClient) -> None:
    account = make_user(app, "partner", two_factor=False)
    other_session = app.test_client()
    assert log_in(other_session, account).status_code == 303
    response = post(client, "/password/forgot", email=account["email"])
    unknown = post(client, "/password/forgot", email="nobody@koping.example")
    assert response.get_data() == unknown.get_data() and response.status_code == 200
    assert len(outbox(app)) == 1
    link = link_in(outbox(app)[0], "password/reset")
    new_password = "a brand new pass phrase"
    assert client.get(link).status_code == 200
    assert post(client, link, password=new_password, confirm=new_password).status_code == 303
    assert post(client, link, password="another new phrase", confirm="another new phrase"
                ).status_code == 400
    assert other_session.get("/account").status_code == 302  # logged out everywhere
    assert log_in(client, {"email": account["email"], "password": new_password}
                  ).status_code == 303


def test_registration_never_reveals_existing_accounts(app: Flask, client: FlaskClient,
                                                      db_session) -> None:
    make_user(app, "resident", "anna@koping.example", two_factor=False)
    fields = {"password": "long enough password", "confirm": "long enough password"}
    taken = post(client, "/register", email="Anna@koping.example", **fields)
    fresh = post(client, "/register", email="bo@koping.example", **fields)
    assert taken.status_code == fresh.status_code == 200
    assert taken.get_data() == fresh.get_data()
    assert [m["To"] for m in outbox(app)] == ["anna@koping.example", "bo@koping.example"]
    refused = log_in(client, {"email": "bo@koping.example", "password": fields["password"]})
    assert refused.status_code == 422  # not confirmed yet
    assert client.get(link_in(outbox(app)[1], "register/confirm")).status_code == 303
    confirmed = log_in(client, {"email": "bo@koping.example", "password": fields["password"]})
    assert confirmed.status_code == 303


def test_registration_errors_keep_the_input(app: Flask, client: FlaskClient) -> None:
    response = post(client, "/register", email="c@koping.example", name="<b>Cecilia</b>",
                    password="short", confirm="other")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="c@koping.example"' in html and "&lt;b&gt;Cecilia&lt;/b&gt;" in html
    assert not outbox(app)


def test_change_password_logs_out_everywhere(app: Flask, client: FlaskClient) -> None:
    account = log_in_as(app, client, "nattvandrare", two_factor=False)
    wrong = post(client, "/account/password", current="nope", password="new pass phrase 1",
                 confirm="new pass phrase 1")
    assert wrong.status_code == 422
    done = post(client, "/account/password", current=account["password"],
                password="new pass phrase 1", confirm="new pass phrase 1")
    assert done.status_code == 303 and client.get("/account").status_code == 302


def test_admin_invites_a_user_who_chooses_a_password(app: Flask, client: FlaskClient,
                                                     db_session) -> None:
    log_in_as(app, client, "admin")
    response = post(client, "/admin/users/new", email="polis@koping.example", name="Polis",
                    role="partner", organisation="")
    assert response.status_code == 303
    link = link_in(outbox(app)[-1], "password/invite")
    guest = app.test_client()
    assert post(guest, link, password="partner pass phrase", confirm="partner pass phrase"
                ).status_code == 303
    assert log_in(guest, {"email": "polis@koping.example", "password": "partner pass phrase"}
                  ).status_code == 303
    duplicate = post(client, "/admin/users/new", email="POLIS@koping.example", role="partner",
                     organisation="")
    assert duplicate.status_code == 422


def test_admin_changes_roles_but_not_their_own(app: Flask, client: FlaskClient,
                                               db_session) -> None:
    admin = log_in_as(app, client, "admin")
    other = make_user(app, "partner", two_factor=False)
    changed = post(client, f"/admin/users/{other['id']}", name="Mod", role="moderator",
                   organisation="", is_enabled="y")
    assert changed.status_code == 303
    assert db_session.get(User, other["id"]).role == "moderator"
    self_demote = post(client, f"/admin/users/{admin['id']}", role="resident", organisation="",
                       is_enabled="y")
    assert self_demote.status_code == 422
    tampered = post(client, f"/admin/users/{other['id']}", role="superuser", organisation="")
    assert tampered.status_code == 422
    db_session.expire_all()
    assert db_session.get(User, admin["id"]).role == "admin"


def test_admin_manages_organisations(app: Flask, client: FlaskClient, db_session) -> None:
    log_in_as(app, client, "admin")
    created = post(client, "/admin/organisations/new", name="Polisen Västra Mälardalen",
                   kind="polis", skips_moderation="y", is_active="y")
    assert created.status_code == 303
    organisation = db_session.scalar(sa.select(Organisation))
    assert organisation.skips_moderation and organisation.kind == "polis"
    clash = post(client, "/admin/organisations/new", name="Polisen Västra Mälardalen",
                 kind="polis")
    bad_kind = post(client, "/admin/organisations/new", name="X", kind="mafia")
    assert clash.status_code == bad_kind.status_code == 422
    assert "Polisen Västra Mälardalen" in client.get("/admin/organisations").get_data(
        as_text=True)


def test_partner_reports_carry_the_organisation_and_may_skip_the_queue(
        app: Flask, client: FlaskClient, db_session) -> None:
    from kopingreport.reports.models import Report
    from tests.factories import post_form

    account = log_in_as(app, client, "partner", two_factor=False, organisation="Polisen")
    with app.app_context():
        from kopingreport.db import get_session

        session = get_session()
        session.scalar(sa.select(Organisation)).skips_moderation = True
        session.commit()
    assert post_form(client, reporter_kind="resident").status_code == 303
    report = db_session.scalar(sa.select(Report))
    assert report.reporter_kind == "partner" and report.state == "accepted"
    assert report.user_id == account["id"] and report.organisation_id is not None


def test_kontaktombud_reports_carry_the_role_and_show_on_the_account(
        app: Flask, client: FlaskClient, db_session) -> None:
    from kopingreport.reports.models import Report
    from tests.factories import post_form

    log_in_as(app, client, "grannsamverkan", two_factor=False)
    assert post_form(client, reporter_kind="resident").status_code == 303
    report = db_session.scalar(sa.select(Report))
    assert report.reporter_kind == "grannsamverkan" and report.state == "new"
    assert report.reference in client.get("/account").get_data(as_text=True)
    assert report.reference not in app.test_client().get("/account").get_data(as_text=True)
