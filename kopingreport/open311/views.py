"""``/open311/v2/``: GeoReport v2 discovery, services, requests and tokens, in JSON and XML.

Reads need no key and show only published, redacted reports. ``POST requests`` needs an API
key of a partner organisation (form field or query string, as clients differ), refuses
cross-site browser requests like the PWA API, and has no CSRF token (machines post here).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue

from kopingreport.api.views import _check_origin
from kopingreport.db import get_session
from kopingreport.extensions import csrf, limiter
from kopingreport.i18n import _, current_locale
from kopingreport.open311 import keys, requests, submit
from kopingreport.open311.formats import error, respond
from kopingreport.open311.models import ApiKey
from kopingreport.reports import categories
from kopingreport.reports.flow import photo_store
from kopingreport.reports.services import IdempotencyConflict, SubmissionInvalid, find_by_token
from kopingreport.reports.views import KEY_RE

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)
FMT = "<any(json, xml):fmt>"
JURISDICTION = "koping.se"
ATTRIBUTES = (("occurred_at", "datetime"), ("place", "string"))


def _jurisdiction(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Answer 404 for another jurisdiction (an empty ``jurisdiction_id`` counts as absent)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        wanted = request.values.get("jurisdiction_id")
        if wanted and wanted != current_app.config.get("OPEN311_JURISDICTION", JURISDICTION):
            return error(kwargs.get("fmt", "json"), 404, _("Unknown jurisdiction_id."))
        return view(*args, **kwargs)

    return wrapped


@bp.get(f"/discovery.{FMT}")
def discovery(fmt: str) -> ResponseReturnValue:
    """Where the endpoint is and what it speaks."""
    root = url_for("open311.discovery", fmt=fmt, _external=True).rsplit("/", 1)[0]
    body = {"changeset": "2026-05-01T00:00:00Z", "contact": _(
        "Köping municipality, safety coordinator"), "key_service": _(
        "API keys are issued to partner organisations by the municipality."),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": root,
                       "changeset": "2026-05-01T00:00:00Z", "type": "production",
                       "formats": ["text/xml", "application/json"]}]}
    return respond(fmt, "discovery", body)


@bp.get(f"/services.{FMT}")
@_jurisdiction
def services(fmt: str) -> ResponseReturnValue:
    """The report categories as services."""
    return respond(fmt, "services", [
        {"service_code": c.code, "service_name": str(c.name), "description": str(c.help),
         "metadata": True, "type": "realtime", "keywords": "", "group": ""}
        for c in categories.CATEGORIES])


@bp.get(f"/services/<code>.{FMT}")
@_jurisdiction
def service_definition(code: str, fmt: str) -> ResponseReturnValue:
    """The extra attributes a request may carry (the same for every category)."""
    if categories.get(code) is None:
        return error(fmt, 404, _("Unknown service_code."))
    labels = {"occurred_at": _("When did it happen?"), "place": _("The place in words.")}
    return respond(fmt, "service_definition", {
        "service_code": code, "attributes": [
            {"variable": True, "code": name, "datatype": kind, "required": False,
             "datatype_description": "", "order": order, "description": labels[name],
             "values": []} for order, (name, kind) in enumerate(ATTRIBUTES, start=1)]})


def _key_organisation() -> int | None:
    """The organisation of a valid key sent with a read, else None (keyless)."""
    key = keys.find_active(get_session(), request.values.get("api_key"))
    return key.organisation_id if key else None


@bp.get(f"/requests.{FMT}")
@_jurisdiction
def list_requests(fmt: str) -> ResponseReturnValue:
    """Requests filtered by id, service, dates and status (at most 90 days, 1000 a page)."""
    try:
        query = requests.parse_query(request.args)
    except requests.RequestError as err:
        return error(fmt, err.status, str(err.description))
    org = _key_organisation()
    found = requests.find(get_session(), query, org)
    return respond(fmt, "service_requests", [
        requests.present(report, case, org) for report, case in found])


@bp.get(f"/requests/<reference>.{FMT}")
@_jurisdiction
def show_request(reference: str, fmt: str) -> ResponseReturnValue:
    """One request, still wrapped in a list."""
    org = _key_organisation()
    found = requests.find(get_session(), requests.RequestQuery(references=(reference[:40],)),
                          org)
    if not found:
        return error(fmt, 404, _("No such service request."))
    return respond(fmt, "service_requests", [
        requests.present(report, case, org) for report, case in found])


@bp.get(f"/tokens/<token>.{FMT}")
@_jurisdiction
def show_token(token: str, fmt: str) -> ResponseReturnValue:
    """The service_request_id a POST's token stands for."""
    report = find_by_token(get_session(), token[:100])
    if report is None:
        return error(fmt, 404, _("No such token."))
    return respond(fmt, "service_requests", [{"service_request_id": report.reference,
                                               "token": token}])


def _file(key: ApiKey) -> Response:
    """Build the report from the form and store it for the key's organisation."""
    idempotency = request.headers.get("Idempotency-Key")
    if idempotency is not None and not KEY_RE.match(idempotency):
        raise requests.RequestError(400, _("The Idempotency-Key header is not valid."))
    data = submit.build_input(request.form, current_locale(),
                              current_app.config["DESCRIPTION_MAX_LENGTH"])
    try:
        result = submit.file_report(
            get_session(), key.organisation, data, store=photo_store(),
            secret=current_app.config["SECRET_KEY"], idempotency_key=idempotency,
            max_age_days=current_app.config["REPORT_MAX_AGE_DAYS"])
    except SubmissionInvalid as err:
        raise requests.RequestError(400, submit.first_error(err.errors)) from err
    except IdempotencyConflict as err:
        raise requests.RequestError(400, _(
            "This Idempotency-Key was already used for another report.")) from err
    return respond(request.view_args["fmt"], "service_requests", [{  # type: ignore[index]
        "service_request_id": result.report.reference, "token": result.receipt_token,
        "service_notice": _("The report is read by the municipality before it is published."),
        "account_id": ""}], 201)


@bp.post(f"/requests.{FMT}")
@_jurisdiction
@limiter.limit("120 per minute")
def create_request(fmt: str) -> ResponseReturnValue:
    """File a report with a partner organisation's key."""
    _check_origin()
    session = get_session()
    key = keys.find_active(session, request.form.get("api_key") or request.args.get("api_key"))
    if key is None:
        return error(fmt, 403, _("A valid api_key is required."))
    try:
        response = _file(key)
    except requests.RequestError as err:
        return error(fmt, err.status, str(err.description))
    session.commit()
    return response
