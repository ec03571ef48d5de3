"""Reply templates per state, written in the reporter's language."""

from __future__ import annotations

from flask_babel import LazyString, force_locale

from kopingreport.i18n import _l
from kopingreport.reports.states import ReportState as S

TEMPLATES: dict[S, tuple[LazyString, ...]] = {
    S.IN_REVIEW: (_l("Thank you for your report. We are looking at it now."),),
    S.ACCEPTED: (_l("Thank you for your report. We have looked at it and will take action."),
                 _l("Thank you. The report is part of our safety work and is discussed at the "
                    "next situation meeting.")),
    S.FORWARDED: (_l("Thank you. We have passed your report on to the organisation "
                     "responsible, which will take care of it."),),
    S.RESOLVED: (_l("The problem you reported has been fixed. Thank you for telling us."),),
    S.DUPLICATE: (_l("Thank you. Someone else had already reported this; we handle the reports "
                     "together."),),
    S.NOT_OURS: (_l("Thank you. This is not something the municipality handles; please contact "
                    "the organisation named below."),),
    S.NO_ACTION: (_l("Thank you for your report. We have looked at it and will not take any "
                     "action this time, but it is part of our picture of safety in Köping."),),
    S.REJECTED: (_l("Your report could not be accepted."),),
}


def templates_for(state: str, locale: str) -> list[str]:
    """The reply templates of ``state`` in ``locale``."""
    with force_locale(locale):
        return [str(text) for text in TEMPLATES.get(S(state), ())]
