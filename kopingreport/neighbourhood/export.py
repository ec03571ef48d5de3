"""The register as CSV (safe to open in a spreadsheet) and as GeoJSON for the map."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kopingreport.i18n import _
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.web.csvsafe import safe_text as safe_cell
from kopingreport.web.fields import LOCAL_TZ


def _local(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def register_csv(entries: Iterable[NeighbourhoodContact], labels: dict[str, Any]) -> str:
    """Semicolon-separated UTF-8 with a byte-order mark, as Excel in Swedish expects.

    ``labels`` maps states, confirmation states and sign states to their translated names.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Name"), _("E-mail"), _("Phone"), _("Street or area"), _("Area"),
                     _("Latitude"), _("Longitude"), _("Households"), _("Signs"), _("State"),
                     _("Yearly confirmation"), _("Applied"), _("Decided"),
                     _("Last confirmed")])
    for entry in entries:
        confirmation = entry.confirmation()
        writer.writerow([safe_cell(value) for value in (
            entry.user.name, entry.user.email, entry.phone, entry.street, entry.area.name,
            entry.lat, entry.lon, entry.households, labels[entry.sign_status],
            labels[entry.state], labels[confirmation] if confirmation else "",
            _local(entry.created_at), _local(entry.decided_at),
            _local(entry.last_confirmed_at))])
    return buffer.getvalue()


def register_geojson(entries: Iterable[NeighbourhoodContact], labels: dict[str, Any],
                     url_for_entry: Any) -> dict[str, Any]:
    """Entries with a point as GeoJSON Features (for the coordinator's map)."""
    features = []
    for entry in entries:
        if entry.lat is None or entry.lon is None:
            continue
        confirmation = entry.confirmation()
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [entry.lon, entry.lat]}, "properties": {
            "street": entry.street, "area": entry.area.name, "households": entry.households,
            "state": entry.state, "state_label": str(labels[entry.state]),
            "lapsed": confirmation == "lapsed", "signs": str(labels[entry.sign_status]),
            "url": url_for_entry(entry)}})
    return {"type": "FeatureCollection", "features": features}
