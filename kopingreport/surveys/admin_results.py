"""``/admin/surveys/<id>/…``: results (also while the survey runs), CSV and GeoJSON exports,
photos, and single-use codes with their printable list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template
from flask import request, url_for
from flask.typing import ResponseReturnValue

from kopingreport.db import get_session
from kopingreport.reports import flow as report_flow
from kopingreport.security import require
from kopingreport.surveys import codes, export, results_page
from kopingreport.surveys.access import MANAGE
from kopingreport.surveys.admin import load
from kopingreport.surveys.forms import CodesForm
from kopingreport.surveys.models import SurveyAnswer, SurveyCodeBatch, SurveyQuestion
from kopingreport.web.http import private_image

bp = Blueprint("survey_results", __name__, url_prefix="/admin/surveys")
bp.app_errorhandler(results_page.BadFilter)(results_page.bad_filter)


@bp.get("/<int:survey_id>/results")
@require(MANAGE)
def show(survey_id: int) -> ResponseReturnValue:
    """Charts, tables and the map of marked places, filtered by area and group."""
    view = results_page.build(get_session(), load(survey_id), staff=True)
    return render_template("surveys/admin/results.html", view=view)


@bp.get("/<int:survey_id>/results.csv")
@require(MANAGE)
def csv(survey_id: int) -> ResponseReturnValue:
    """The results as CSV (small cells suppressed)."""
    view = results_page.build(get_session(), load(survey_id), staff=True)
    body = export.results_csv(view.questions, _filter_text(view))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="survey-{survey_id}-results.csv"'})


def _filter_text(view: results_page.ResultsView) -> str:
    names = dict(view.groups)
    parts = [view.areas.get(request.args.get("area", ""), ""),
             names.get(request.args.get("group", ""), "")]
    return " / ".join(p for p in parts if p) or "–"


@bp.get("/<int:survey_id>/results.geojson")
@require(MANAGE)
def geojson(survey_id: int) -> ResponseReturnValue:
    """Grid cells of marked places with 5 or more people (one question with ?question=)."""
    return jsonify(results_page.grids_geojson(get_session(), load(survey_id), staff=True))


@bp.get("/<int:survey_id>/photos/<sha>.jpg")
@require(MANAGE)
def photo(survey_id: int, sha: str) -> ResponseReturnValue:
    """A photo answer (thumbnail), for the coordinator."""
    found = get_session().scalar(sa.select(SurveyAnswer.id).join(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey_id, SurveyAnswer.thumb_sha256 == sha))
    if found is None:
        abort(404)
    return private_image(report_flow.photo_store(), sha)


@bp.route("/<int:survey_id>/codes", methods=["GET", "POST"])
@require(MANAGE)
def code_batches(survey_id: int) -> ResponseReturnValue:
    """Single-use codes: the batches made so far, and making a new batch."""
    survey, session, form = load(survey_id), get_session(), CodesForm()
    if form.validate_on_submit():
        batch = codes.create_batch(session, survey, label=form.label.data or "",
                                   count=form.count.data or 0,
                                   secret=current_app.config["SECRET_KEY"])
        session.commit()
        return redirect(url_for("survey_results.print_codes", survey_id=survey.id,
                                batch_id=batch.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("surveys/admin/codes.html", survey=survey, form=form,
                           batches=codes.batches(session, survey)), status


@bp.get("/<int:survey_id>/codes/<int:batch_id>")
@require(MANAGE)
def print_codes(survey_id: int, batch_id: int) -> ResponseReturnValue:
    """The printable list of a batch's codes, each with the survey's address."""
    survey = load(survey_id)
    batch = get_session().get(SurveyCodeBatch, batch_id)
    if batch is None or batch.survey_id != survey.id:
        abort(404)
    return render_template("surveys/admin/codes_print.html", survey=survey, batch=batch,
                           printed=codes.printed(current_app.config["SECRET_KEY"], survey,
                                                 batch),
                           link=url_for("surveys.answer", survey_id=survey.id,
                                        _external=True))
