"""Open311 over plain HTTP (the Flask client): discovery, POST with a partner's key, tokens,
filters and limits, error bodies in JSON and XML, and the administrator's keys page."""

from __future__ import annotations

import hashlib
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session
from kopingreport.open311.models import ApiKey
from kopingreport.reports.models import Report
from tests.factories import csrf_token, log_in_as
from tests.open311.helpers import seed
from tests.situation.helpers import TORGET

ROOT = "/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery(client: FlaskClient, fmt: str) -> None:
    response = client.get(f"{ROOT}/discovery.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].endswith("; charset=utf-8")
    if fmt == "json":
        endpoint = response.get_json()["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2")
    else:
        root = ElementTree.fromstring(response.data)
        assert root.tag == "discovery"
        assert root.find("endpoints/endpoint/formats/format").text == "text/xml"  # type: ignore[union-attr]


def test_post_with_a_key_files_a_report_for_the_organisation(app: Flask, client: FlaskClient
                                                             ) -> None:
    data = seed(app)
    form = {"api_key": data["key"], "service_code": "vandalism", "lat": str(TORGET[0]),
            "long": str(TORGET[1]), "description": "Krossad ruta i busskuren.",
            "email": "larm@rtmd.example", "first_name": "Eva",
            "attribute[occurred_at]": "2026-03-01T21:30:00+01:00"}
    response = client.post(f"{ROOT}/requests.json", data=form)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()[0]
    reference, token = body["service_request_id"], body["token"]
    with app.app_context():
        report = get_session().scalar(sa.select(Report).where(Report.reference == reference))
        assert report is not None and report.organisation_id == data["organisation_id"]
        assert report.reporter_kind == "partner" and report.contact.email == "larm@rtmd.example"
        assert report.area and report.area.code == "centrum" and "Eva" not in str(vars(report))
    tokens = client.get(f"{ROOT}/tokens/{token}.json").get_json()
    assert tokens == [{"service_request_id": reference, "token": token}]
    # Not published yet: keyless reads do not see it, the organisation's key does.
    assert client.get(f"{ROOT}/requests/{reference}.json").status_code == 404
    own = client.get(f"{ROOT}/requests/{reference}.json?api_key={data['key']}").get_json()
    assert own[0]["description"] == "Krossad ruta i busskuren."
    # api_key in the query string (as the old open311 client sends it) works too.
    del form["api_key"]
    assert client.post(f"{ROOT}/requests.xml?api_key={data['key']}", data=form
                       ).status_code == 201


@pytest.mark.parametrize("form,status,text", [
    ({"api_key": ""}, 403, "api_key"), ({"api_key": "kr311_wrong"}, 403, "api_key"),
    ({"service_code": "nope"}, 400, "service_code"),
    ({"service_code": "fire"}, 400, "place"),
    ({"service_code": "fire", "lat": "59.5"}, 400, "lat and long"),
    ({"service_code": "fire", "lat": "nan", "long": "16"}, 400, "lat"),
    ({"service_code": "fire", "lat": "57.7", "long": "11.97"}, 400, "outside"),
    ({"service_code": "fire", "address_id": "atlantis"}, 400, "area"),
    ({"service_code": "fire", "address_string": "Torget", "description": "x" * 5000}, 400,
     "description"),
    ({"service_code": "fire", "address_string": "Torget",
      "attribute[occurred_at]": "yesterday"}, 400, "occurred_at"),
])
def test_bad_posts_get_standard_errors_and_store_nothing(app: Flask, client: FlaskClient,
                                                         form: dict[str, str], status: int,
                                                         text: str) -> None:
    data = seed(app)
    form = {"api_key": str(data["key"]), **form}
    if not form["api_key"]:
        del form["api_key"]
    for fmt in ("json", "xml"):
        response = client.post(f"{ROOT}/requests.{fmt}", data=form)
        assert response.status_code == status
        if fmt == "json":
            error = response.get_json()[0]
            assert error["code"] == status and text.lower() in error["description"].lower()
        else:
            root = ElementTree.fromstring(response.data)
            assert root.tag == "errors" and root.find("error/code").text == str(status)  # type: ignore[union-attr]
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Report)) == 4


def test_missing_key_is_403(client: FlaskClient) -> None:
    response = client.post(f"{ROOT}/requests.json", data={"service_code": "fire"})
    assert response.status_code == 403


@pytest.mark.parametrize("query,status", [
    ("start_date=2026-01-01", 400), ("start_date=2026-01-01T00:00:00Z&end_date="
                                     "2026-12-31T00:00:00Z", 400),
    ("status=pending", 400), ("service_code=nope", 400), ("page_size=0", 400),
    ("page_size=5000", 400), ("service_request_id=" + ",".join(f"x{i}" for i in range(101)), 400),
    ("jurisdiction_id=stockholm.se", 404), ("start_date=&status=&service_code=", 200),
    ("service_request_id=KPG' OR 1=1--", 200)])
def test_request_filters_are_checked(app: Flask, client: FlaskClient, query: str,
                                     status: int) -> None:
    seed(app)
    response = client.get(f"{ROOT}/requests.json?{query}")
    assert response.status_code == status
    if status == 200 and "OR" in query:
        assert response.get_json() == []


def test_paging_and_default_window(app: Flask, client: FlaskClient) -> None:
    seed(app)
    first = client.get(f"{ROOT}/requests.json?page_size=2").get_json()
    second = client.get(f"{ROOT}/requests.json?page_size=2&page=2").get_json()
    assert len(first) == 2 and len(second) == 1
    old = client.get(f"{ROOT}/requests.json?start_date=2020-01-01T00:00:00Z&end_date="
                     "2020-02-01T00:00:00Z").get_json()
    assert old == []


def test_keys_are_shown_once_stored_hashed_and_revocable(app: Flask, client: FlaskClient
                                                         ) -> None:
    seed(app)
    log_in_as(app, client, "admin")
    page = client.get("/admin/open311/keys").get_data(as_text=True)
    assert "RTMD" in page
    with app.app_context():
        org_id = get_session().scalar(sa.select(ApiKey.organisation_id))
    token = csrf_token(client, "/admin/open311/keys")
    response = client.post("/admin/open311/keys", data={
        "csrf_token": token, "organisation": str(org_id), "label": "Väktarsystemet"})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    key = response.get_data(as_text=True).split('class="sit-key">')[1].split("<")[0]
    assert key.startswith("kr311_") and key not in client.get("/admin/open311/keys").get_data(
        as_text=True)
    with app.app_context():
        row = get_session().scalar(sa.select(ApiKey).where(ApiKey.label == "Väktarsystemet"))
        assert row is not None and row.key_hash == hashlib.sha256(key.encode()).hexdigest()
        key_id = row.id
    form = {"api_key": key, "service_code": "graffiti", "address_string": "Torget"}
    assert client.post(f"{ROOT}/requests.json", data=form).status_code == 201
    assert client.post(f"/admin/open311/keys/{key_id}/revoke", data={"csrf_token": token}
                       ).status_code == 303
    assert client.post(f"{ROOT}/requests.json", data=form).status_code == 403
    bad = client.post("/admin/open311/keys", data={"csrf_token": token, "organisation": "x",
                                                   "label": "Y"})
    assert bad.status_code == 422


def test_cross_site_browser_posts_are_refused(app: Flask, client: FlaskClient) -> None:
    data = seed(app)
    response = client.post(f"{ROOT}/requests.json", data={
        "api_key": data["key"], "service_code": "fire", "address_string": "Torget"},
        headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
