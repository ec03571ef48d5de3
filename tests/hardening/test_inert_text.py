"""Text with HTML or script is shown inert wherever it appears (receipt, back-office queue
and report page), and no export cell can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.web.csvsafe import safe_cell, safe_text
from tests.factories import log_in_as, report_fields

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://evil\")",
            "\uff1d1+1"]


def _hostile_report(client: FlaskClient, place: str = FORMULAS[0]) -> dict:
    response = client.post("/api/v1/reports", data=report_fields(
        description=f"Lampan är trasig {SCRIPT} {IMG}", place=place, area="centrum"))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _assert_inert(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html  # shown, as text


def test_receipt_page_shows_script_as_text(client: FlaskClient) -> None:
    receipt = _hostile_report(client, place=f"Torget {SCRIPT} {IMG}")
    _assert_inert(client.get(receipt["status_url"]).get_data(as_text=True))


def test_back_office_queue_and_report_page_show_script_as_text(app: Flask, client: FlaskClient
                                                               ) -> None:
    _hostile_report(client)
    log_in_as(app, client, "admin")
    queue = client.get("/admin/reports")
    assert queue.status_code == 200
    html = queue.get_data(as_text=True)
    assert SCRIPT not in html and "<img src=x" not in html
    from kopingreport.db import get_session
    from kopingreport.reports.models import Report

    with app.app_context():
        report_id = get_session().query(Report.id).scalar()
    page = client.get(f"/admin/reports/{report_id}")
    assert page.status_code == 200
    _assert_inert(page.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/admin/situation/export.csv",
                                  "/admin/situation/export-excel.csv"])
def test_situation_export_neutralises_formulas(app: Flask, client: FlaskClient, path: str
                                               ) -> None:
    for place in FORMULAS:
        _hostile_report(client, place=place)
    log_in_as(app, client, "admin")
    response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if "excel" in path else ","))
    places = [row[rows[0].index("place")] for row in rows[1:]]
    assert sorted(places) == sorted("'" + f.strip() for f in FORMULAS)  # the form trims


def test_neighbourhood_register_export_neutralises_formulas(app: Flask, client: FlaskClient
                                                            ) -> None:
    from tests.neighbourhood.helpers import make_entry

    make_entry(app, "evil@example.se", name=FORMULAS[6], street=FORMULAS[1],
               phone=FORMULAS[4])
    log_in_as(app, client, "admin")
    response = client.get("/admin/neighbourhood-watch/export.csv")
    assert response.status_code == 200
    row = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                          delimiter=";"))[1]
    assert row[0] == "'" + FORMULAS[6] and row[2] == "'" + FORMULAS[4]
    assert row[3] == "'" + FORMULAS[1]


@pytest.mark.parametrize("text", FORMULAS + ["\n=1+1", "\uff0b1", "\uff0d1", "\uff201"])
def test_csv_cells_that_start_a_formula_get_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text and safe_text(text) == "'" + text


def test_ordinary_cells_and_numbers_are_left_alone() -> None:
    assert safe_cell("Ullvi 1-3") == "Ullvi 1-3" and safe_cell(-15.5) == -15.5
    assert safe_cell(None) is None and safe_text(None) == "" and safe_text(12) == "12"
    assert safe_cell("a=b") == "a=b" and safe_cell("") == ""
