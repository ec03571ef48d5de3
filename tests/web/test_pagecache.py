"""The start page and the empty report form are rendered once per language and shared by
anonymous visitors: each visitor still gets a working form of their own."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from kopingreport.db import get_session, utcnow
from kopingreport.reports import geo
from kopingreport.reports.areas import import_areas
from kopingreport.reports.models import Report
from kopingreport.web.fields import local_input_value
from tests.factories import CSRF_RE, SUBMISSION_RE, report_fields

OCCURRED_RE = re.compile(r'name="occurred_at"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="occurred_at"')


def _form(client: FlaskClient, lang: str = "sv") -> tuple[str, str, str]:
    html = client.get(f"/report?lang={lang}").get_data(as_text=True)
    return html, CSRF_RE.search(html).group(1), SUBMISSION_RE.search(html).group(1)  # type: ignore[union-attr]


def test_every_visitor_gets_own_token_and_submission_id_that_work(app: Flask,
                                                                   db_session) -> None:
    first, second = app.test_client(), app.test_client()
    html_a, token_a, submission_a = _form(first)
    html_b, token_b, submission_b = _form(second)  # the shared copy
    assert token_a != token_b and submission_a != submission_b
    # Apart from those values (and the time, which may have turned a minute) the two pages
    # are the same page.
    assert OCCURRED_RE.sub("", html_a.replace(token_a, "T").replace(submission_a, "S")) == \
        OCCURRED_RE.sub("", html_b.replace(token_b, "T").replace(submission_b, "S"))
    for client, token, submission in ((second, token_b, submission_b),
                                      (first, token_a, submission_a)):
        response = client.post("/report", data={"csrf_token": token, "submission_id": submission,
                                                 **report_fields()})
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
    # Another visitor's token is refused: a shared page never shares a token.
    third = app.test_client()
    _form(third)
    response = third.post("/report", data={"csrf_token": token_a, "submission_id": "x" * 20,
                                           **report_fields()})
    assert response.status_code == 400
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2


def test_time_is_now_in_each_copy(app: Flask) -> None:
    client = app.test_client()
    _form(client)
    html, _token, _submission = _form(client)
    shown = next(g for g in OCCURRED_RE.search(html).groups() if g is not None)  # type: ignore[union-attr]
    now = utcnow()
    assert shown in {local_input_value(now), local_input_value(now - timedelta(minutes=1))}


def test_each_language_has_its_own_copy(app: Flask) -> None:
    client = app.test_client()
    for _ in range(2):
        assert 'lang="sv"' in _form(client, "sv")[0]
        english = _form(client, "en")[0]
        assert 'lang="en"' in english and "Send report" in english
        arabic = client.get("/?lang=ar").get_data(as_text=True)
        assert 'dir="rtl"' in arabic


def test_a_new_area_shows_at_once(app: Flask, client: FlaskClient) -> None:
    assert "Testområdet" not in _form(client)[0]
    shapes = list(geo.load_default_areas())
    extra = geo.parse_feature_collection({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "testomradet", "name": "Testområdet",
                                          "kind": "rural"},
        "geometry": {"type": "Polygon", "coordinates": [[[16.3, 59.6], [16.31, 59.6],
                                                         [16.31, 59.61], [16.3, 59.6]]]}}]})
    with app.app_context():  # imported by this app (another process's import shows in 30 s)
        import_areas(get_session(), [*shapes, *extra])
        get_session().commit()
    assert "Testområdet" in _form(client)[0]


def test_a_page_with_its_own_query_is_rendered_for_it(app: Flask, client: FlaskClient) -> None:
    _form(client)  # the shared copy exists
    # A night walker's "Report" button links to /report?nightwalk=ID: the walk is filled in.
    html = client.get("/report?nightwalk=7").get_data(as_text=True)
    assert re.search(r'name="nightwalk" type="hidden" value="7"', html)
    assert not re.search(r'name="nightwalk" type="hidden" value="7"', _form(client)[0])


def test_the_form_is_rendered_once_per_language(app: Flask) -> None:
    rendered: list[str] = []

    def record(_app: Flask, template, context) -> None:  # type: ignore[no-untyped-def]
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        for lang in ("sv", "sv", "fi", "sv", "fi"):
            _form(app.test_client(), lang)
        app.test_client().get("/")
        app.test_client().get("/")
    assert rendered == ["reports/new.html", "reports/new.html", "pages/index.html"]
