"""Translated names of question kinds, templates and survey states (back office)."""

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.surveys.models import QuestionKind, SurveyState

KIND_LABELS: dict[QuestionKind, LazyString] = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.SCALE: _l("Scale"),
    QuestionKind.MATRIX: _l("Matrix of scales"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.MAP_POINT: _l("Places on a map"),
    QuestionKind.PHOTO: _l("Photo"),
    QuestionKind.AREA: _l("Area (from the list of areas)"),
}

TEMPLATE_LABELS: dict[str, LazyString] = {
    "ntu": _l("Safety survey (NTU questions)"),
    "checklist": _l("Safety walk checklist"),
    "": _l("An empty survey"),
}

STATE_LABELS: dict[SurveyState, LazyString] = {
    SurveyState.DRAFT: _l("Draft"),
    SurveyState.PUBLISHED: _l("Published"),
    SurveyState.CLOSED: _l("Closed"),
}
