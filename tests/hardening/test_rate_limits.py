"""Rate limits on report submission, login and the API, counted in the real Redis.

The Redis tests use a key prefix of their own per test and delete only their own keys.
Outside CI they skip when no Redis answers at ``TEST_REDIS_URL`` (default
redis://127.0.0.1:6379/0); with ``CI=true`` that is an error.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from flask import Flask

from kopingreport import ROOT, create_app
from tests.conftest import IN_CI
from tests.factories import post_form, report_fields

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix used by this test only; its keys are removed afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as err:
        if IN_CI:
            raise RuntimeError(f"Redis must be reachable in CI at {REDIS_URL}") from err
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (outside CI these tests skip)")
    prefix = f"kr-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _limited_app(app_config: dict, prefix: str | None = None, **settings: object) -> Flask:
    config = {**app_config, **settings}
    if prefix:
        config.update(REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI=REDIS_URL,
                      RATELIMIT_KEY_PREFIX=prefix)
    return create_app(config)


def _api_post(client, address: str = "127.0.0.1", **fields: object):
    return client.post("/api/v1/reports", data=report_fields(**fields),
                       environ_base={"REMOTE_ADDR": address})


def test_report_limit_counts_the_form_and_the_api_together_in_redis(
        app: Flask, app_config: dict, redis_prefix: str) -> None:
    limited = _limited_app(app_config, redis_prefix, LIMIT_REPORTS="3 per minute")
    client = limited.test_client()
    assert post_form(client).status_code == 303
    assert _api_post(client).status_code == 201
    accepted = _api_post(client)
    assert accepted.status_code == 201
    # Nothing tells a phone whose report went through to wait.
    assert "Retry-After" not in accepted.headers
    refused = _api_post(client, description="Den fjärde rapporten denna minut.")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["errors"]["_"]
    page = post_form(client)
    assert page.status_code == 429 and "text/html" in page.content_type
    assert redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*reports*")
    # another address (another phone, not on the same Wi-Fi) is not affected
    assert _api_post(client, address="192.0.2.7").status_code == 201


def test_429_page_is_translated(app: Flask, app_config: dict) -> None:
    limited = _limited_app(app_config, LIMIT_REPORTS="1 per minute")
    assert _api_post(limited.test_client()).status_code == 201
    pages = {}
    for lang in ("sv", "en", "fi", "ar"):
        client = limited.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        pages[lang] = post_form(client, description=f"Språk {lang}")
    assert all(r.status_code == 429 and r.headers.get("Retry-After") for r in pages.values())
    texts = {lang: r.get_data(as_text=True) for lang, r in pages.items()}
    assert "Too many attempts" in texts["en"]
    assert len({t.split("<main", 1)[-1] for t in texts.values()}) == 4
    assert 'dir="rtl"' in texts["ar"]


def test_the_api_as_a_whole_is_limited(app: Flask, app_config: dict) -> None:
    client = _limited_app(app_config, LIMIT_API="5 per minute").test_client()
    statuses = [client.get("/api/v1/categories").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("/api/v1/areas").get_json()["errors"]
    # Reports count against LIMIT_REPORTS only (one counter less per report).
    assert _api_post(client).status_code == 201


def test_only_limited_views_count_and_nothing_reads_the_counter_back(
        app: Flask, app_config: dict, redis_prefix: str) -> None:
    limited = _limited_app(app_config, redis_prefix, LIMIT_REPORTS="5 per minute")
    client = limited.test_client()
    store = redis.Redis.from_url(REDIS_URL)
    for path in ("/", "/report", "/healthz", "/privacy"):
        assert client.get(path).status_code == 200
    assert store.keys(f"*{redis_prefix}*") == []  # no counter for pages without a limit
    answer = _api_post(client)
    assert answer.status_code == 201
    # One counter per limit of the report budget, and no X-RateLimit-* or Retry-After on a
    # success (a phone must not wait after a report that went through).
    assert [k.decode().split("/")[-3:] for k in store.keys(f"*{redis_prefix}*")] == [
        ["5", "1", "minute"]]
    assert not [h for h in answer.headers.keys() if h.lower().startswith(("x-ratelimit",
                                                                           "retry-after"))]


def test_redis_is_tried_again_after_a_failure(app: Flask, app_config: dict, redis_prefix: str,
                                              monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    from kopingreport.web import ratelimit

    limited = _limited_app(app_config, redis_prefix, LIMIT_REPORTS="2 per minute")
    client = limited.test_client()
    state = limited.extensions["kopingreport.ratelimit"]
    clock = {"now": 1000.0}
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock["now"])
    storage = state.strategy.storage

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise redis.ConnectionError("Redis is restarting")

    with monkeypatch.context() as outage:
        outage.setattr(storage, "incr", refuse)
        assert _api_post(client).status_code == 201  # counted in memory meanwhile
    store = redis.Redis.from_url(REDIS_URL)
    assert _api_post(client).status_code == 201  # still in memory: Redis left alone a while
    assert store.keys(f"*{redis_prefix}*") == []
    assert _api_post(client).status_code == 429  # the memory count holds meanwhile
    clock["now"] += ratelimit.RECHECK_SECONDS + 1
    assert _api_post(client).status_code == 201  # Redis again, and its own count
    assert store.keys(f"*{redis_prefix}*reports*")
    # The operator sees both changes in the log (and a later outage would be logged again).
    messages = [r.getMessage() for r in caplog.records if r.name == ratelimit.__name__]
    assert any("unreachable" in m for m in messages)
    assert any("reachable again" in m for m in messages) and not state.dead_until


def test_login_is_limited_per_address_in_redis(app_config: dict, redis_prefix: str) -> None:
    from tests.factories import csrf_token

    limited = _limited_app(app_config, redis_prefix, LOGIN_LIMITS="3 per minute")
    statuses = []
    for n in range(4):
        client = limited.test_client()  # a new browser each time, same address
        statuses.append(client.post("/login", data={
            "csrf_token": csrf_token(client, "/login"), "email": f"user{n}@koping.example",
            "password": "wrong"}).status_code)
    assert statuses == [422, 422, 422, 429]


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(app: Flask,
                                                             app_config: dict) -> None:
    direct = _limited_app(app_config, LIMIT_REPORTS="1 per minute").test_client()
    spoofed = {"X-Forwarded-For": "198.51.100.1"}
    assert direct.post("/api/v1/reports", data=report_fields(), headers=spoofed).status_code == 201
    spoofed = {"X-Forwarded-For": "198.51.100.2"}
    assert direct.post("/api/v1/reports", data=report_fields(), headers=spoofed).status_code == 429

    proxied = _limited_app(app_config, LIMIT_REPORTS="1 per minute", TRUSTED_PROXIES=1)
    client = proxied.test_client()
    for address in ("198.51.100.1", "198.51.100.2"):
        response = client.post("/api/v1/reports", data=report_fields(),
                               headers={"X-Forwarded-For": address})
        assert response.status_code == 201
    assert client.post("/api/v1/reports", data=report_fields(),
                       headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 429
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in secure.headers


def test_survey_answers_are_limited_in_redis(app: Flask, app_config: dict,
                                            redis_prefix: str) -> None:
    from kopingreport.surveys import limits
    from tests.surveys.helpers import form_state, make_survey

    survey = make_survey(app)
    limited = _limited_app(app_config, redis_prefix)
    url = f"/surveys/{survey['id']}"
    budget = int(limits.ANSWERS.split()[0])
    statuses = []
    for _phone in range(budget + 1):
        phone = limited.test_client()
        statuses.append(phone.post(url, data={**form_state(phone, url), "nav": "send"}
                                   ).status_code)
    assert statuses == [422] * budget + [429]
    assert redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*survey-answers*")
    api = limited.test_client().post(f"/api/v1/surveys/{survey['id']}/responses", data={})
    assert api.status_code == 429 and api.headers["Retry-After"]


def test_reports_are_accepted_when_redis_is_down(app: Flask, app_config: dict) -> None:
    dead = "redis://127.0.0.1:1/0"
    client = create_app({**app_config, "REDIS_URL": dead, "RATELIMIT_STORAGE_URI": dead,
                         "LIMIT_REPORTS": "2 per minute"}).test_client()
    assert [_api_post(client).status_code for _ in range(3)] == [201, 201, 429]


# --- two app instances (two gunicorn processes) share one count --------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "died")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"gunicorn on {port} did not start")


@pytest.mark.parametrize("storage", ["redis", "memory"])
def test_two_app_instances_share_the_count(app: Flask, database_url: str, tmp_path: Path,
                                           redis_prefix: str, storage: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the shared count is Redis's business; one database kind is enough")
    env = {**os.environ, "SECRET_KEY": "two-instances", "DATABASE_URL": database_url,
           "UPLOAD_DIR": str(tmp_path / "uploads"),
           "KOPINGREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
           "KOPINGREPORT_LIMIT_REPORTS": "4 per minute",
           "KOPINGREPORT_RATELIMIT_KEY_PREFIX": redis_prefix}
    if storage == "redis":
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    ports = [_free_port(), _free_port()]
    servers = [_serve(env, port) for port in ports]
    try:
        for port, server in zip(ports, servers):
            _wait(port, server)
        statuses = [requests.post(f"http://127.0.0.1:{ports[n % 2]}/api/v1/reports",
                                  data=report_fields(description=f"Rapport nummer {n}."),
                                  timeout=10).status_code for n in range(6)]
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
    if storage == "redis":
        assert statuses == [201] * 4 + [429] * 2
    else:  # each worker counts alone: the point of Redis
        assert statuses == [201] * 6


def test_memory_counts_are_swept_without_a_thread_per_hit(monkeypatch) -> None:
    import threading

    from kopingreport.web.ratelimit import SweptMemoryStorage

    clock = {"wall": 1_000_000.0, "mono": 500.0}
    monkeypatch.setattr("limits.storage.memory.time.time", lambda: clock["wall"])
    monkeypatch.setattr("kopingreport.web.ratelimit.time.monotonic", lambda: clock["mono"])
    storage = SweptMemoryStorage()
    threads = threading.active_count()
    for n in range(2000):  # two thousand phones, one report each
        storage.incr(f"reports/10.0.{n // 250}.{n % 250}", 60)
    assert threading.active_count() <= threads
    assert storage.incr("reports/10.0.0.0", 60) == 2  # counted, within its minute
    clock["wall"] += 61
    assert storage.get("reports/10.0.0.0") == 0  # a new minute: counted afresh at once
    clock["mono"] += SweptMemoryStorage.SWEEP_SECONDS + 1
    storage.incr("reports/10.9.9.9", 60)  # the first hit after the sweep is due frees the rest
    assert len(storage.storage) == 1
