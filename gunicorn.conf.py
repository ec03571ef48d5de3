"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be changed from the environment (names below); measured with
``bench/load.py`` on a 2-core machine.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Where to listen. Behind a reverse proxy on the same host the default is right; in a
# container set BIND=0.0.0.0:8000.
bind = os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"

# gthread: each worker process runs a few threads, so a slow photo upload or an fsync does not
# hold a whole process (Pillow and the database drivers release the GIL), and keep-alive works.
# Processes: cores + 1, not gunicorn's general (2 × cores) + 1 — the threads already cover the
# waiting. On 2 cores (bench/load.py's client, 8 connections, one kind at a time) /healthz
# gave ~990 req/s with 2 or 3 processes but ~430 with 5; reports without photos 140-170/s and
# with a photo 30-45/s with any of them. Each process costs ~80 MB.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)

# A worker that does not check in for `timeout` s is killed and replaced. gthread workers check
# in from their main loop, so a long, slow upload does not count against it.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On reload/stop, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections are closed after this many seconds. (nginx in
# docs/deployment.md opens a connection per request, so that a free worker takes each one.)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Request line and header limits: our URLs are short; a flood of headers is refused early.
# (The body limit is the app's MAX_CONTENT_LENGTH; the reverse proxy should set the same.)
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Restart each worker after about this many requests, staggered, to bound slow leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# The reverse proxies whose X-Forwarded-Proto/For gunicorn believes (comma-separated, or *).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# The heartbeat file lives in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No control socket: its default path is per user, so two instances on one host would share it.
control_socket_disable = True

# Logs: JSON lines on stdout (access) and stderr (everything else), one formatter for
# gunicorn and the app (kopingreport/web/logging.py). The access log has method, masked path,
# status, duration and request id — no client address, no query string, no user agent.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
loglevel = os.environ.get("LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kopingreport.web.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json",
                   "stream": "ext://sys.stdout"},
        "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                   "stream": "ext://sys.stderr"},
    },
    "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"],
                           "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"] if accesslog else [],
                            "propagate": False, "qualname": "gunicorn.access"},
    },
}
