"""Template helpers for survey pages: texts in the right language, language attributes."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import format_percent
from markupsafe import Markup

from kopingreport.i18n import _, current_locale, text_direction
from kopingreport.surveys import charts, library, texts
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
    separator = " " + _("or") + " "
    return _("Answer only if your answer to question %(n)d was %(answers)s.", n=number,
             answers=separator.join(chosen))


def content_lang() -> str:
    """The language of the shipped checklist texts on this request."""
    return texts.content_language(texts.SURVEY_LANGUAGES, current_locale())


def register(bp: Blueprint) -> None:
    """Make the helpers available to every template."""
    bp.add_app_template_global(texts.tr, "tr")
    bp.add_app_template_global(content_attrs)
    bp.add_app_template_global(content_language)
    bp.add_app_template_global(condition_hint)
    bp.add_app_template_global(library.OTHER, "OTHER")
    bp.add_app_template_global(charts.bars, "chart_bars")
    bp.add_app_template_global(charts.height, "chart_height")
    bp.add_app_template_global(charts.description, "chart_description")
    bp.add_app_template_global(charts.WIDTH, "CHART_WIDTH")
    bp.add_app_template_filter(format_percent, "percent")
    bp.add_app_template_global(library.checklist_items)
    bp.add_app_template_global(library.checklist_ratings)
    bp.add_app_template_global(content_lang)
