"""Public pages rendered once per language and reused for every anonymous visitor.

The start page and the empty report form are the pages residents open most, and the form is
the app's most expensive render (twenty categories with help texts, the area list, the
"where" block): about five times the work of storing a report. Their HTML differs between
anonymous visitors only in a few values — the CSRF token, the form's submission id, the
time "now" — so it is rendered once per language (and host) and those values are filled
into a copy for each request.

Only plain requests are shared: GET, nobody logged in, no flashed message waiting, no query
but ``lang``. A rendered page whose per-request values do not each occur exactly once is not
kept. Entries live ``SECONDS`` and change with ``version`` (e.g. the cached area list), so an
edited area or a new deployment shows within a minute.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from flask import current_app, request, session
from flask_login import current_user

from kopingreport.i18n import current_locale

SECONDS = 60.0
#: The Host header comes from the client: a bounded number of entries, whatever it says.
MAX_ENTRIES = 64


@dataclass(frozen=True)
class _Entry:
    expires: float
    version: object
    #: The page split at its per-request values: text, slot, text, slot, …, text.
    parts: tuple[str, ...]
    slots: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for slot, text in zip(self.slots, self.parts[1:]):
            out += (values[slot], text)
        return "".join(out)


_lock = threading.Lock()


def _pages() -> dict[Hashable, _Entry]:
    """This app's shared pages (each app its own: tests build many with other settings)."""
    pages: dict[Hashable, _Entry] = current_app.extensions.setdefault("kopingreport.pages", {})
    return pages


def shareable() -> bool:
    """Whether this request may get (and give) the shared copy of a page."""
    return (request.method == "GET" and set(request.args) <= {"lang"}
            and not current_user.is_authenticated and "_flashes" not in session)


def _split(html: str, values: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """``html`` cut at each value (in page order), or None if a value is not there once."""
    places = []
    for slot, value in values.items():
        if not value or html.count(value) != 1:
            return None
        places.append((html.index(value), slot, len(value)))
    parts, slots, start = [], [], 0
    for at, slot, length in sorted(places):
        parts.append(html[start:at])
        slots.append(slot)
        start = at + length
    parts.append(html[start:])
    return tuple(parts), tuple(slots)


def shared_page(name: str, render: Callable[[], str], values: Mapping[str, str] | None = None,
                version: object = None) -> str:
    """The page ``render`` makes, shared between anonymous visitors of a language.

    ``values`` are this request's own values that ``render`` puts into the page (each must
    occur exactly once in it); a shared copy gets them filled in. ``version``: an object that
    is replaced when the page's data changes (compared by identity).
    """
    values = values or {}
    if not shareable():
        return render()
    key = (name, current_locale(), request.host_url, request.path)
    pages = _pages()
    entry = pages.get(key)
    now = time.monotonic()
    if entry is not None and entry.expires > now and entry.version is version:
        return entry.fill(values)
    html = render()
    split = _split(html, values)
    if split is not None:
        with _lock:
            if len(pages) >= MAX_ENTRIES:
                pages.clear()
            pages[key] = _Entry(now + SECONDS, version, *split)
    return html


def forget_pages() -> None:
    """Drop this app's shared pages."""
    with _lock:
        _pages().clear()
