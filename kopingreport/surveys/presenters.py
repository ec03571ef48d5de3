"""Template helpers for survey pages: texts in the right language, language attributes."""

from __future__ import annotations

from flask import Blueprint
from markupsafe import Markup

from kopingreport.i18n import _, current_locale, text_direction
from kopingreport.surveys import library, texts
from kopingreport.surveys.models import Survey, SurveyQuestion

def content_attrs(lang: str) -> Markup:
    """``lang``/``dir`` attributes for survey texts in another language than the page."""
    if lang == current_locale():
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(lang, text_direction(lang))


def content_language(survey: Survey) -> str:
    """The language a survey's texts are shown in on this request."""
    return texts.content_language(survey.languages, current_locale())


def condition_hint(question: SurveyQuestion, attempt: object) -> str:
    """"Answer only if …" for a conditional question shown without the script."""
    by_id = getattr(attempt, "by_id")
    lang = getattr(attempt, "lang")
    source = by_id.get(int(question.condition["question"])) if question.condition else None
    if source is None:
        return ""
    labels = {o["value"]: texts.tr(o["label"], lang) for o in source.options}
    chosen = [f"“{labels.get(v, v)}”" for v in question.condition.get("values", [])]
    number = [q.id for q in getattr(attempt, "survey").questions].index(source.id) + 1
    return _("Answer only if your answer to question %(n)d was %(answers)s.", n=number,
             answers=f" {_('or')} ".join(chosen))


def register(bp: Blueprint) -> None:
    """Make the helpers available to every template."""
    bp.add_app_template_global(texts.tr, "tr")
    bp.add_app_template_global(content_attrs)
    bp.add_app_template_global(content_language)
    bp.add_app_template_global(condition_hint)
    bp.add_app_template_global(library.OTHER, "OTHER")
