"""Results: counts and shares as SVG charts with data tables, small cells suppressed, filters,
the map grid and the CSV and GeoJSON exports."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import log_in_as
from tests.surveys.helpers import NTU, make_survey, seed


def answers(survey: dict, area: str, evening: str, age: str = "25_44",
            point: tuple[float, float] | None = None, text: str | None = None) -> dict:
    q = {key: f"q{survey['questions'][index]}" for key, index in NTU.items()}
    fields = {q["area"]: area, q["evening"]: evening, q["age"]: age}
    if point:
        fields[f"{q['unsafe_places']}_p0_lat"], fields[f"{q['unsafe_places']}_p0_lon"] = point
        fields[f"{q['unsafe_places']}_p0_note"] = "Mörkt här"
    if text:
        fields[q["anything_else"]] = text
    return fields


def populated(app: Flask) -> dict:
    """13 responses: 7 feel very safe, 4 fairly safe, 2 fairly unsafe; 6 mark one square."""
    survey = make_survey(app, is_results_public=True)
    rows = [answers(survey, "centrum", "mycket_trygg", point=(59.5110, 15.9940))
            for _ in range(6)]
    rows.append(answers(survey, "centrum", "mycket_trygg", text="Hemlig kommentar"))
    rows += [answers(survey, "karlberg", "ganska_trygg", age="65_plus") for _ in range(4)]
    rows += [answers(survey, "kolsva", "ganska_otrygg", point=(59.5990, 15.8480))
             for _ in range(2)]
    seed(app, survey["id"], rows)
    return survey


def evening_table(html: str) -> str:
    """The data table of the evening-safety question (not its chart)."""
    start = html.index("<table", html.index("Hur trygg eller otrygg känner du dig när du går"))
    return html[start:html.index("</table>", start)]


def test_charts_and_tables_suppress_small_cells(app: Flask, client: FlaskClient) -> None:
    survey = populated(app)
    log_in_as(app, client, "analyst")
    html = client.get(f"/admin/surveys/{survey['id']}/results?lang=sv").get_data(as_text=True)
    assert "Svar: <strong>13</strong>" in html
    table = evening_table(html)
    assert re.search(r"Mycket trygg</th>\s*<td>7</td><td>54\W%</td>", table)
    assert table.count("färre än 5") == 2 and "<td>4</td>" not in table
    svg = re.search(r'<svg class="sv-chart-svg" role="img" aria-labelledby="([^"]+)"', html)
    assert svg and "<desc id=" in html and "<caption>" in html
    assert "Hemlig kommentar" in html  # written answers are for staff only …
    public = client.get(f"/surveys/{survey['id']}/results?lang=sv").get_data(as_text=True)
    assert "Hemlig kommentar" not in public and "färre än 5" in public


def test_filters_by_area_and_group_and_refuse_what_does_not_exist(
        app: Flask, client: FlaskClient) -> None:
    survey = populated(app)
    log_in_as(app, client, "analyst")
    url = f"/admin/surveys/{survey['id']}/results?lang=sv"
    few = client.get(url + "&area=kolsva").get_data(as_text=True)
    assert "Färre än 5 svar matchar filtret" in few and "Ganska otrygg" not in few
    group = f"q{survey['questions'][NTU['age']]}:25_44"
    adults = client.get(url + "&group=" + group).get_data(as_text=True)
    assert "Svar: <strong>9</strong>" in adults
    for hostile in ("&area=centrum' OR '1'='1", "&group=q1:1;DROP TABLE surveys",
                    "&group=batch:999"):
        response = client.get(url + hostile)
        assert response.status_code == 400
        assert "Filtret anger ett område eller en grupp som inte finns" in response.get_data(
            as_text=True)


def test_marked_places_are_published_only_in_squares_of_five_or_more(
        app: Flask, client: FlaskClient) -> None:
    survey = populated(app)
    log_in_as(app, client, "analyst")
    geo = client.get(f"/admin/surveys/{survey['id']}/results.geojson").json
    assert [f["properties"]["responses"] for f in geo["features"]] == [6]
    assert geo["features"][0]["geometry"]["type"] == "Polygon"
    html = client.get(f"/admin/surveys/{survey['id']}/results?lang=sv").get_data(as_text=True)
    assert "2 markeringar i rutor" in html and "Centrum" in html
    public = client.get(f"/surveys/{survey['id']}/results.geojson").json
    assert public == geo
    filtered = client.get(f"/admin/surveys/{survey['id']}/results.geojson?area=kolsva").json
    assert filtered["features"] == []


def test_the_csv_export_carries_the_same_suppression(app: Flask, client: FlaskClient) -> None:
    survey = populated(app)
    log_in_as(app, client, "analyst")
    response = client.get(f"/admin/surveys/{survey['id']}/results.csv?lang=sv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = [line.split(";") for line in text.splitlines()]
    evening = [r for r in rows if r[1].startswith("Hur trygg eller otrygg")]
    counts = {r[3]: r[4] for r in evening}
    assert counts["Mycket trygg"] == "7" and counts["Ganska trygg"] == "färre än 5"
    assert counts["Ganska otrygg"] == "färre än 5" and counts["Mycket otrygg"] == "0"
    assert "Hemlig kommentar" not in text


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(app: Flask,
                                                            client: FlaskClient) -> None:
    """Question and answer texts that look like formulas (also full-width ＝) stay text."""
    from kopingreport.db import get_session
    from kopingreport.surveys.models import SurveyQuestion

    survey = populated(app)
    hostile = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)"]
    with app.app_context():
        session = get_session()
        evening = session.get(SurveyQuestion, survey["questions"][NTU["evening"]])
        assert evening is not None
        evening.text = {"sv": "\uff1dcmd|' /C calc'!A0"}
        evening.options = [{**option, "label": {"sv": hostile[i % len(hostile)]}}
                           for i, option in enumerate(evening.options)]
        session.commit()
    log_in_as(app, client, "analyst")
    text = client.get(f"/admin/surveys/{survey['id']}/results.csv?lang=sv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    evening_rows = [r for r in rows if "cmd|" in r[1]]
    assert evening_rows and all(r[1] == "'\uff1dcmd|' /C calc'!A0" for r in evening_rows)
    answers_shown = {r[3] for r in evening_rows}
    assert {"'" + label for label in hostile} <= answers_shown
    assert not any(cell.startswith(("=", "+", "-", "@", "\uff1d")) for row in rows
                   for cell in row)


def test_public_results_only_when_the_survey_allows_them(app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app)
    assert client.get(f"/surveys/{survey['id']}/results").status_code == 404
    assert client.get(f"/surveys/{survey['id']}/results.geojson").status_code == 404
