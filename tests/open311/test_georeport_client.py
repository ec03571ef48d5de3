"""The read endpoints through the ``georeport`` client from PyPI, over real HTTP, in JSON and
XML: only published reports, only their moderated text, the chosen location precision."""

from __future__ import annotations

import pytest
from flask import Flask
from georeport import GeoReport

from kopingreport.reports.categories import CATEGORIES
from kopingreport.situation import grid
from tests.open311.helpers import seed
from tests.situation.helpers import NYGARD, TORGET


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_and_definitions(app: Flask, live_url: str, fmt: str) -> None:
    client = GeoReport(live_url, output_format=fmt)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == [c.code for c in CATEGORIES]
    assert str(services[0]["metadata"]).lower() == "true"
    definition = client.get_service_definition("graffiti")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["occurred_at", "place"]


def test_requests_show_only_published_redacted_data(app: Flask, live_url: str) -> None:
    seed(app)
    client = GeoReport(live_url, jurisdiction="koping.se")
    requests = client.get_service_requests()
    assert len(requests) == 3
    texts = {r["description"] for r in requests}
    assert texts == {"Klotter på muren.", "Trasig lampa.", "Taggar."}
    assert "Kalle" not in str(requests) and "Brand" not in str(requests)
    exact = next(r for r in requests if r["description"] == "Klotter på muren.")
    assert (exact["lat"], exact["long"]) == (round(TORGET[0], 5), round(TORGET[1], 5))
    street = next(r for r in requests if r["description"] == "Trasig lampa.")
    snapped = grid.snap(*NYGARD, 100)
    assert (street["lat"], street["long"]) == (round(snapped[0], 5), round(snapped[1], 5))
    assert street["status"] == "closed" and "Nygård" in street["address"]
    area_only = next(r for r in requests if r["description"] == "Taggar.")
    assert "lat" not in area_only and area_only["address"] == "Centrum, Köping"
    one = client.get_service_request(exact["service_request_id"])
    assert one["service_request_id"] == exact["service_request_id"]
    only_lighting = client.get_service_requests(service_code="lighting", status="closed")
    assert [r["description"] for r in only_lighting] == ["Trasig lampa."]


def test_xml_requests_and_missing_ones(app: Flask, live_url: str) -> None:
    seed(app)
    client = GeoReport(live_url, output_format="xml")
    requests = client.get_service_requests()
    assert len(requests) == 3 and {r["status"] for r in requests} == {"open", "closed"}
    assert {r["description"] for r in requests} == {"Klotter på muren.", "Trasig lampa.", "Taggar."}
    import requests as http

    with pytest.raises(http.HTTPError) as raised:
        GeoReport(live_url).get_service_request("KPG-2026-99999")
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()[0]["code"] == 404
