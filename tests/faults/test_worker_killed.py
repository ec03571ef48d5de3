"""A gunicorn worker is killed (SIGKILL) while a report with photos is being uploaded: nothing
is half-stored, no photo file is left behind, and the phone's retry with the same
Idempotency-Key is stored exactly once."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import time
import uuid

from tests.factories import report_fields
from tests.faults.conftest import Server
from tests.faults.helpers import BOUNDARY, counts, multipart, referenced_files, stored_files, two_photos


def post(server: Server, key: str, body: bytes) -> tuple[int, dict[str, str], dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/api/v1/reports", body=body, headers={
        "Idempotency-Key": key, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    return response.status, dict(response.headers), answer


def test_a_worker_killed_mid_upload_leaves_nothing_and_the_retry_succeeds_once(
        gunicorn: Server, app, db_session) -> None:
    key = str(uuid.uuid4())
    body = multipart({k: str(v) for k, v in report_fields().items()}, two_photos())
    [worker] = gunicorn.workers()

    upload = socket.create_connection(("127.0.0.1", gunicorn.port))
    upload.sendall(
        f"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: {key}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 2])
    time.sleep(0.5)  # the worker is now reading the body, which never arrives in full
    os.kill(worker, signal.SIGKILL)
    upload.settimeout(10)
    try:
        assert upload.recv(1024) == b""  # the connection dies without an answer
    except ConnectionResetError:
        pass
    upload.close()

    assert counts(db_session) == (0, 0)
    assert stored_files(app.config["UPLOAD_DIR"]) == []

    gunicorn.wait_ready()  # the master has started a new worker
    assert gunicorn.workers() != [worker]
    status, _headers, first = post(gunicorn, key, body)
    assert status == 201, first
    status, headers, second = post(gunicorn, key, body)
    assert status == 201 and headers["Idempotent-Replayed"] == "true"
    assert second["reference"] == first["reference"]
    assert counts(db_session) == (1, 2)
    files = {p.name for p in stored_files(app.config["UPLOAD_DIR"])}
    assert files == referenced_files(db_session) and len(files) == 4
