"""Language choice and the translation functions every module uses.

Order: ``?lang=`` in the URL → the ``lang`` cookie → ``Accept-Language`` → Swedish.
Msgids are English; Swedish is the default language of the site.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "ngettext", "select_locale", "current_locale", "text_direction",
           "LANGUAGE_NAMES", "init_app"]

LANG_COOKIE = "lang"
RTL_LOCALES = frozenset({"ar", "fa", "he", "ur"})
#: Each language named in itself, for the language picker.
LANGUAGE_NAMES = {"sv": "Svenska", "fi": "Suomi", "en": "English", "ar": "العربية"}


def select_locale() -> str:
    """The locale for this request (Flask-Babel's locale selector)."""
    supported = current_app.config["LOCALES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in supported:
            return candidate
    return request.accept_languages.best_match(supported) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The two-letter code of the active locale."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def text_direction(locale: str | None = None) -> str:
    """``rtl`` for right-to-left scripts, otherwise ``ltr``."""
    return "rtl" if (locale or current_locale()) in RTL_LOCALES else "ltr"


def _remember_choice(response: ResponseReturnValue) -> ResponseReturnValue:
    chosen = request.args.get("lang")
    if chosen in current_app.config["LOCALES"] and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


def init_app(app: Flask) -> None:
    """Remember an explicit ``?lang=`` choice in a cookie and expose helpers to templates."""
    app.after_request(_remember_choice)
    app.jinja_env.globals.update(current_locale=current_locale, text_direction=text_direction,
                                 LANGUAGE_NAMES=LANGUAGE_NAMES)
