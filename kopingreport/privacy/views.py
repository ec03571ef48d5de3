"""The privacy page and the accessibility statement with its barrier form."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from kopingreport.db import get_session
from kopingreport.extensions import configured_limit, limiter
from kopingreport.i18n import _, current_locale
from kopingreport.mail import send_mail
from kopingreport.privacy.forms import BarrierForm
from kopingreport.privacy.models import BarrierReport
from kopingreport.privacy.retention import rules

bp = Blueprint("privacy", __name__)
#: When the accessibility statement was last reviewed (update it with the statement).
ASSESSED_ON = date(2026, 11, 26)


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    """Who is responsible, why and on what basis, what is kept how long, your rights."""
    return render_template("privacy/privacy.html", retention=rules(current_app.config))


def _statement(form: BarrierForm, status: int = 200) -> ResponseReturnValue:
    return render_template("privacy/accessibility.html", form=form,
                           sent=request.args.get("sent") == "1", assessed_on=ASSESSED_ON), status


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    """The tillgänglighetsredogörelse (DIGG's model) and the form to report a barrier."""
    return _statement(BarrierForm())


@bp.post("/accessibility")
@limiter.limit(configured_limit("BARRIER_REPORT_LIMITS"))
def report_barrier() -> ResponseReturnValue:
    """Store the notice and e-mail it to the municipality; errors keep what was typed."""
    form = BarrierForm()
    if not form.validate_on_submit():
        return _statement(form, 422)
    session = get_session()
    notice = BarrierReport(message=form.message.data.strip(), page=(form.page.data or "").strip(),
                           email=(form.email.data or "").strip() or None,
                           locale=current_locale())
    session.add(notice)
    session.commit()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # read by staff
        send_mail(current_app.config["ACCESSIBILITY_EMAIL"], _("Accessibility barrier reported"),
                  _("Page: %(page)s\nAnswer to: %(email)s\n\n%(message)s",
                    page=notice.page or "-", email=notice.email or "-", message=notice.message))
    return redirect(url_for("privacy.accessibility", sent=1, _anchor="barrier"), 303)
