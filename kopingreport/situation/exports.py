"""Exports of the picture: the reports of the period as CSV (also an Excel-friendly variant)
and GeoJSON, and the area × category table as CSV.

Exports are back-office material: no description, contact or reporter identity; the typed
place only for those who see the full picture. Cells that a spreadsheet would run as a
formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.reports.models import Area, Report
from kopingreport.situation import grid, queries
from kopingreport.situation.sun import is_dark
from kopingreport.web.csvsafe import safe_cell
from kopingreport.web.fields import LOCAL_TZ

HEADER = ("reference", "received", "occurred", "category", "area", "place", "reporter_kind",
          "organisation", "state", "dark", "cell", "lat", "lon")
#: Rows fetched per round trip while streaming.
CHUNK = 2000


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def report_rows(session: Session, f: queries.Filters, with_place: bool
                ) -> Iterator[tuple[Any, ...]]:
    """One tuple per counted report in the period (see ``HEADER``), oldest first."""
    areas = {a.id: a.name for a in session.scalars(sa.select(Area))}
    orgs = {o.id: o.name for o in session.scalars(sa.select(Organisation))}
    query = queries.select_reports(f, Report.reference, Report.created_at, Report.occurred_at,
                            Report.category, Report.area_id, Report.place,
                            Report.reporter_kind, Report.organisation_id, Report.state,
                            Report.lat, Report.lon).order_by(Report.created_at, Report.id)
    for row in session.execute(query.execution_options(yield_per=CHUNK)):
        ref, created, occurred, cat, area, place, kind, org, state, lat, lon = row
        cell = grid.cell_of(lat, lon).id if grid.in_grid(lat, lon) else ""
        yield (ref, _local(created), _local(occurred), cat, areas.get(area, ""),
               (place or "") if with_place else "", kind, orgs.get(org, ""), state,
               "yes" if is_dark(occurred) else "no", cell,
               "" if lat is None else round(lat, 6), "" if lon is None else round(lon, 6))


def csv_lines(header: tuple[str, ...], rows: Iterator[tuple[Any, ...]], *, excel: bool
              ) -> Iterator[str]:
    """CSV text in pieces. ``excel``: a byte-order mark, semicolons and decimal commas, which
    Swedish Excel opens correctly with a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        buffer.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        values = [safe_cell(v) for v in row]
        if excel:
            values = [str(v).replace(".", ",") if isinstance(v, float) else v for v in values]
        writer.writerow(values)
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def table_rows(picture: dict[str, Any]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The area × category table of a picture as a header and rows (long form)."""
    header = ("area", "category", "current", "previous")
    rows = [(a["name"] or "-", category, now, before) for a in picture["table"]["areas"]
            for category, (now, before) in sorted(a["cells"].items())]
    return header, rows


def geojson(session: Session, f: queries.Filters, limit: int = 50_000) -> dict[str, Any]:
    """The period's reports with a point as a GeoJSON FeatureCollection."""
    found, total = queries.points(session, f, limit)
    return {"type": "FeatureCollection", "total": total, "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            round(p["lon"], 6), round(p["lat"], 6)]},
         "properties": {"reference": p["reference"], "category": p["category"],
                        "dark": p["dark"],
                        "cell": grid.cell_of(p["lat"], p["lon"]).id}} for p in found]}


def map_layers(session: Session, f: queries.Filters, limit: int) -> dict[str, Any]:
    """The dashboard map: the newest ``limit`` points and every 250 m cell with its count."""
    body = geojson(session, f, limit)
    body["cells"] = [{"cell": grid.Cell(x, y).id, "count": n, "ring": grid.Cell(x, y).ring()}
                     for (x, y), n in queries.cell_counts(session, f).items()]
    return body
