"""Reading and checking a respondent's answers from form data (HTML form and JSON API).

Field names: ``q<id>`` for the answer, ``q<id>_other`` for "other, namely", ``q<id>_<row>``
for a matrix row and ``q<id>_p<n>_{lat,lon,area,place,note}`` for the n-th map point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.reports import geo
from kopingreport.reports.images import PhotoError, ProcessedPhoto
from kopingreport.surveys.library import OTHER_VALUE
from kopingreport.surveys.models import QuestionKind, SurveyQuestion

SHORT_MAX, LONG_MAX, NOTE_MAX, PLACE_MAX = 200, 4000, 1000, 200
NUMBER_LIMIT = 1e9


class FormData(Protocol):
    """What we read answers from (a Werkzeug MultiDict)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass
class Point:
    """A map point (or, without a map, an area and/or a place) with its follow-up answer."""

    lat: float | None = None
    lon: float | None = None
    area: str = ""
    place: str = ""
    note: str = ""


@dataclass
class Answer:
    """One question's answer as read from the form."""

    question: SurveyQuestion
    values: list[str] = field(default_factory=list)
    other: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    number: float | None = None
    text: str = ""
    points: list[Point] = field(default_factory=list)
    photo: ProcessedPhoto | None = None
    errors: list[Any] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.values or self.cells or self.number is not None or self.text
                    or self.points or self.photo)


def field_name(question: SurveyQuestion, suffix: str = "") -> str:
    """The form field (and anchor) of a question."""
    return f"q{question.id}{'_' + suffix if suffix else ''}"


def _text(data: FormData, name: str, limit: int) -> tuple[str, LazyString | None]:
    raw = data.get(name) or ""
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) > limit:
        return text, _l("Write at most %(max)d characters.", max=limit)
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text) or "\x7f" in text:
        return text, _l("The text contains characters that are not allowed.")
    return text, None


def _float(raw: Any) -> float | None:
    try:
        number = float(str(raw).strip().replace(",", ".").replace("\u2212", "-"))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _choices(answer: Answer, data: FormData) -> None:
    question = answer.question
    allowed = {o["value"] for o in question.options}
    if question.settings.get("allow_other"):
        allowed.add(OTHER_VALUE)
    chosen = [v for v in data.getlist(field_name(question)) if isinstance(v, str) and v]
    multiple = question.kind == QuestionKind.MULTIPLE
    answer.values = list(dict.fromkeys(chosen if multiple else chosen[:1]))
    if any(v not in allowed for v in answer.values):
        answer.values = [v for v in answer.values if v in allowed]
        answer.errors.append(_l("Choose one of the answers in the list."))
    limit = question.settings.get("max_choices")
    if multiple and limit and len(answer.values) > int(limit):
        answer.errors.append(_l("Choose at most %(n)d answers.", n=int(limit)))
    if OTHER_VALUE in answer.values:
        answer.other, problem = _text(data, field_name(question, "other"), SHORT_MAX)
        if problem or not answer.other:
            answer.errors.append(problem or _l("Write what you mean by “other”."))


def _matrix(answer: Answer, data: FormData) -> None:
    question = answer.question
    allowed = {o["value"] for o in question.options}
    for row in question.rows:
        value = data.get(field_name(question, row["value"]))
        if isinstance(value, str) and value:
            if value in allowed:
                answer.cells[row["value"]] = value
            elif _l("Choose one of the answers in the list.") not in answer.errors:
                answer.errors.append(_l("Choose one of the answers in the list."))
    if question.is_required and answer.cells and len(answer.cells) < len(question.rows):
        answer.errors.append(_l("Answer every row."))


def _number(answer: Answer, data: FormData) -> None:
    raw = data.get(field_name(answer.question)) or ""
    if not isinstance(raw, str) or not raw.strip():
        return
    number = _float(raw)
    settings = answer.question.settings
    low, high = settings.get("min", -NUMBER_LIMIT), settings.get("max", NUMBER_LIMIT)
    if number is None:
        answer.errors.append(_l("This must be a number."))
    elif not low <= number <= high:
        smallest, largest = f"{low:g}", f"{high:g}"
        answer.errors.append(_l("Give a number from %(min)s to %(max)s.", min=smallest,
                                max=largest))
    else:
        answer.number = number


def _texts(answer: Answer, data: FormData) -> None:
    limit = SHORT_MAX if answer.question.kind == QuestionKind.SHORT_TEXT else LONG_MAX
    answer.text, problem = _text(data, field_name(answer.question), limit)
    if problem:
        answer.errors.append(problem)


def _point(answer: Answer, data: FormData, index: int, areas: Mapping[str, Any]) -> None:
    name = field_name(answer.question, f"p{index}")
    lat, lon = _float(data.get(f"{name}_lat")), _float(data.get(f"{name}_lon"))
    given = {key: data.get(f"{name}_{key}") for key in ("lat", "lon")}
    area = data.get(f"{name}_area") or ""
    place, place_problem = _text(data, f"{name}_place", PLACE_MAX)
    note, note_problem = _text(data, f"{name}_note", NOTE_MAX)
    has_point = lat is not None and lon is not None
    if any(isinstance(v, str) and v.strip() for v in given.values()) and not has_point:
        answer.errors.append(_l("A position needs both latitude and longitude."))
    elif has_point and not geo.in_municipality_bbox(lon, lat):  # type: ignore[arg-type]
        answer.errors.append(_l("This place is outside Köping municipality."))
        has_point = False
    if area and area not in areas:
        answer.errors.append(_l("Choose an area from the list."))
        area = ""
    answer.errors.extend(p for p in (place_problem, note_problem) if p)
    if not (has_point or area or place):
        if note:
            answer.errors.append(_l("Say where: mark the map, choose an area or write a "
                                    "place."))
        return
    answer.points.append(Point(lat if has_point else None, lon if has_point else None,
                               str(area), place, note))


def _points(answer: Answer, data: FormData, areas: Mapping[str, Any]) -> None:
    limit = int(answer.question.settings.get("max_points") or 1)
    for index in range(limit):
        _point(answer, data, index, areas)


def _area(answer: Answer, data: FormData, areas: Mapping[str, Any]) -> None:
    value = data.get(field_name(answer.question)) or ""
    if value and value not in areas:
        answer.errors.append(_l("Choose an area from the list."))
    elif value:
        answer.values = [str(value)]


def read_answer(question: SurveyQuestion, data: FormData, areas: Mapping[str, Any],
                photo: Callable[[SurveyQuestion], ProcessedPhoto | None]) -> Answer:
    """Read one question's answer; problems go to ``answer.errors`` (not yet "required")."""
    answer = Answer(question)
    kind = question.kind
    if kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE,
                QuestionKind.YES_NO}:
        _choices(answer, data)
    elif kind == QuestionKind.MATRIX:
        _matrix(answer, data)
    elif kind == QuestionKind.NUMBER:
        _number(answer, data)
    elif kind in {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}:
        _texts(answer, data)
    elif kind == QuestionKind.MAP_POINT:
        _points(answer, data, areas)
    elif kind == QuestionKind.AREA:
        _area(answer, data, areas)
    elif kind == QuestionKind.PHOTO:
        try:
            answer.photo = photo(question)
        except PhotoError as err:
            answer.errors.append(err.message)
    return answer


def check(answer: Answer) -> list[Any]:
    """Every problem of a shown question's answer, including a missing required answer."""
    if answer.question.is_required and answer.is_empty and not answer.errors:
        if answer.question.kind == QuestionKind.MATRIX:
            return [_l("Answer every row.")]
        return [_l("Answer this question.")]
    return list(answer.errors)
