"""Rate limits for residents' answers: per client address, generous enough for a meeting
where many phones share one Wi-Fi (and so one address).

Survey answers sent as a form and through the API share one budget. Turning the pages of a
survey without JavaScript costs nothing: only a post that tries to store answers counts.
"""

from __future__ import annotations

from flask import Response

from kopingreport.extensions import limiter

#: Survey answers per client address (HTML form and API together).
ANSWERS = "30 per minute"
#: Stops added to safety walks per client address.
STOPS = "30 per minute"


def _tried_to_store(response: Response) -> bool:
    """Every post but a page turn (a page shown again with 200) counts."""
    return response.status_code != 200


#: For ``POST /surveys/<id>`` and ``POST /api/v1/surveys/<id>/responses``.
answers = limiter.shared_limit(ANSWERS, scope="survey-answers", deduct_when=_tried_to_store)
#: For ``POST /walks/<id>/join/<token>``.
stops = limiter.shared_limit(STOPS, scope="walk-stops")
