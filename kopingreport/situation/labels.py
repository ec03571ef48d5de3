"""Translated names of the lägesbild's codes: share levels, document states, activity
statuses, weekdays."""

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.situation.models import ActivityStatus, DocumentState, ShareLevel

SHARE_LABELS: dict[ShareLevel, LazyString] = {
    ShareLevel.NONE: _l("Nothing"),
    ShareLevel.SUMMARY: _l("Summary: counts, trends and hot spots"),
    ShareLevel.FULL: _l("Everything the coordinator sees (read only), with map and exports"),
}
DOCUMENT_STATE_LABELS: dict[DocumentState, LazyString] = {
    DocumentState.DRAFT: _l("Draft"), DocumentState.ADOPTED: _l("Adopted")}
ACTIVITY_LABELS: dict[ActivityStatus, LazyString] = {
    ActivityStatus.PLANNED: _l("Planned"), ActivityStatus.ONGOING: _l("Ongoing"),
    ActivityStatus.DONE: _l("Carried out")}
WEEKDAYS: tuple[LazyString, ...] = (_l("Monday"), _l("Tuesday"), _l("Wednesday"),
                                    _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
WEEKDAYS_SHORT: tuple[LazyString, ...] = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"),
                                          _l("Fri"), _l("Sat"), _l("Sun"))


def template_context() -> dict[str, object]:
    """Names the lägesbild templates show for codes (a blueprint context processor)."""
    from kopingreport.reports.categories import BY_CODE
    from kopingreport.reports.states import REPORTER_KIND_LABELS
    from kopingreport.situation.indicators import INDICATOR_LABELS
    from kopingreport.walks.labels import STATUS_LABELS

    return {"CATEGORY_NAMES": {code: c.name for code, c in BY_CODE.items()},
            "KIND_LABELS": {str(k): v for k, v in REPORTER_KIND_LABELS.items()},
            "ACTION_LABELS": {str(k): v for k, v in STATUS_LABELS.items()},
            "INDICATOR_LABELS": INDICATOR_LABELS, "WEEKDAYS": WEEKDAYS,
            "WEEKDAYS_SHORT": WEEKDAYS_SHORT, "SHARE_LABELS": SHARE_LABELS,
            "DOCUMENT_STATE_LABELS": {str(k): v for k, v in DOCUMENT_STATE_LABELS.items()},
            "ACTIVITY_LABELS": {str(k): v for k, v in ACTIVITY_LABELS.items()}}
