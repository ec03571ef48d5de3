"""The installable app through the test client: manifest per language, the service worker's
headers and cache version, the offline and "My reports" pages, and gzip compression."""

from __future__ import annotations

import gzip
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from kopingreport.web import pwa
from tests.factories import report_fields

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
STATIC = Path(__file__).resolve().parents[2] / "static"


def config_of(client: FlaskClient) -> dict:
    body = client.get("/sw.js").get_data(as_text=True)
    match = re.match(r"const CONFIG = (\{.*?\});\n", body)
    assert match, body[:200]
    return json.loads(match.group(1))


# --- manifest ------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "direction"), [("sv", "ltr"), ("fi", "ltr"), ("en", "ltr"),
                                                 ("ar", "rtl")])
def test_manifest_in_each_language(client: FlaskClient, lang: str, direction: str) -> None:
    response = client.get(f"/manifest.webmanifest?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    data = json.loads(response.get_data(as_text=True))
    assert data["lang"] == lang and data["dir"] == direction
    assert data["display"] == "standalone"
    assert data["start_url"] == "/" and data["scope"] == "/" and data["id"] == "/"
    assert data["name"] and data["short_name"] and data["description"]
    assert data["theme_color"] == "#0b4f6c" and data["background_color"]
    assert data["prefer_related_applications"] is False
    purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_manifest_names_are_translated(client: FlaskClient) -> None:
    names = {lang: client.get(f"/manifest.webmanifest?lang={lang}").get_json()["name"]
             for lang in ("sv", "en", "ar")}
    assert len(set(names.values())) == 3, names


def test_manifest_icons_are_real_pngs_of_their_size(client: FlaskClient) -> None:
    for icon in client.get("/manifest.webmanifest").get_json()["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200 and response.mimetype == icon["type"]
        assert "immutable" in response.headers["Cache-Control"]
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(response.data)).size
            assert f"{width}x{height}" == icon["sizes"]
        response.close()


def test_pages_link_the_manifest_in_their_language(client: FlaskClient) -> None:
    html = client.get("/report?lang=ar").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=ar">' in html
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png'
                     r'\?v=\w+">', html)
    assert re.search(r'<script src="/static/js/pwa.js\?v=\w+" defer></script>', html)
    assert 'href="/my-reports"' in html
    # The service worker keeps its offline copies in one language, told by this header.
    assert client.get("/report?lang=ar").headers["Content-Language"] == "ar"
    assert client.get("/offline?lang=fi").headers["Content-Language"] == "fi"
    assert "Content-Language" not in client.get("/api/v1/areas").headers


def test_waiting_count_has_every_plural_form(client: FlaskClient) -> None:
    """The badge text comes from the server in all plural forms the browser may ask for."""
    for lang, forms in (("sv", {"one", "other"}), ("ar", {"zero", "one", "two", "few",
                                                           "many", "other"})):
        html = client.get(f"/?lang={lang}").get_data(as_text=True)
        match = re.search(r"data-msg-waiting='([^']+)'", html)
        assert match, lang
        messages = json.loads(match.group(1))
        assert set(messages) == forms
        assert "{n}" in messages["other"] and all(messages.values())


# --- service worker ------------------------------------------------------------------------

def test_service_worker_is_served_for_the_whole_site(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "importScripts(CONFIG.outbox)" in body
    assert 'addEventListener("sync"' in body and 'addEventListener("fetch"' in body


def test_service_worker_precaches_the_app_shell(client: FlaskClient) -> None:
    config = config_of(client)
    assert config["pages"] == ["/", "/report", "/offline", "/my-reports"]
    assert config["offline"] == "/offline"
    assert config["outbox"] in config["assets"]
    names = {url.split("?")[0] for url in config["assets"]}
    assert {"/static/css/app.css", "/static/js/pwa.js", "/static/js/outbox.js",
            "/static/js/report.js", "/static/js/send.js", "/static/js/shrink.js",
            "/static/icons/icon.svg"} <= names
    assert not any("leaflet" in url or "tile" in url for url in config["assets"])
    for url in config["pages"] + config["assets"]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()
    # The same versioned URLs the pages use, so that cache hits match.
    html = client.get("/report").get_data(as_text=True)
    used = [url for url in config["assets"] if re.search(r"/(app\.css|pwa|report|send)\b", url)]
    assert len(used) == 4 and all(url in html for url in used), used


def test_cache_version_follows_the_shell_files(client: FlaskClient, monkeypatch) -> None:
    before = config_of(client)["version"]
    assert before == config_of(client)["version"], "stable while nothing changes"
    real = pwa.asset_url
    monkeypatch.setattr(pwa, "asset_url", lambda name: real(name) + (
        "x" if name == "css/app.css" else ""))
    assert config_of(client)["version"] != before


def test_offline_and_my_reports_pages(client: FlaskClient) -> None:
    offline = client.get("/offline")
    assert offline.status_code == 200 and "<h1>" in offline.get_data(as_text=True)
    mine = client.get("/my-reports?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in mine
    assert 'id="waiting-list"' in mine and 'id="sent-list"' in mine and "<noscript>" in mine
    assert re.search(r'src="/static/js/myreports.js\?v=\w+"', mine)


# --- compression ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/report", "/my-reports", "/sw.js", "/api/v1/areas",
                                 "/manifest.webmanifest"])
def test_text_responses_are_gzipped(client: FlaskClient, url: str) -> None:
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    assert "Content-Encoding" not in plain.headers
    if url not in {"/report"}:  # the form carries a fresh CSRF token each time
        assert gzip.decompress(packed.data) == plain.data


def test_page_sizes_compressed(client: FlaskClient) -> None:
    sizes = {url: len(client.get(url, headers=GZIP).data) for url in ("/", "/report")}
    assert sizes["/"] < 4_000 and sizes["/report"] < 9_000, sizes


@pytest.mark.parametrize("name", ["css/app.css", "js/send.js", "vendor/leaflet/leaflet.js",
                                  "vendor/leaflet/leaflet.css"])
def test_static_files_are_gzipped_and_cached(client: FlaskClient, name: str) -> None:
    url = f"/static/{name}?v=1"
    response = client.get(url, headers=GZIP)
    original = (STATIC / name).read_bytes()
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == original
    assert "immutable" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    assert etag.startswith('W/"'), "a weak validator: same content, other bytes"
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    if name.endswith("leaflet.js"):
        assert len(response.data) < 45_000


def test_images_small_bodies_and_ranges_are_left_alone(client: FlaskClient) -> None:
    png = client.get("/static/icons/icon-512.png", headers=GZIP)
    assert "Content-Encoding" not in png.headers and png.data.startswith(b"\x89PNG")
    png.close()
    svg = client.get("/static/icons/icon.svg", headers=GZIP)  # text, but under 500 bytes
    assert "Content-Encoding" not in svg.headers and "Accept-Encoding" in svg.headers["Vary"]
    svg.close()
    health = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in health.headers and health.get_json()["status"] == "ok"
    part = client.get("/static/css/app.css", headers={**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100
    assert "Content-Encoding" not in part.headers
    part.close()
    refused = client.get("/", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_no_compression_where_a_secret_meets_input(client: FlaskClient) -> None:
    """BREACH: never compress POST answers (a form re-rendered with what was typed and a CSRF
    token) or ``no-store`` pages (a receipt with its secret link)."""
    posted = client.post("/report", data={"description": "x" * 800}, headers=GZIP)
    assert posted.status_code in {400, 422} and len(posted.data) > 500
    assert "Content-Encoding" not in posted.headers
    created = client.post("/api/v1/reports", data=report_fields(),
                          headers={"Idempotency-Key": str(uuid.uuid4()), **GZIP})
    assert created.status_code == 201 and "Content-Encoding" not in created.headers
    status = client.get(created.get_json()["status_url"], headers=GZIP)
    assert status.status_code == 200 and "no-store" in status.headers["Cache-Control"]
    assert "Content-Encoding" not in status.headers


def test_head_requests_match_get(client: FlaskClient, app: Flask) -> None:
    head = client.head("/offline", headers=GZIP)
    get = client.get("/offline", headers=GZIP)
    assert head.headers["Content-Encoding"] == get.headers["Content-Encoding"] == "gzip"
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
