"""A survey's own texts in several languages: Swedish is required, others fall back to it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The languages a survey can be offered in, Swedish first (it is always offered).
SURVEY_LANGUAGES = ("sv", "fi", "en", "ar")
DEFAULT = "sv"
#: Texts per language code, e.g. ``{"sv": "Ja", "fi": "Kyllä"}``.
Texts = dict[str, str]


def tr(texts: Mapping[str, str] | None, lang: str) -> str:
    """The text in ``lang``, else in Swedish, else empty."""
    texts = texts or {}
    return texts.get(lang) or texts.get(DEFAULT) or ""


def content_language(languages: Iterable[str], locale: str) -> str:
    """The language a survey is shown in for a visitor using ``locale``."""
    return locale if locale in set(languages) else DEFAULT


def clean(texts: Mapping[str, Any] | None, languages: Iterable[str] = SURVEY_LANGUAGES
          ) -> dict[str, str]:
    """Only known languages with non-empty (stripped) text."""
    wanted = set(languages)
    return {lang: str(value).strip() for lang, value in (texts or {}).items()
            if lang in wanted and isinstance(value, str) and value.strip()}


def missing(texts: Mapping[str, str] | None, languages: Iterable[str]) -> list[str]:
    """The languages in ``languages`` that have no text."""
    texts = texts or {}
    return [lang for lang in languages if not (texts.get(lang) or "").strip()]
