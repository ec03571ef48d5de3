"""The sv, fi and ar catalogs: complete, not fuzzy, placeholders intact, in sync with the code.

Msgids are English, so the English catalog stays empty and is not checked here. When this
file fails because strings are missing, run ``scripts/translations.sh`` and translate the new
entries in every catalog.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("sv", "fi", "ar")
#: Languages whose msgstr must differ from the English msgid (Swedish may share words such
#: as "Status" with English).
MUST_DIFFER = ("fi", "ar")
#: Msgids that may legitimately stay as they are in every language (names, codes).
SAME_AS_MSGID_ALLOWED = frozenset({"KBAB", "Köping", "polisen.se", "Embrace"})
#: The keywords scripts/translations.sh extracts with (on top of Babel's defaults).
EXTRACT_KEYWORDS = ("_l", "lazy_gettext")

# %(name)s, %(n)d, %(mb).1f … and {name}/{0}/{} (str.format and the JS placeholder {m}).
PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
NUMBER = re.compile(r"\d+")
LETTER = re.compile(r"[^\W\d_]")


def _pybabel() -> list[str]:
    """The pybabel command of the running interpreter's environment."""
    script = Path(sys.executable).parent / "pybabel"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "babel.messages.frontend"]


def _load(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _messages(catalog: Catalog) -> Iterator[Message]:
    """Every real message (not the header, not obsolete entries)."""
    return (message for message in catalog if message.id)


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return [s or "" for s in message.string]
    return [message.string or ""]


def _key(message: Message) -> str:
    return _ids(message)[0]


def _placeholders(text: str) -> Counter[str]:
    found = [f"%({m.group(1)})…{m.group(0)[-1]}" for m in PERCENT_PLACEHOLDER.finditer(text)]
    found += [f"{{{name}}}" for name in BRACE_PLACEHOLDER.findall(text)]
    return Counter(found)


@pytest.fixture(scope="module", params=LANGUAGES)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return _load(request.param)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every msgid in the code, extracted the same way scripts/translations.sh does it."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = [arg for kw in EXTRACT_KEYWORDS for arg in ("-k", kw)]
    subprocess.run([*_pybabel(), "extract", "-F", "babel.cfg", *keywords, "--no-location",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {_key(message) for message in _messages(read_po(handle))}


def test_every_message_is_translated(catalog: Catalog) -> None:
    untranslated = [_key(m) for m in _messages(catalog)
                    if not all(s.strip() for s in _strings(m))]
    assert not untranslated, f"{catalog.locale}: untranslated msgids: {untranslated}"


def test_plural_entries_have_every_form(catalog: Catalog) -> None:
    wrong = [_key(m) for m in _messages(catalog) if m.pluralizable
             and len(_strings(m)) != catalog.num_plurals]
    assert not wrong, f"{catalog.locale}: expected {catalog.num_plurals} plural forms: {wrong}"


def test_nothing_is_fuzzy(catalog: Catalog) -> None:
    fuzzy = [_key(m) for m in _messages(catalog) if m.fuzzy]
    assert not fuzzy, f"{catalog.locale}: fuzzy entries: {fuzzy}"
    assert not catalog.fuzzy, f"{catalog.locale}: the catalog header is marked fuzzy"


@pytest.mark.parametrize("lang", MUST_DIFFER)
def test_translations_are_not_copies_of_the_english(lang: str) -> None:
    catalog = _load(lang)
    copied = [_key(m) for m in _messages(catalog)
              if LETTER.search(_key(m)) and _key(m) not in SAME_AS_MSGID_ALLOWED
              and any(s.strip() == msgid.strip() for msgid in _ids(m) for s in _strings(m))]
    assert not copied, f"{catalog.locale}: msgstr is still the English msgid: {copied}"


def test_placeholders_are_kept(catalog: Catalog) -> None:
    wrong = []
    for message in _messages(catalog):
        ids = _ids(message)
        for index, text in enumerate(_strings(message)):
            if not text:
                continue
            # A plural form may drop the number (e.g. Arabic "one photo"); it must not add
            # placeholders or change their names.
            expected = _placeholders(ids[min(index, len(ids) - 1)])
            found = _placeholders(text)
            if message.pluralizable:
                ok = set(found) <= set(expected) | set(_placeholders(ids[-1]))
            else:
                ok = found == expected
            if not ok:
                wrong.append((_key(message), dict(expected), dict(found)))
    assert not wrong, f"{catalog.locale}: placeholders differ (msgid, expected, found): {wrong}"


def test_numbers_are_kept(catalog: Catalog) -> None:
    """Phone numbers (112, 114 14), limits and examples must survive translation."""
    wrong = []
    for message in _messages(catalog):
        if message.pluralizable:
            continue
        expected = Counter(NUMBER.findall(_key(message)))
        found = Counter(NUMBER.findall(_strings(message)[0]))
        if expected - found:
            wrong.append((_key(message), sorted((expected - found).elements())))
    assert not wrong, f"{catalog.locale}: numbers missing from msgstr: {wrong}"


def test_catalogs_are_in_sync_with_the_code(extracted_ids: set[str]) -> None:
    assert extracted_ids, "extraction found no messages; check babel.cfg"
    problems = {}
    for lang in LANGUAGES:
        present = {_key(m) for m in _messages(_load(lang))
                   if all(s.strip() for s in _strings(m))}
        missing = sorted(extracted_ids - present)
        if missing:
            problems[lang] = missing
    assert not problems, (
        "msgids in the code that are missing or untranslated in the catalogs (run "
        f"scripts/translations.sh, then translate them): {problems}")


# --- rendering through the app --------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled_catalogs() -> None:
    """Compile the .po files to the .mo files Flask-Babel reads (they are not in git).

    Each catalog is compiled to a temporary file that then replaces the .mo, so parallel
    workers (pytest-xdist) never read a half-written file.
    """
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        mo = po.with_suffix(".mo")
        tmp = mo.with_name(f"messages.mo.{os.getpid()}.tmp")
        try:
            subprocess.run([*_pybabel(), "compile", "-i", str(po), "-o", str(tmp), "-l", lang],
                           cwd=ROOT, check=True, capture_output=True)
            os.replace(tmp, mo)
        finally:
            tmp.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def translation_app(compiled_catalogs: None) -> Flask:
    from kopingreport import create_app

    return create_app({"SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "TESTING": True})


def _msgstr(lang: str, msgid: str) -> str:
    message = _load(lang).get(msgid)
    assert message is not None and message.string, f"{lang}: {msgid!r} is not translated"
    return message.string


@pytest.mark.parametrize("lang", LANGUAGES)
def test_app_renders_the_translation(translation_app: Flask, lang: str) -> None:
    import flask_babel

    with translation_app.test_request_context(f"/?lang={lang}"):
        assert str(flask_babel.get_locale()) == lang
        report = flask_babel.gettext("Report")
        titled = flask_babel.gettext("Report %(ref)s", ref="KR-TEST")
    assert report == _msgstr(lang, "Report")
    assert report != "Report"
    assert titled == _msgstr(lang, "Report %(ref)s") % {"ref": "KR-TEST"}
    assert "KR-TEST" in titled


def test_swedish_is_the_default(translation_app: Flask) -> None:
    import flask_babel

    with translation_app.test_request_context("/"):
        assert flask_babel.gettext("Report") == _msgstr("sv", "Report")


def test_kept_translations_follow_force_locale_within_a_request(translation_app: Flask) -> None:
    from flask import render_template_string
    from flask_babel import force_locale

    from kopingreport.i18n import _, _l, ngettext

    later = _l("Report")
    with translation_app.test_request_context("/?lang=fi"):
        assert _("Report") == str(later) == _msgstr("fi", "Report")
        with force_locale("ar"):  # e.g. a reply written in the reporter's language
            assert _("Report") == _msgstr("ar", "Report")
            assert render_template_string("{{ _('Report') }}") == _msgstr("ar", "Report")
        assert _("Report") == _msgstr("fi", "Report")
        assert render_template_string("{{ _('Report') }}") == _msgstr("fi", "Report")
        assert "3" in ngettext("%(num)d report", "%(num)d reports", 3)
    assert _("Report") == "Report"  # no request: the msgid
