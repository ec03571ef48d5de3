"""``/admin/situation/lagesbild``: the lägesbild over any span of months (default 24), the
coordinator's analysis, adoption, and the åtgärdsplan with its follow-ups."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from kopingreport.accounts.models import Organisation
from kopingreport.db import get_session
from kopingreport.security import Permission, require
from kopingreport.situation import documents, plan
from kopingreport.situation.errors import SituationError
from kopingreport.situation.forms import DocumentForm, FollowUpForm, LinkActionForm, TextsForm
from kopingreport.situation.models import SituationDocument
from kopingreport.walks.forms import ActionForm
from kopingreport.walks.models import Action
from kopingreport.situation.labels import template_context

bp = Blueprint("situation_docs", __name__, url_prefix="/admin/situation")
bp.context_processor(template_context)


def _document(document_id: int) -> SituationDocument:
    return get_session().get(SituationDocument, document_id) or abort(404)


def _organisations() -> list[Organisation]:
    return list(get_session().scalars(sa.select(Organisation).where(Organisation.is_active)
                                      .order_by(Organisation.name)))


def _detail(document: SituationDocument, status: int = 200, **forms: Any) -> ResponseReturnValue:
    session = get_session()
    link = LinkActionForm(formdata=None)
    link.action.choices = [SelectChoice(str(a.id), a.title) for a in
                           plan.unplanned_actions(session)]
    actions = [p.action for p in document.plan]
    context = {"texts_form": TextsForm(formdata=None, obj=document), "link_form": link,
               "follow_up_form": FollowUpForm(formdata=None), "adopt_form": FlaskForm()}
    context.update(forms)
    figures = documents.shown_figures(session, document)
    session.commit()  # the month sums and sun times just counted are kept
    return render_template("situation/document.html", document=document, figures=figures,
                           actions=actions, follow_ups=plan.follow_ups(
                               session, [a.id for a in actions]), **context), status


def _index(form: DocumentForm, status: int = 200) -> ResponseReturnValue:
    return render_template("situation/documents.html", form=form,
                           documents=documents.list_documents(get_session())), status


@bp.get("/lagesbild/")
@require(Permission.SITUATION_READ)
def documents_index() -> ResponseReturnValue:
    """The lägesbilder, and a form to start one (default: the last 24 whole months)."""
    form = DocumentForm(formdata=None)
    form.starts_on.data, form.ends_on.data = documents.default_span()
    return _index(form)


@bp.post("/lagesbild/")
@require(Permission.SITUATION_MANAGE)
def create_document() -> ResponseReturnValue:
    """Start a lägesbild over whole months."""
    session, form = get_session(), DocumentForm()
    if form.validate_on_submit():
        try:
            found = documents.create(session, current_user, form.title.data or "",
                                     form.starts_on.data,  # type: ignore[arg-type]
                                     documents.month_end(form.ends_on.data))  # type: ignore[arg-type]
        except SituationError as err:
            getattr(form, err.field).errors.append(err.message)
        else:
            session.commit()
            return redirect(url_for("situation_docs.document", document_id=found.id), 303)
    return _index(form, 422)


@bp.get("/lagesbild/<int:document_id>")
@require(Permission.SITUATION_READ)
def document(document_id: int) -> ResponseReturnValue:
    """The figures, the analysis and the åtgärdsplan."""
    return _detail(_document(document_id))


@bp.get("/lagesbild/<int:document_id>/print")
@require(Permission.SITUATION_READ)
def print_document(document_id: int) -> ResponseReturnValue:
    """The lägesbild to print."""
    found = _document(document_id)
    session = get_session()
    actions = [p.action for p in found.plan]
    figures = documents.shown_figures(session, found)
    session.commit()
    return render_template("situation/document_print.html", document=found, figures=figures,
                           actions=actions,
                           follow_ups=plan.follow_ups(session, [a.id for a in actions]))


@bp.post("/lagesbild/<int:document_id>/texts")
@require(Permission.SITUATION_MANAGE)
def save_texts(document_id: int) -> ResponseReturnValue:
    """Save the summary, consequences, other information and analysis of causes."""
    found, form, session = _document(document_id), TextsForm(), get_session()
    if form.validate_on_submit():
        try:
            documents.update_texts(session, current_user, found, form.data)
        except SituationError as err:
            form.summary.errors = [err.message]
        else:
            session.commit()
            return redirect(url_for("situation_docs.document", document_id=found.id), 303)
    return _detail(found, 422, texts_form=form)


@bp.post("/lagesbild/<int:document_id>/adopt")
@require(Permission.SITUATION_MANAGE)
def adopt(document_id: int) -> ResponseReturnValue:
    """Recount, freeze the figures and adopt."""
    found, form, session = _document(document_id), FlaskForm(), get_session()
    if not form.validate_on_submit():
        abort(400)
    try:
        documents.adopt(session, current_user, found)
    except SituationError:
        abort(409)
    session.commit()
    return redirect(url_for("situation_docs.document", document_id=found.id), 303)


@bp.route("/lagesbild/<int:document_id>/actions/new", methods=["GET", "POST"])
@require(Permission.SITUATION_MANAGE)
def new_action(document_id: int) -> ResponseReturnValue:
    """A new åtgärd in the plan: owner, deadline, status."""
    found, session = _document(document_id), get_session()
    form = ActionForm(organisations=_organisations())
    if form.validate_on_submit():
        try:
            plan.add_action(session, current_user, found, form.to_input())
        except SituationError as err:
            getattr(form, err.field, form.title).errors.append(err.message)
        else:
            session.commit()
            return redirect(url_for("situation_docs.document", document_id=found.id,
                                    _anchor="plan"), 303)
    return render_template("situation/action_form.html", form=form, document=found), (
        422 if request.method == "POST" else 200)


@bp.post("/lagesbild/<int:document_id>/actions/link")
@require(Permission.SITUATION_MANAGE)
def link_action(document_id: int) -> ResponseReturnValue:
    """Put an existing åtgärd (from a safety walk, say) in the plan."""
    found, form, session = _document(document_id), LinkActionForm(), get_session()
    if form.validate_on_submit():
        try:
            plan.link_action(session, found, int(form.action.data or 0)
                             if (form.action.data or "").isdigit() else 0)
        except SituationError as err:
            form.action.errors = [err.message]
        else:
            session.commit()
            return redirect(url_for("situation_docs.document", document_id=found.id,
                                    _anchor="plan"), 303)
    return _detail(found, 422, link_form=form)


@bp.post("/actions/<int:action_id>/follow-ups")
@require(Permission.SITUATION_MANAGE)
def follow_up(action_id: int) -> ResponseReturnValue:
    """Record a follow-up of an åtgärd in a plan."""
    session = get_session()
    action = session.get(Action, action_id) or abort(404)
    found = documents.document_of(session, action) or abort(404)
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            plan.follow_up(session, current_user, action, form.note.data or "",
                           form.status.data or "", form.public_reason.data or "")
        except SituationError as err:
            getattr(form, err.field, form.note).errors.append(err.message)
        else:
            session.commit()
            return redirect(url_for("situation_docs.document", document_id=found.id,
                                    _anchor=f"action-{action.id}"), 303)
    form.action_id = action.id  # type: ignore[attr-defined]
    return _detail(found, 422, follow_up_form=form)
