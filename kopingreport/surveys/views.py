"""Resident pages: the open surveys, answering one (page by page without JavaScript), the
thank-you page and the public results."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session, utcnow
from kopingreport.extensions import login_manager
from kopingreport.i18n import _
from kopingreport.reports.areas import active_areas
from kopingreport.reports.views import KEY_RE
from kopingreport.surveys import codes, device, flow, limits, presenters, queries, results_page
from kopingreport.surveys.models import Survey, SurveyState
from kopingreport.surveys.responding import NotAccepted, has_answered
from kopingreport.walks.services import published_walks

bp = Blueprint("surveys", __name__)
presenters.register(bp)


def _survey(survey_id: int) -> Survey:
    survey = queries.load_survey(get_session(), survey_id)
    if survey is None or survey.state == SurveyState.DRAFT:
        abort(404)
    return survey


@bp.get("/surveys")
def index() -> ResponseReturnValue:
    """Open surveys (those for the chosen area first) and published walk protocols."""
    session, area = get_session(), request.args.get("area", "")[:40]
    surveys = queries.open_surveys(session, utcnow(), area)
    answered = {s.id for s in surveys if has_answered(session, s, device.current_hash(s))}
    return render_template("surveys/index.html", surveys=surveys, answered=answered,
                           areas=active_areas(session), chosen_area=area,
                           walks=published_walks(session, limit=10))


def message(kind: str, survey: Survey | None, status: int = 200) -> ResponseReturnValue:
    """The thank-you, already-answered, closed or not-yet-open page."""
    texts = {
        "thanks": (_("Thank you for your answers!"), _(
            "Your answers have been received. They are read together with everyone else's "
            "and used in the safety work.")),
        "already": (_("You have already answered this survey"), _(
            "Thank you! Only one answer per phone or computer is counted, so this one was "
            "not saved again.")),
        "closed": (_("This survey is closed"), _("Thank you for your interest. The survey no "
                                                  "longer takes answers.")),
        "not_yet": (_("This survey has not opened yet"), _("Come back when it opens.")),
    }
    heading, text = texts[kind]
    lang = presenters.content_language(survey) if survey else "sv"
    return render_template("surveys/message.html", kind=kind, heading=heading, text=text,
                           survey=survey, lang=lang), status


def _refusal(survey: Survey, code: str) -> ResponseReturnValue | None:
    """Why this visitor cannot answer now, as a page, or None."""
    now = utcnow()
    if survey.opens_at and now < survey.opens_at and survey.state == SurveyState.PUBLISHED:
        return message("not_yet", survey)
    if not survey.is_open_at(now):
        return message("closed", survey)
    if not survey.is_anonymous and not current_user.is_authenticated:
        return login_manager.unauthorized()
    if survey.is_anonymous and not code and has_answered(get_session(), survey,
                                                          device.current_hash(survey)):
        return message("already", survey, 409 if request.method == "POST" else 200)
    return None


def render_attempt(attempt: flow.Attempt, status: int = 200, *, preview: bool = False
                   ) -> ResponseReturnValue:
    """The answer page at the attempt's page; sets the device cookie when it is new."""
    survey = attempt.survey
    token, is_new = device.token_for_page(survey)
    code = flow.posted_code()
    key = request.form.get("submission_id", "")
    html = render_template(
        "surveys/answer.html", attempt=attempt, device_token=token, code_value=code,
        ask_code=survey.is_code_required or bool(code) or "code" in attempt.errors
        or bool(codes.batches(get_session(), survey)),
        submission_id=key if KEY_RE.match(key) else str(uuid.uuid4()), preview=preview,
        needs_files=flow.kind_needs_files(survey), action=request.path)
    response = make_response(html, status)
    response.headers["Cache-Control"] = "private, no-store"
    return device.remember(response, survey, token) if is_new and not preview else response


@bp.get("/surveys/<int:survey_id>")
def answer(survey_id: int) -> ResponseReturnValue:
    """The first page of the survey (or why it cannot be answered)."""
    survey = _survey(survey_id)
    code = flow.posted_code()
    refusal = _refusal(survey, code)
    if refusal is not None:
        return refusal
    attempt = flow.Attempt(survey, flow.active_area_map(get_session()))
    attempt.page = attempt.pages[0]
    if code and not codes.is_usable(get_session(), survey, code, _secret()):
        attempt.errors["code"] = [_("This code is not valid or has already been used.")]
    return render_attempt(attempt)


def _secret() -> str:
    from flask import current_app

    return str(current_app.config["SECRET_KEY"])


@bp.post("/surveys/<int:survey_id>")
@limits.answers
def answer_post(survey_id: int) -> ResponseReturnValue:
    """Go to the next or previous page, or send the answers (checks only shown questions)."""
    survey, session = _survey(survey_id), get_session()
    refusal = _refusal(survey, flow.posted_code())
    if refusal is not None:
        return refusal
    attempt = flow.read(session, survey, request.form, request.files)
    nav = request.form.get("nav")
    if nav == "back":
        attempt.page = flow.next_page(attempt, -1) or attempt.pages[0]
        return render_attempt(attempt)
    if not (attempt.check([attempt.page]) & _code_ok(attempt)):
        return render_attempt(attempt, 422)
    following = flow.next_page(attempt, +1)
    if nav != "send" and following is not None:
        attempt.page = following
        return render_attempt(attempt)
    return _send(attempt)


def _code_ok(attempt: flow.Attempt) -> bool:
    code, survey = flow.posted_code(), attempt.survey
    if survey.is_code_required and not code:
        attempt.errors["code"] = [_("Write the code from your letter or the meeting.")]
    elif code and not codes.is_usable(get_session(), survey, code, _secret()):
        attempt.errors["code"] = [_("This code is not valid or has already been used.")]
    return "code" not in attempt.errors


def _send(attempt: flow.Attempt) -> ResponseReturnValue:
    """Check every shown question and store the response once."""
    survey = attempt.survey
    if not attempt.check():
        attempt.page = attempt.first_error_page()
        return render_attempt(attempt, 422)
    key = request.form.get("submission_id", "")
    try:
        flow.submit(get_session(), attempt, flow.delivery(
            survey, flow.posted_code(), key if KEY_RE.match(key) else None))
    except NotAccepted as err:
        if err.reason in {"code", "code_needed"}:
            _code_ok(attempt)
            return render_attempt(attempt, 422)
        return message("closed" if err.reason == "closed" else "already", survey, 409)
    return redirect(url_for("surveys.thanks", survey_id=survey.id), 303)


@bp.get("/surveys/<int:survey_id>/thanks")
def thanks(survey_id: int) -> ResponseReturnValue:
    """Thank you."""
    return message("thanks", _survey(survey_id))


def _public_results(survey_id: int) -> Survey:
    survey = _survey(survey_id)
    if not survey.is_results_public:
        abort(404)
    return survey


@bp.get("/surveys/<int:survey_id>/results")
def results(survey_id: int) -> ResponseReturnValue:
    """The results residents may see (small groups suppressed, no written answers)."""
    view = results_page.build(get_session(), _public_results(survey_id), staff=False)
    return render_template("surveys/results.html", view=view)


@bp.get("/surveys/<int:survey_id>/results.geojson")
def results_geojson(survey_id: int) -> ResponseReturnValue:
    """The heat layer: squares marked by 5 or more people."""
    survey = _public_results(survey_id)
    return jsonify(results_page.grids_geojson(get_session(), survey, staff=False))
