"""The installable web app: manifest, service worker, offline page and "My reports".

The service worker (``static/js/sw.js``) is served from ``/sw.js`` so that it controls the
whole site. The server puts a ``CONFIG`` line in front of it: the versioned URLs of the app
shell and a cache version derived from their content hashes, so every change of a shell
file gives a new service worker, a new cache and the "update available" banner.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from flask import Blueprint, Response, current_app, render_template, url_for
from flask.typing import ResponseReturnValue

from kopingreport.i18n import _, current_locale, ngettext, text_direction
from kopingreport.web.assets import asset_url

bp = Blueprint("pwa", __name__)

#: Static files of the app shell, precached with their ``?v=`` URLs (so cache hits match).
#: The PNG icons (66 KB) are left out: only the installer uses them, never a page.
SHELL_ASSETS = (
    "css/app.css", "js/pwa.js", "js/outbox.js", "js/shrink.js", "js/report.js", "js/send.js",
    "js/receipt.js", "js/myreports.js", "js/survey.js", "css/surveys.css", "icons/icon.svg",
)
#: Pages of the app shell; the service worker fetches them with the visitor's cookies, so
#: they are cached in the visitor's language.
SHELL_PAGES = ("pages.index", "reports.new", "pwa.offline", "pwa.my_reports")
SW_SOURCE = "js/sw.js"
THEME_COLOR, BACKGROUND_COLOR = "#0b4f6c", "#f4f6f7"


def _icon(name: str, size: str, purpose: str = "any") -> dict[str, str]:
    kind = "image/svg+xml" if name.endswith(".svg") else "image/png"
    return {"src": asset_url(f"icons/{name}"), "sizes": size, "type": kind, "purpose": purpose}


def manifest_data() -> dict[str, Any]:
    """The web app manifest in the request's language."""
    locale = current_locale()
    return {
        "id": "/", "start_url": url_for("pages.index"), "scope": "/",
        "name": f"{_('Safety reports')} – {_('Köping municipality')}",
        "short_name": _("Safe in Köping"),
        "description": _("Report unsafe places and incidents in Köping municipality."),
        "lang": locale, "dir": text_direction(locale), "display": "standalone",
        "theme_color": THEME_COLOR, "background_color": BACKGROUND_COLOR,
        "prefer_related_applications": False,
        "icons": [_icon("icon-192.png", "192x192"), _icon("icon-512.png", "512x512"),
                  _icon("icon-maskable-512.png", "512x512", "maskable"),
                  _icon("icon.svg", "any")],
        "shortcuts": [{"name": _("New report"), "url": url_for("reports.new")},
                      {"name": _("My reports"), "url": url_for("pwa.my_reports")}],
    }


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    """The manifest; ``?lang=`` picks the language (browsers fetch it without cookies)."""
    response = Response(json.dumps(manifest_data(), ensure_ascii=False, indent=1),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def service_worker_config() -> dict[str, Any]:
    """What the service worker needs from the server, with the cache version."""
    source = (Path(current_app.static_folder or "") / SW_SOURCE).read_text(encoding="utf-8")
    assets = [asset_url(name) for name in SHELL_ASSETS]
    version = hashlib.sha256("\n".join([*assets, source]).encode()).hexdigest()[:12]
    return {"version": version, "pages": [url_for(page) for page in SHELL_PAGES],
            "assets": assets, "offline": url_for("pwa.offline"),
            "outbox": asset_url("js/outbox.js"), "source": source}


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker, for the whole site; always revalidated (``no-cache``)."""
    config = service_worker_config()
    source = config.pop("source")
    response = Response(f"const CONFIG = {json.dumps(config)};\n{source}",
                        mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    """Shown by the service worker for a page that cannot be loaded without a connection."""
    return render_template("pwa/offline.html")


@bp.get("/my-reports")
def my_reports() -> ResponseReturnValue:
    """The reports on this phone: waiting in the outbox and sent. Filled in by JavaScript."""
    return render_template("pwa/my_reports.html")


@lru_cache(maxsize=16)
def _plural_samples(locale: str) -> dict[str, int]:
    """One number per CLDR plural category of ``locale`` (``{"one": 1, "other": 0}``)."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for number in range(200):
        samples.setdefault(rule(number), number)
    return samples


def plural_messages() -> dict[str, dict[str, str]]:
    """Counted messages for JavaScript: every plural form with ``{n}`` for the number, keyed
    by the category ``Intl.PluralRules`` gives in the browser."""
    samples = _plural_samples(current_locale())
    return {"waiting": {tag: ngettext("%(count)s report waiting to be sent",
                                      "%(count)s reports waiting to be sent", n, count="{n}")
                        for tag, n in samples.items()},
            "answers": {tag: ngettext("%(count)s survey answer waiting to be sent",
                                      "%(count)s survey answers waiting to be sent", n,
                                      count="{n}")
                        for tag, n in samples.items()}}


bp.add_app_template_global(plural_messages)


@bp.after_app_request
def _content_language(response: Response) -> Response:
    """Pages say their language, so the service worker keeps its offline copies in one."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Language", current_locale())
    return response
