"""What residents see: the medborgarlöfte in every citizen language, and the public map and
open-data feed with small counts suppressed."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import csrf_token, log_in_as
from tests.situation.helpers import NYGARD, TORGET, add_reports, local, many


def _promise(app: Flask) -> None:
    client = app.test_client()
    log_in_as(app, client, "analyst")
    token = csrf_token(client, "/admin/situation/promises/new")
    texts = {"sv": "Trafiksäkerhet", "fi": "Liikenneturvallisuus", "en": "Traffic safety",
             "ar": "السلامة المرورية"}
    response = client.post("/admin/situation/promises/new", data={
        "csrf_token": token, "title_sv": "Medborgarlöfte 2024", "title_ar": "وعد المواطنين 2024",
        "intro_sv": "Polisen och kommunen lovar.", "starts_on": "2024-01-01",
        "ends_on": "2099-12-31", "is_published": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    promise_url = response.headers["Location"]
    focus = client.post(promise_url + "/focus/new", data={
        "csrf_token": token, **{f"title_{k}": v for k, v in texts.items()},
        "category_codes": ["reckless_driving"], "area_codes": ["centrum"]})
    assert focus.status_code == 303
    focus_url = focus.headers["Location"]
    assert client.post(focus_url + "/activities/new", data={
        "csrf_token": token, "title_sv": "Mopedkontroller", "owner": "Polisen",
        "status": "ongoing"}).status_code == 303
    for text, public in (("Tio kontroller gjorda.", "y"), ("Intern anteckning.", "")):
        assert client.post(focus_url + "/notes", data={
            "csrf_token": token, "text_sv": text, "noted_on": "2026-03-01",
            "is_public": public}).status_code == 303
    bad = client.post(focus_url + "/notes", data={"csrf_token": token, "text_sv": "",
                                                  "noted_on": "2026-03-01"})
    assert bad.status_code == 422


@pytest.mark.parametrize("lang,title,direction", [
    ("sv", "Trafiksäkerhet", "ltr"), ("fi", "Liikenneturvallisuus", "ltr"),
    ("en", "Traffic safety", "ltr"), ("ar", "السلامة المرورية", "rtl")])
def test_the_promise_page_in_every_language(app: Flask, client: FlaskClient, lang: str,
                                            title: str, direction: str) -> None:
    _promise(app)
    add_reports(app, many(6, created_at=local(2026, 3, 1, 12), category="reckless_driving"))
    html = client.get(f"/medborgarlofte?lang={lang}").get_data(as_text=True)
    assert f'dir="{direction}"' in html and title in html
    assert "Tio kontroller gjorda." in html and "Intern anteckning." not in html
    assert "Mopedkontroller" in html
    if lang == "fi":  # no Finnish promise title: the Swedish one, marked as Swedish
        assert 'lang="sv" dir="ltr">Medborgarlöfte 2024' in html


def test_no_promise_yet(client: FlaskClient) -> None:
    assert client.get("/medborgarlofte").status_code == 200


def test_public_map_shows_only_published_counts_of_five_or_more(app: Flask,
                                                                client: FlaskClient) -> None:
    now = local(2026, 3, 1, 12)
    add_reports(app, many(6, created_at=now, lat=TORGET[0], lon=TORGET[1], is_public=True,
                          state="accepted", precision="street", public_text="Klotter.")
                + many(3, created_at=now, lat=NYGARD[0], lon=NYGARD[1], is_public=True,
                       area="nygard-skogsbrynet", state="resolved", precision="exact")
                + many(2, created_at=now, area="nygard-skogsbrynet", is_public=True,
                       state="accepted", precision="area")
                + many(9, created_at=now, lat=TORGET[0], lon=TORGET[1], is_public=False)
                + many(4, created_at=now, area="ullvi", is_public=True, precision="area"))
    from kopingreport.situation import public
    from kopingreport.db import get_session
    with app.app_context():
        data = public.feature_collection(get_session(), now=local(2026, 3, 2))
    kinds = [(f["properties"]["kind"], f["properties"]["count"]) for f in data["features"]]
    # Torget: 6 published in one square; Nygård's 3 in a square fall back to the area (3 + 2);
    # Ullvi's 4 are never shown; the 9 unpublished are never counted.
    assert kinds == [("cell", 6), ("area", 5)]
    text = str(data)
    assert "KPG-" not in text and "Klotter." not in text
    response = client.get("/open-data/reports.geojson?category=vandalism")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/open-data/reports.geojson?category=';--").status_code == 400
    assert client.get("/map?lang=ar").status_code == 200
