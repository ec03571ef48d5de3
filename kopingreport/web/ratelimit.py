"""Rate limits per client address: a decorator for views and blueprints, counted with
the ``limits`` library in Redis (``RATELIMIT_STORAGE_URI``, from ``REDIS_URL``) or in memory.

Built for what this app needs, because Flask-Limiter cost about a tenth of every request
(a report, a health check, a page): it looked for default, application and blueprint limits
before every request, resolved the view's limits again in the decorator, and read the
counter back after the response for ``X-RateLimit-*`` headers nobody used (with Redis, one
more round trip). Here a limited view costs one counter hit per limit, and a view without
limits costs nothing.

- ``limiter.limit("5 per minute")`` counts per view; ``limiter.shared_limit(..., scope=)``
  one count for every view it decorates (the HTML form and the API).
- The limit may be a function that reads it from the configuration on each request.
- ``key_func`` (default: the client address), ``exempt_when``, and ``deduct_when``: only a
  response for which it is true counts (checked before the view, counted after).
- A refused request gets the translated 429 page or JSON body with ``Retry-After``; nothing
  else gets ``Retry-After``.
- Redis unreachable: the worker counts in memory (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``)
  and tries Redis again after ``RECHECK_SECONDS``; without the fallback, requests pass
  (``RATELIMIT_SWALLOW_ERRORS``) or fail.
- ``RATELIMIT_ENABLED=false`` turns every limit off (load tests only);
  ``RATELIMIT_STRATEGY`` (default ``fixed-window``), ``RATELIMIT_KEY_PREFIX``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import STRATEGIES, RateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
LimitValue = str | Callable[[], str]

#: After Redis failed, how long a worker counts in memory before it tries Redis again.
RECHECK_SECONDS = 30.0


class RateLimited(TooManyRequests):
    """A request over a limit; ``retry_after``: seconds until the window resets."""

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` counts whose expired entries are swept at most once a minute, by the
    request that finds the sweep due.

    The library's own memory storage starts a thread 10 ms after every hit, and that thread
    walks every counter it holds: with thousands of client addresses a busy worker spent a
    tenth of its time there. A counter read after its window is still reset at once (the
    library's ``get`` checks the expiry); the sweep only frees memory.
    """

    STORAGE_SCHEME = ["kopingreport-memory"]
    SWEEP_SECONDS = 60.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - replaces the private one
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


@lru_cache(maxsize=64)
def _parsed(value: str) -> tuple[RateLimitItem, ...]:
    """``"30 per minute;300 per hour"`` → its limits, shortest window first."""
    return tuple(sorted(parse_many(value)))


@dataclass
class _State:
    """One app's counters: its storage, a memory fallback and the settings."""

    enabled: bool
    prefix: str
    strategy: RateLimiter
    fallback: RateLimiter | None
    swallow_errors: bool
    dead_until: float = 0.0

    def limiter(self) -> RateLimiter:
        """Redis (or whatever is configured) unless it failed a moment ago."""
        if self.fallback is not None and time.monotonic() < self.dead_until:
            return self.fallback
        return self.strategy


@dataclass(frozen=True)
class _Limit:
    value: LimitValue
    scope: str | None
    key_func: Callable[[], str] | None
    exempt_when: Callable[[], bool] | None
    deduct_when: Callable[[Response], bool] | None


class Limiter:
    """The app's rate limits (one object, bound to each app by ``init_app``)."""

    def __init__(self, key_func: Callable[[], str]) -> None:
        self.key_func = key_func

    def init_app(self, app: Flask) -> None:
        """Bind to ``app`` with its ``RATELIMIT_*`` settings; each app counts on its own."""
        cfg = app.config
        strategy = STRATEGIES[cfg.get("RATELIMIT_STRATEGY") or "fixed-window"]
        storage = storage_from_string(cfg["RATELIMIT_STORAGE_URI"])
        fallback = None
        if cfg.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True) and not isinstance(
                storage, MemoryStorage):
            fallback = strategy(storage_from_string("kopingreport-memory://"))
        app.extensions["kopingreport.ratelimit"] = _State(
            enabled=_truthy(cfg.get("RATELIMIT_ENABLED", True)),
            prefix=str(cfg.get("RATELIMIT_KEY_PREFIX") or ""), strategy=strategy(storage),
            fallback=fallback, swallow_errors=bool(cfg.get("RATELIMIT_SWALLOW_ERRORS", True)))
        app.after_request(_deduct)
        app.register_error_handler(RateLimited, _refused)

    def limit(self, value: LimitValue, *, key_func: Callable[[], str] | None = None,
              exempt_when: Callable[[], bool] | None = None,
              deduct_when: Callable[[Response], bool] | None = None) -> Callable[[F], F]:
        """Limit a view (counted per view) or every view of a blueprint."""
        return self._decorator(_Limit(value, None, key_func, exempt_when, deduct_when))

    def shared_limit(self, value: LimitValue, scope: str, *,
                     key_func: Callable[[], str] | None = None,
                     exempt_when: Callable[[], bool] | None = None,
                     deduct_when: Callable[[Response], bool] | None = None
                     ) -> Callable[[F], F]:
        """One count, named ``scope``, for every view (or blueprint) it decorates."""
        return self._decorator(_Limit(value, scope, key_func, exempt_when, deduct_when))

    def _decorator(self, spec: _Limit) -> Callable[[F], F]:
        def decorate(target: F) -> F:
            if isinstance(target, Blueprint):
                target.before_request(lambda: self._check(spec))
                return target

            @wraps(target)
            def limited(*args: Any, **kwargs: Any) -> Any:
                self._check(spec)
                return target(*args, **kwargs)

            return limited  # type: ignore[return-value]

        return decorate

    def _check(self, spec: _Limit) -> None:
        """Count this request against ``spec``; ``RateLimited`` when it is over."""
        state: _State = current_app.extensions["kopingreport.ratelimit"]
        if not state.enabled or (spec.exempt_when is not None and spec.exempt_when()):
            return
        value = spec.value if isinstance(spec.value, str) else spec.value()
        key = (spec.key_func or self.key_func)()
        scope = spec.scope or request.endpoint or request.path
        identifiers = (state.prefix, key, scope) if state.prefix else (key, scope)
        for item in _parsed(value):
            allowed = _counted(state, lambda s: (
                s.test(item, *identifiers) if spec.deduct_when else s.hit(item, *identifiers)))
            if allowed is False:
                log.info("rate limit %s reached (%s)", item, scope)
                raise RateLimited(_seconds_left(state, item, identifiers))
            if spec.deduct_when is not None:
                g.setdefault("_ratelimit_deductions", []).append((spec, item, identifiers))


def _counted(state: _State, step: Callable[[RateLimiter], bool]) -> bool | None:
    """Run ``step`` on the counters; if Redis fails, on the memory fallback (and leave Redis
    alone for a while). None: the counters could not be asked and errors are swallowed."""
    limiter = state.limiter()
    try:
        allowed = step(limiter)
    except Exception:  # noqa: BLE001 - any storage failure: connection, timeout, auth
        if state.fallback is not None and limiter is not state.fallback:
            if not state.dead_until:
                log.warning("rate limit storage unreachable: counting in memory for now")
            state.dead_until = time.monotonic() + RECHECK_SECONDS
            return step(state.fallback)
        if state.swallow_errors:
            log.exception("rate limit storage failed; the request is let through")
            return None
        raise
    if state.dead_until and limiter is state.strategy:
        state.dead_until = 0.0
        log.warning("rate limit storage reachable again: counting there")
    return allowed


def _seconds_left(state: _State, item: RateLimitItem, identifiers: tuple[str, ...]) -> int:
    try:
        reset = state.limiter().get_window_stats(item, *identifiers).reset_time
    except Exception:  # noqa: BLE001 - the storage failed just now: a whole window
        return int(item.get_expiry())
    return max(1, math.ceil(reset - time.time()))


def _deduct(response: Response) -> Response:
    """After the view: count the requests whose limit counts only some responses."""
    deductions: list[tuple[_Limit, RateLimitItem, tuple[str, ...]]] | None = g.pop(
        "_ratelimit_deductions", None)
    if deductions:
        state: _State = current_app.extensions["kopingreport.ratelimit"]
        for spec, item, identifiers in deductions:
            if spec.deduct_when is not None and spec.deduct_when(response):
                _counted(state, lambda s: s.hit(item, *identifiers))
    return response


def _refused(error: RateLimited) -> Any:
    from kopingreport.web.errors import render_error  # errors imports the app's pieces

    response = current_app.make_response(render_error(429))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"0", "false", "no", "off", ""}
    return bool(value)
