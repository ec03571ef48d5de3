"""Load: report submissions, photo uploads and public pages at once, then count (not a test).

Run from the repository root (under the bench lock, so two benchmarks never overlap):

    flock /tmp/kopingreport-bench.lock .venv/bin/python bench/load.py [--seconds 60]
        [--phase-seconds 60] [--db sqlite,postgresql] [--workers N] [--threads N]
        [--limits-off]

For each database it creates a fresh one (a temporary SQLite file; on PostgreSQL a database
``kr_load_<pid>`` on ``--pg``, dropped afterwards), starts gunicorn with the production
settings of ``gunicorn.conf.py`` and then, from one asyncio process on the same machine:

1. baseline: ``GET /healthz`` alone for a few seconds (the cheapest request the app has);
2. each kind of submission alone with the public reads, ``--phase-seconds`` each (a minute;
   0 skips):
   reports without photos (URL-encoded), then reports with one client-shrunk photo (1600 px
   JPEG of about 200 KB, multipart), both as the PWA sends them: ``POST /api/v1/reports``
   with an ``Idempotency-Key``; the reads are ``/``, ``/report``, receipt pages (HTML and JSON) and
   the open-data GeoJSON of the public map;
3. all of it at once, for ``--seconds``.

Every 20th report is sent a second time with the same key (a phone that did not see the
answer) and must get the same receipt back. A request that fails (connection lost, 5xx, 429)
is retried with the same key, like the PWA's outbox.

It prints requests per second, p50/p95 latency and errors per kind, the ratio to the
baseline, and afterwards compares the reports in the database with the 201 answers: every
accepted report stored exactly once, nothing stored that was not accepted, no duplicates.
Targets (issue #8): ≥ 200 reports/s without photos, ≥ 20/s with a photo, zero lost or
duplicated, on SQLite and on PostgreSQL. Exit status 1 when a target is missed.

Every request comes from its own simulated client address (``X-Forwarded-For`` from a random
10.x.y.z, with ``KOPINGREPORT_TRUSTED_PROXIES=1``), as thousands of phones would, so per-client
rate limits apply as configured but do not throttle the benchmark; ``--limits-off`` switches
rate limiting off altogether (``KOPINGREPORT_RATELIMIT_ENABLED=false``). Each request opens
its own connection, as nginx does towards gunicorn in docs/deployment.md (``--keep-alive``
keeps one connection per client: the workers that accepted them first then do most of the
work). The load generator shares the machine's cores with the server: each phase prints
how busy the cores were, the CPU the app's workers used (per request too) and the load
generator's own.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The repository root instead of bench/ (whose queue.py would hide the standard library's).
sys.path[0] = str(ROOT)

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGETS = {"report": 200.0, "photo": 20.0}
BOUNDARY = "----kopingreportload7f3a9"
REPLAY_EVERY = 20
MAX_ATTEMPTS = 5
KINDS = ("report", "photo", "read")


# ---------------------------------------------------------------- the request bodies


def make_photo(seed: int = 7) -> bytes:
    """A 1600×1200 photo-like JPEG of about 200 KB (gradients, shapes, sensor noise)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    size = (1600, 1200)
    sky = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (sky.point(lambda v: 60 + v // 3),
                                sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 150)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(20, 300), rng.randrange(20, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour)  # type: ignore[arg-type]
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.17)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def photo_variant(photo: bytes, n: int) -> bytes:
    """The photo with three luminance quantisation steps changed by ``n``: it decodes to other
    pixels, so the server stores it as a photo of its own (photos are content-addressed)."""
    start = photo.index(b"\xff\xdb") + 5  # marker, length (2), Pq/Tq → first of 64 values
    table = bytearray(photo[start:start + 64])
    for i, shift in enumerate((n % 16, (n // 16) % 16, (n // 256) % 16)):
        table[1 + i] = min(255, table[1 + i] + shift)
    return photo[:start] + bytes(table) + photo[start + 64:]


def multipart(fields: dict[str, str], photo: bytes | None) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    if photo is not None:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
                     f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + photo + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


DESCRIPTIONS = ("Gatlyktorna är släckta längs gångvägen.", "Trasig belysning vid busshållplatsen.",
                "Krossat glas på lekplatsen.", "Klotter på tunneln under järnvägen.",
                "Mörkt och buskigt vid cykelbanan.")
CATEGORIES = ("lighting", "graffiti", "vandalism", "disorder")


def report_fields(rng: random.Random) -> dict[str, str]:
    lat, lon = 59.5137 + rng.uniform(-0.01, 0.01), 15.9906 + rng.uniform(-0.015, 0.015)
    return {"category": rng.choice(CATEGORIES), "description": rng.choice(DESCRIPTIONS),
            "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "accuracy": "12", "area": "",
            "place": "", "occurred_at": "", "reporter_kind": "resident"}


# ---------------------------------------------------------------- a small HTTP/1.1 client


class Connection:
    """One keep-alive connection; just enough HTTP/1.1 for this benchmark."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body)}", *[f"{k}: {v}" for k, v in headers.items()]]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            await self.writer.drain()
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionError("closed by the server")
            status = int(status_line.split()[1])
            answer: dict[str, str] = {}
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                answer[name.strip().lower()] = value.strip()
            if answer.get("transfer-encoding") == "chunked":
                data = await self._chunked()
            else:
                data = await self.reader.readexactly(int(answer.get("content-length", 0)))
        except BaseException:
            self.close()
            raise
        if answer.get("connection", "").lower() == "close":
            self.close()
        return status, answer, data

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        chunks = []
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readline()
        await self.reader.readline()
        return b"".join(chunks)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# ---------------------------------------------------------------- the load


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    retries: int = 0
    accepted: dict[str, str] = field(default_factory=dict)  # idempotency key → reference
    replay_mismatches: int = 0
    abandoned: int = 0
    tokens: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Load:
    def __init__(self, port: int, tally: Tally, photo: bytes, deadline: float,
                 keep_alive: bool = False) -> None:
        self.port, self.tally, self.photo, self.deadline = port, tally, photo, deadline
        self.keep_alive = keep_alive
        self.rng = random.Random(1)
        self.photo_count = 0
        self.origin = f"http://127.0.0.1:{port}"

    def headers(self) -> dict[str, str]:
        r = self.rng.randrange
        headers = {"X-Forwarded-For": f"10.{r(256)}.{r(256)}.{r(1, 255)}",
                   "Accept-Language": "sv", "Accept": "application/json"}
        if not self.keep_alive:
            headers["Connection"] = "close"
        return headers

    async def timed(self, conn: Connection, kind: str, method: str, path: str,
                    headers: dict[str, str], body: bytes = b""
                    ) -> tuple[int, dict[str, str], bytes] | None:
        start = time.perf_counter()
        try:
            result = await conn.request(method, path, headers, body)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.tally.errors[kind] += 1
            return None
        self.tally.latencies[kind].append(time.perf_counter() - start)
        self.tally.statuses[kind][result[0]] += 1
        if result[0] >= 400:
            self.tally.errors[kind] += 1
        return result

    async def submit(self, conn: Connection, kind: str) -> None:
        """One report, retried with its key until it is accepted (or refused for good)."""
        photo = None
        if kind == "photo":
            self.photo_count += 1
            photo = photo_variant(self.photo, self.photo_count)
        fields = report_fields(self.rng)
        key = str(uuid.uuid4())
        headers = {**self.headers(), "Idempotency-Key": key, "Origin": self.origin}
        if photo is None:  # as the PWA's outbox sends a report without photos
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
        else:
            body = multipart(fields, photo)
            headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self.tally.retries += 1
                await asyncio.sleep(0.05 * attempt)
            result = await self.timed(conn, kind, "POST", "/api/v1/reports?lang=sv", headers,
                                      body)
            if result is None or result[0] >= 500 or result[0] == 429:
                continue
            if result[0] != 201:
                return
            answer = json.loads(result[2])
            known = self.tally.accepted.get(key)
            if known is None:
                self.tally.created[kind] += 1
            elif known != answer["reference"]:
                self.tally.replay_mismatches += 1
            self.tally.accepted[key] = answer["reference"]
            self.tally.tokens.append(answer["status_url"].rsplit("/", 1)[1])
            if self.rng.randrange(REPLAY_EVERY) == 0 and attempt == 0:
                again = await self.timed(conn, kind, "POST", "/api/v1/reports?lang=sv",
                                         headers, body)
                if again is not None and again[0] == 201:
                    if json.loads(again[2])["reference"] != answer["reference"]:
                        self.tally.replay_mismatches += 1
            return
        self.tally.abandoned += 1

    async def read(self, conn: Connection) -> None:
        choice = self.rng.randrange(4)
        headers = self.headers()
        if choice == 0:
            path, headers["Accept"] = "/", "text/html"
        elif choice == 1:
            path, headers["Accept"] = "/report", "text/html"
        elif choice == 2 and self.tally.tokens:
            path = f"/status/{self.rng.choice(self.tally.tokens)}"
            headers["Accept"] = self.rng.choice(("text/html", "application/json"))
        else:
            path = "/open-data/reports.geojson"
        await self.timed(conn, "read", "GET", path, headers)

    async def client(self, kind: str) -> None:
        conn = Connection("127.0.0.1", self.port)
        while time.perf_counter() < self.deadline:
            if kind == "read":
                await self.read(conn)
            elif kind == "baseline":
                await self.timed(conn, kind, "GET", "/healthz", self.headers())
            else:
                await self.submit(conn, kind)
        conn.close()


async def run_phase(port: int, tally: Tally, photo: bytes, seconds: float,
                    clients: dict[str, int], keep_alive: bool = False) -> float:
    start = time.perf_counter()
    load = Load(port, tally, photo, start + seconds, keep_alive)
    await asyncio.gather(*[load.client(kind) for kind, n in clients.items() for _ in range(n)])
    return time.perf_counter() - start


# ---------------------------------------------------------------- server and database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(url: str) -> None:
    from kopingreport import create_app
    from kopingreport.cli import upgrade_database
    from kopingreport.db import engine, get_session
    from kopingreport.reports.areas import ensure_default_areas

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "load-only", "LOG_JSON": False})
    with app.app_context():
        upgrade_database()
        ensure_default_areas(get_session())
        get_session().commit()
        engine().dispose()


def create_pg_database(server: str) -> str:
    import sqlalchemy as sa

    name = f"kr_load_{os.getpid()}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(server: str, url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    engine.dispose()


def start_server(url: str, workdir: Path, args: argparse.Namespace
                 ) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="load-only-secret",
               UPLOAD_DIR=str(workdir / "uploads"), KOPINGREPORT_TRUSTED_PROXIES="1",
               KOPINGREPORT_SESSION_COOKIE_SECURE="false", PILLOW_BLOCKS_MAX="4",
               BIND=f"127.0.0.1:{port}")
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    if args.limits_off:
        env["KOPINGREPORT_RATELIMIT_ENABLED"] = "false"
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config",
                               str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the app did not start; see {workdir / 'gunicorn.log'}")


def stored(url: str) -> tuple[dict[str, str], int]:
    """Idempotency key → reference of every stored report, and keys stored twice."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT idempotency_key, reference FROM reports")).all()
    engine.dispose()
    keys: dict[str, str] = {}
    twice = 0
    for key, reference in rows:
        twice += key in keys
        keys[key] = reference
    return keys, twice


# ---------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def machine_speed() -> float:
    """Seconds one core takes for a fixed pure-Python loop (10 million additions), best of
    three: the same code on another machine, or on this one at a busier hour, gives other
    figures, and this says how much slower or faster the cores were."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for n in range(10_000_000):
            total += n
        best = min(best, time.perf_counter() - start)
    return best


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


TICK = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(master: int) -> float:
    """CPU time of gunicorn's workers: the live ones, plus those that ended (max_requests)."""
    def stat(pid: int) -> list[str]:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()

    fields = stat(master)
    total = (int(fields[13]) + int(fields[14])) / TICK  # cutime, cstime of reaped workers
    for line in open(f"/proc/{master}/task/{master}/children").read().split():
        try:
            fields = stat(int(line))
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot (from /proc/stat)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class Phase:
    name: str
    tally: Tally
    seconds: float
    generator_cpu: float
    server_cpu: float
    machine_busy: float


def run_database(name: str, url: str, args: argparse.Namespace, photo: bytes) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix=f"kr-load-{name}-"))
    prepare_database(url)
    server, port = start_server(url, workdir, args)
    plan = [("baseline: GET /healthz alone", args.baseline_seconds,
             {"baseline": args.report_clients})]
    if args.phase_seconds:
        plan += [("reports without photos + reads", args.phase_seconds,
                  {"report": args.report_clients, "read": args.read_clients}),
                 ("reports with a photo + reads", args.phase_seconds,
                  {"photo": args.photo_clients, "read": args.read_clients})]
    plan.append(("all at once", args.seconds, {"report": args.report_clients,
                                               "photo": args.photo_clients,
                                               "read": args.read_clients}))
    phases: list[Phase] = []
    tokens: list[str] = []
    try:
        for title, seconds, clients in plan:
            tally = Tally(tokens=tokens)
            cpu_before, server_before = cpu_seconds(), server_cpu_seconds(server.pid)
            busy_before = machine_busy()
            took = asyncio.run(run_phase(port, tally, photo, seconds, clients,
                                         args.keep_alive))
            busy_after = machine_busy()
            phases.append(Phase(title, tally, took, cpu_seconds() - cpu_before,
                                server_cpu_seconds(server.pid) - server_before,
                                (busy_after[0] - busy_before[0])
                                / max(1, busy_after[1] - busy_before[1])))
    finally:
        server.terminate()
        server.wait(timeout=30)
    keys, twice = stored(url)
    return print_figures(name, phases, keys, twice, workdir)


def print_phase(phase: Phase, baseline: float) -> dict[str, float]:
    """Print one phase; return the accepted (new) reports per second of each kind."""
    tally, seconds = phase.tally, phase.seconds
    print(f"-- {phase.name}: {seconds:.0f} s (cores busy {phase.machine_busy:.0%}; app "
          f"workers {phase.server_cpu / seconds:.2f} cores; load generator "
          f"{phase.generator_cpu / seconds:.2f})")
    print(f"   {'kind':<10}{'req/s':>9}{'new/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
          "  statuses")
    rates = {}
    for kind in ("baseline", *KINDS):
        lat = tally.latencies[kind]
        if not lat and not tally.errors[kind]:
            continue
        rates[kind] = tally.created[kind] / seconds
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(tally.statuses[kind].items()))
        print(f"   {kind:<10}{len(lat) / seconds:>9.1f}{rates[kind]:>8.1f}"
              f"{percentile(lat, .5) * 1000:>9.1f}{percentile(lat, .95) * 1000:>9.1f}"
              f"{tally.errors[kind]:>8}  {statuses}")
    requests = sum(len(tally.latencies[k]) for k in ("baseline", *KINDS))
    if requests:
        print(f"   app worker CPU per request (all kinds): "
              f"{phase.server_cpu / requests * 1000:.1f} ms")
    if baseline and (rates.get("report") or rates.get("photo")):
        print(f"   new reports/s as a share of the /healthz baseline ({baseline:.0f}/s): "
              + ", ".join(f"{k} {rates[k] / baseline:.0%}" for k in TARGETS if k in rates))
    return rates


def print_figures(name: str, phases: list[Phase], keys: dict[str, str], twice: int,
                  workdir: Path) -> bool:
    print(f"\n== {name}")
    base = phases[0]
    baseline = len(base.tally.latencies["baseline"]) / base.seconds
    best: dict[str, float] = {}
    for phase in phases:
        for kind, rate in print_phase(phase, baseline).items():
            best[kind] = max(best.get(kind, 0.0), rate)
    accepted: dict[str, str] = {}
    mismatches = retries = abandoned = 0
    for phase in phases:
        accepted.update(phase.tally.accepted)
        mismatches += phase.tally.replay_mismatches
        retries += phase.tally.retries
        abandoned += phase.tally.abandoned
    lost = {k for k in accepted if k not in keys}
    unasked = {k for k in keys if k not in accepted}
    wrong = sum(1 for k, ref in accepted.items() if k in keys and keys[k] != ref)
    print(f"accepted (201, distinct keys) {len(accepted)}, stored {len(keys)}; lost "
          f"{len(lost)}, stored without a 201 {len(unasked)}, duplicated {twice}, "
          f"wrong reference {wrong}, replay mismatches {mismatches}; "
          f"retried requests {retries}, given up {abandoned}")
    ok = True
    mixed = phases[-1].tally
    for kind, target in TARGETS.items():
        together = mixed.created[kind] / phases[-1].seconds
        hit = best.get(kind, 0.0) >= target
        ok &= hit
        print(f"target {kind}: best {best.get(kind, 0.0):.1f}/s, all at once {together:.1f}/s "
              f"(≥ {target:.0f}) {'OK' if hit else 'MISSED'}")
    clean = not lost and not unasked and not twice and not wrong and not mismatches
    print(f"target zero lost/duplicated: {'OK' if clean else 'MISSED'}  (server log: "
          f"{workdir / 'gunicorn.log'})")
    return ok and clean


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=5)
    parser.add_argument("--phase-seconds", type=float, default=60,
                        help="first each kind of submission alone (with reads) this long; 0: "
                        "only the mix")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg", default=PG_SERVER, help="a PostgreSQL database to connect to "
                        "for creating (and dropping) the benchmark database")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: the config)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: the config)")
    parser.add_argument("--report-clients", type=int, default=16)
    parser.add_argument("--photo-clients", type=int, default=4)
    parser.add_argument("--read-clients", type=int, default=4)
    parser.add_argument("--limits-off", action="store_true")
    parser.add_argument("--keep-alive", action="store_true",
                        help="keep each client's connection open (default: one connection per "
                        "request, as nginx without upstream keep-alive and as many phones)")
    args = parser.parse_args()
    photo = make_photo()
    print(f"photo: 1600×1200 JPEG, {len(photo) / 1024:.0f} KB; clients: {args.report_clients} "
          f"report, {args.photo_clients} photo, {args.read_clients} read ("
          f"{'keep-alive' if args.keep_alive else 'a connection per request'}); "
          f"cores: {os.cpu_count()}, each doing 10 million Python additions in "
          f"{machine_speed():.2f} s")
    print("rate limits: " + ("off (KOPINGREPORT_RATELIMIT_ENABLED=false)" if args.limits_off
                             else "as configured; every request from its own simulated client "
                             "(X-Forwarded-For, KOPINGREPORT_TRUSTED_PROXIES=1)"))
    ok = True
    for name in args.db.split(","):
        if name == "sqlite":
            workdir = Path(tempfile.mkdtemp(prefix="kr-load-db-"))
            ok &= run_database(name, f"sqlite:///{workdir / 'load.sqlite'}", args, photo)
        else:
            url = create_pg_database(args.pg)
            try:
                ok &= run_database(name, url, args, photo)
            finally:
                drop_pg_database(args.pg, url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
