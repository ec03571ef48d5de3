"""The dashboard through the real stack: filters, hostile input, exports, snapshots, print,
and what partner organisations see."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import csrf_token, log_in_as
from tests.situation.helpers import TORGET, add_reports, local, many

PERIOD = "from=2026-03-01&to=2026-03-14"


def _reports(app: Flask) -> None:
    add_reports(app, many(3, created_at=local(2026, 3, 5, 21), category="graffiti",
                          lat=TORGET[0], lon=TORGET[1], place="Torget")
                + many(2, created_at=local(2026, 3, 6, 14), category="lighting",
                       area="nygard-skogsbrynet", place="=HYPERLINK(\"http://x\")")
                + many(1, created_at=local(2026, 2, 25, 14), category="graffiti"))


def test_the_coordinator_sees_counts_changes_and_sections(app: Flask, analyst: FlaskClient
                                                          ) -> None:
    _reports(app)
    html = analyst.get(f"/admin/situation/?{PERIOD}").get_data(as_text=True)
    for text in ("Graffiti", "Nygård och Skogsbrynet", "+4", "torget", "Freeze",
                 "map.geojson", "Reports per weekday and hour"):
        assert text in html, text
    filtered = analyst.get(f"/admin/situation/?{PERIOD}&category=lighting").get_data(
        as_text=True)
    assert re.search(r'class="big">2<', filtered)


@pytest.mark.parametrize("query,message", [
    ("area=centrum%27%20OR%201%3D1%20--", "Choose from the list"),
    ("category=1;DROP TABLE reports", "Choose from the list"),
    ("from=2026-13-45", "YYYY-MM-DD"),
    ("from=2026-03-10&to=2026-03-01", "must come before"),
    ("from=2001-01-01&to=2026-01-01", "at most"),
    ("org=abc", "Choose from the list"),
])
def test_hostile_or_wrong_filters_get_a_clear_error(analyst: FlaskClient, query: str,
                                                    message: str) -> None:
    response = analyst.get(f"/admin/situation/?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert analyst.get(f"/admin/situation/export.csv?{query}").status_code == 400


def test_exports(app: Flask, analyst: FlaskClient) -> None:
    _reports(app)
    rows = list(csv.reader(io.StringIO(analyst.get(
        f"/admin/situation/export.csv?{PERIOD}").get_data(as_text=True))))
    assert rows[0][:4] == ["reference", "received", "occurred", "category"]
    assert len(rows) == 6 and rows[1][9] == "yes"  # 21:00 in March is dark
    assert all(not r[5].startswith("=") for r in rows[1:])  # formulas neutralised
    excel = analyst.get(f"/admin/situation/export-excel.csv?{PERIOD}").get_data()
    assert excel.startswith("\ufeff".encode()) and b";" in excel.splitlines()[0]
    geo = analyst.get(f"/admin/situation/export.geojson?{PERIOD}").get_json()
    assert len(geo["features"]) == 3 and "description" not in geo["features"][0]["properties"]
    layers = analyst.get(f"/admin/situation/map.geojson?{PERIOD}").get_json()
    assert layers["cells"][0]["count"] == 3
    table = analyst.get(f"/admin/situation/table.csv?{PERIOD}").get_data(as_text=True)
    assert "Centrum,graffiti,3,1" in table


def test_freeze_a_snapshot_that_does_not_change(app: Flask, analyst: FlaskClient) -> None:
    _reports(app)
    token = csrf_token(analyst, f"/admin/situation/?{PERIOD}")
    response = analyst.post(f"/admin/situation/snapshots?{PERIOD}", data={
        "csrf_token": token, "meeting_on": "2026-03-16", "title": "Möte vecka 12"})
    assert response.status_code == 303
    url = response.headers["Location"]
    add_reports(app, many(5, created_at=local(2026, 3, 7, 12), category="graffiti"))
    html = analyst.get(url).get_data(as_text=True)
    assert "Möte vecka 12" in html and 'class="big">5<' in html
    assert analyst.get(url + "/print").status_code == 200
    assert "Möte vecka 12" in analyst.get("/admin/situation/snapshots").get_data(as_text=True)
    missing = analyst.post(f"/admin/situation/snapshots?{PERIOD}", data={
        "csrf_token": token, "meeting_on": "", "title": ""})
    assert missing.status_code == 422 and "Give the meeting date" in missing.get_data(
        as_text=True)


def test_print_view_has_print_css(app: Flask, analyst: FlaskClient) -> None:
    _reports(app)
    html = analyst.get(f"/admin/situation/print?{PERIOD}").get_data(as_text=True)
    assert "situation.css" in html and "Lägesbild for the meeting" in html


def test_partners_see_what_the_administrator_allows(app: Flask, client: FlaskClient) -> None:
    _reports(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in_as(app, client, "partner", organisation="Polisen Köping")
    assert client.get(f"/admin/situation/?{PERIOD}").status_code == 403
    assert "/admin/situation/" not in client.get("/account").get_data(as_text=True)
    admin = app.test_client()
    log_in_as(app, admin, "admin")
    page = admin.get("/admin/situation/sharing").get_data(as_text=True)
    org_id = re.search(r'name="level-(\d+)"', page).group(1)  # type: ignore[union-attr]
    token = csrf_token(admin, "/admin/situation/sharing")
    assert admin.post("/admin/situation/sharing", data={
        "csrf_token": token, f"level-{org_id}": "summary"}).status_code == 303
    html = client.get(f"/admin/situation/?{PERIOD}").get_data(as_text=True)
    assert "Graffiti" in html and "torget" not in html and "Freeze" not in html
    # The partner finds the dashboard from the account page and in the page's navigation.
    account = client.get("/account").get_data(as_text=True)
    assert re.search(r'<a class="button" href="/admin/situation/">Lägesbild</a>', account)
    nav = html.split('class="backoffice-nav"')[1].split("</nav>")[0]
    assert 'href="/admin/situation/"' in nav and "/admin/reports" not in nav
    assert client.get(f"/admin/situation/export.csv?{PERIOD}").status_code == 403
    admin.post("/admin/situation/sharing", data={"csrf_token": token,
                                                  f"level-{org_id}": "full"})
    assert client.get(f"/admin/situation/export.csv?{PERIOD}").status_code == 200
    assert client.post(f"/admin/situation/snapshots?{PERIOD}", data={
        "csrf_token": csrf_token(client, "/login")}).status_code == 403
