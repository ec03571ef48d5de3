"""What a results page shows (web layer): the filter from the query string, the results per
question, the map grids — for the back office and, when allowed, for residents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from kopingreport.i18n import _
from kopingreport.reports import areas as area_service
from kopingreport.surveys import codes, export, grid, results
from kopingreport.surveys.models import QuestionKind, Survey
from kopingreport.surveys.presenters import content_language
from kopingreport.web.errors import render_error


class BadFilter(Exception):
    """The query string names an area or group that does not exist."""


@dataclass
class ResultsView:
    """Everything a results page shows."""

    survey: Survey
    lang: str
    chosen: results.ResultFilter
    total: int
    staff: bool
    areas: dict[str, str]
    groups: list[tuple[str, str]]
    questions: list[results.QuestionResult] = field(default_factory=list)
    grids: dict[int, grid.Grid] = field(default_factory=dict)
    cell_areas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def is_suppressed(self) -> bool:
        """Fewer than 5 responses match: nothing is shown."""
        return 0 < self.total < 5

    def geojson_url(self, question_id: int) -> str:
        endpoint = "survey_results.geojson" if self.staff else "surveys.results_geojson"
        return url_for(endpoint, survey_id=self.survey.id, question=question_id,
                       **self.query())

    def photo_url(self, sha: str) -> str:
        return url_for("survey_results.photo", survey_id=self.survey.id, sha=sha)

    def query(self) -> dict[str, str]:
        """The filter as query parameters."""
        return {k: v for k, v in (("area", request.args.get("area", "")),
                                  ("group", request.args.get("group", ""))) if v}


def parse_filter(session: Session, survey: Survey, staff: bool) -> results.ResultFilter:
    """The filter in the query string; raises :class:`BadFilter` for unknown values."""
    area_code, group = request.args.get("area", ""), request.args.get("group", "")
    area_id = None
    if area_code:
        area = next((a for a in area_service.active_areas(session) if a.code == area_code),
                    None)
        if area is None:
            raise BadFilter
        area_id = area.id
    if not group:
        return results.ResultFilter(area_id=area_id)
    if staff and group.startswith("batch:") and group[6:].isdigit():
        if int(group[6:]) not in {b.id for b, _n in codes.batches(session, survey)}:
            raise BadFilter
        return results.ResultFilter(area_id=area_id, batch_id=int(group[6:]))
    parsed = results.parse_group(group, survey)
    if parsed is None:
        raise BadFilter
    return results.ResultFilter(area_id=area_id, group=parsed)


def build(session: Session, survey: Survey, *, staff: bool) -> ResultsView:
    """The results view for this request (``staff``: with written answers and photos)."""
    chosen = parse_filter(session, survey, staff)
    lang = content_language(survey)
    groups = results.background_groups(survey, lang)
    if staff:
        groups += [(f"batch:{b.id}", _("Code batch: %(label)s", label=b.label))
                   for b, _n in codes.batches(session, survey)]
    view = ResultsView(survey, lang, chosen, results.response_total(session, survey, chosen),
                       staff, {a.code: a.name for a in area_service.active_areas(session)},
                       groups)
    if view.is_suppressed:
        return view
    view.questions = results.question_results(session, survey, lang, chosen, view.areas,
                                              with_texts=staff)
    ids = results.filtered_ids(survey, chosen)
    for question in survey.questions:
        if question.kind == QuestionKind.MAP_POINT:
            view.grids[question.id] = grid.build_grid(session, question.id, ids)
    for found in view.grids.values():
        for cell in found.cells:
            area = area_service.area_for_point(session, *cell.centre)
            view.cell_areas[(cell.row, cell.col)] = area.name if area else "–"
    return view


def bad_filter(_error: BadFilter) -> ResponseReturnValue:
    """The 400 page (or JSON) for a filter that names something unknown."""
    return render_error(400, _("The filter names an area or group that does not exist. "
                               "Choose from the lists."))


def grids_geojson(session: Session, survey: Survey, *, staff: bool) -> dict[str, Any]:
    """The published grid cells of the survey's map questions (or of ``?question=``) for this
    request's filter; nothing while fewer than 5 responses match."""
    chosen = parse_filter(session, survey, staff)
    ids = results.filtered_ids(survey, chosen)
    numbers = {q.id: n for n, q in enumerate(survey.questions, start=1)}
    wanted = request.args.get("question", type=int)
    questions = [q for q in survey.questions if q.kind == QuestionKind.MAP_POINT
                 and wanted in (None, q.id)]
    if wanted and not questions:
        abort(404)
    if 0 < results.response_total(session, survey, chosen) < 5:
        questions = []
    return export.results_geojson(
        {q.id: grid.build_grid(session, q.id, ids) for q in questions}, numbers)
