"""A real gunicorn, started with the production ``gunicorn.conf.py``, on the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The pids of the master's worker processes."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return pids

    def wait_ready(self, timeout: float = 20) -> None:
        """Wait until a worker answers ``/healthz``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer in time:\n" + self.stderr.read_text())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn(app: Flask, tmp_path: Path) -> Iterator[Server]:
    """gunicorn with one gthread worker, serving the ``app`` fixture's database and uploads."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "SECRET_KEY": "gunicorn-test-secret", "UPLOAD_DIR": app.config["UPLOAD_DIR"],
           "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2",
           "KOPINGREPORT_SESSION_COOKIE_SECURE": "false", "KOPINGREPORT_INSTANCE_PATH":
           str(tmp_path / "instance")}
    stdout, stderr = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config",
                                    str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                                   cwd=ROOT, env=env, stdout=out, stderr=err)
    server = Server(process, port, stdout, stderr)
    try:
        server.wait_ready()
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
