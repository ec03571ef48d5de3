"""Language choice and the translation functions every module uses.

Order: ``?lang=`` in the URL → the ``lang`` cookie → ``Accept-Language`` → Swedish.
Msgids are English; Swedish is the default language of the site.
"""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import support
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, get_locale


def translations() -> support.NullTranslations:
    """This request's translations. Flask-Babel looks them up afresh for every string (its
    context three times, the locale, the locale's name, a cache): a page has dozens of
    strings. Kept per request and locale, so ``force_locale`` still switches language."""
    if not has_app_context():
        return flask_babel.get_translations()
    locale = get_locale()
    memo: tuple[Any, support.NullTranslations] | None = g.get("_kopingreport_translations")
    if memo is None or memo[0] is not locale:
        memo = (locale, flask_babel.get_translations())
        g._kopingreport_translations = memo
    return memo[1]


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the request's language, with ``%(name)s`` filled from ``variables``."""
    text: str = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Singular or plural by ``num`` (available as ``%(num)d``), in the request's language."""
    variables.setdefault("num", num)
    text: str = translations().ungettext(singular, plural, num)
    return text % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """``gettext`` when the string is used (for texts defined at import time)."""
    return LazyString(gettext, string, **variables)


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
    """Remember an explicit ``?lang=`` choice in a cookie, translate templates through the
    request's kept translations and expose helpers to templates (after Babel's init_app)."""
    app.after_request(_remember_choice)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n), newstyle=True)
    app.jinja_env.globals.update(current_locale=current_locale, text_direction=text_direction,
                                 LANGUAGE_NAMES=LANGUAGE_NAMES)
