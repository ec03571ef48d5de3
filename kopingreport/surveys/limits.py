"""Rate limits for residents' answers: per client address, generous enough for a meeting
where many phones share one Wi-Fi (and so one address).

Survey answers sent as a form and through the API share one budget. Turning the pages of a
survey without JavaScript costs nothing: only a post that tries to store answers counts.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app

from kopingreport.extensions import limiter

#: Survey answers per client address (HTML form and API together); setting
#: ``LIMIT_SURVEY_ANSWERS`` overrides it.
ANSWERS = "30 per minute"
#: Stops added to safety walks per client address; setting ``LIMIT_WALK_STOPS``.
STOPS = "30 per minute"


def _setting(name: str, default: str) -> Callable[[], str]:
    """The limit from the app's configuration when set there, else ``default``."""
    def provider() -> str:
        return str(current_app.config.get(name) or default)

    return provider


def _tried_to_store(response: Response) -> bool:
    """Every post but a page turn (a page shown again with 200) counts."""
    return response.status_code != 200


#: For ``POST /surveys/<id>`` and ``POST /api/v1/surveys/<id>/responses``.
answers = limiter.shared_limit(_setting("LIMIT_SURVEY_ANSWERS", ANSWERS),
                               scope="survey-answers", deduct_when=_tried_to_store)
#: For ``POST /walks/<id>/join/<token>``.
stops = limiter.shared_limit(_setting("LIMIT_WALK_STOPS", STOPS), scope="walk-stops")
