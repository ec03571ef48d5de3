"""The privacy page, the accessibility statement and its barrier form, in every language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.privacy.models import BarrierReport
from tests.factories import csrf_token


def test_footer_of_citizen_pages_links_privacy_and_accessibility(client: FlaskClient) -> None:
    for path in ("/", "/report", "/privacy", "/accessibility"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/privacy"' in page and 'href="/accessibility"' in page, path


def test_privacy_page_shows_retention_periods_from_the_configuration(
        app: Flask, client: FlaskClient) -> None:
    app.config["CONTACT_RETENTION_DAYS"] = 77
    app.config["RETENTION_DECLINED_APPLICATION_DAYS"] = 45
    page = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "deleted 77 days after the report is closed" in page
    assert "deleted 45 days after the decision" in page
    for words in ("Köping municipality", "controller", "6.1 e", "dataskyddsombud",
                  app.config["PRIVACY_DPO_EMAIL"], "IMY", "allmän handling"):
        assert words in page, words


def test_privacy_and_accessibility_pages_are_translated(client: FlaskClient) -> None:
    expected = {"sv": ("Så hanterar vi personuppgifter", "Tillgänglighetsredogörelse"),
                "fi": ("Näin käsittelemme henkilötietoja", "Saavutettavuusseloste"),
                "ar": ("كيف نتعامل مع البيانات الشخصية", "بيان إمكانية الوصول"),
                "en": ("How we handle personal data", "Accessibility statement")}
    for lang, (privacy, accessibility) in expected.items():
        assert privacy in client.get(f"/privacy?lang={lang}").get_data(as_text=True), lang
        page = client.get(f"/accessibility?lang={lang}").get_data(as_text=True)
        assert accessibility in page, lang
    assert 'dir="rtl"' in client.get("/accessibility?lang=ar").get_data(as_text=True)


def test_accessibility_statement_follows_the_model(client: FlaskClient) -> None:
    page = client.get("/accessibility?lang=en").get_data(as_text=True)
    for words in ("partly meets", "WCAG 2.1", "Known barriers", "Report a barrier", "DIGG",
                  "https://www.digg.se/", "How we tested"):
        assert words in page, words


def _send(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, "/accessibility"), "message": "", "page": "",
            "email": ""}
    data.update(fields)
    return client.post("/accessibility?lang=en", data=data)


def test_a_barrier_report_is_stored_and_mailed(app: Flask, client: FlaskClient,
                                                db_session) -> None:
    response = _send(client, message="Kartan går inte att använda med tangentbord",
                     page="/report", email="person@example.se")
    assert response.status_code == 303
    db_session.expire_all()
    stored = db_session.scalar(sa.select(BarrierReport))
    assert stored.message.startswith("Kartan") and stored.email == "person@example.se"
    mail = app.extensions["mail_outbox"][-1]
    assert mail["To"] == app.config["ACCESSIBILITY_EMAIL"] and "Kartan" in mail.get_content()
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Your message has been sent" in page


def test_hostile_barrier_reports_are_refused_and_keep_the_text(app: Flask, client: FlaskClient,
                                                                db_session) -> None:
    app.config["BARRIER_REPORT_LIMITS"] = "100 per minute"
    cases = [{"message": ""}, {"message": "x" * 2001},
             {"message": "ok <script>alert(1)</script>", "email": "not-an-address"},
             {"message": "bell\x07"}, {"message": "ok", "page": "p" * 301}]
    for fields in cases:
        response = _send(client, **fields)
        assert response.status_code == 422, fields
        page = response.get_data(as_text=True)
        assert 'class="error-summary"' in page
        assert "<script>alert(1)</script>" not in page
    assert "ok &lt;script&gt;alert(1)&lt;/script&gt;" in _send(
        client, message="ok <script>alert(1)</script>", email="nope").get_data(as_text=True)
    assert client.post("/accessibility", data={"message": "no token"}).status_code == 400
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BarrierReport)) == 0


def test_barrier_form_is_rate_limited(app: Flask, client: FlaskClient, db_session) -> None:
    app.config["BARRIER_REPORT_LIMITS"] = "2 per minute"
    codes = [_send(client, message=f"Problem {n}").status_code for n in range(3)]
    assert codes == [303, 303, 429]
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BarrierReport)) == 2
