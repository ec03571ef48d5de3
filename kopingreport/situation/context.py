"""What the lägesbild pages share: the filter options, reading the choice from the query
string, and trimming a picture to what a partner may see."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kopingreport.accounts.models import Organisation
from kopingreport.reports import categories
from kopingreport.reports.areas import active_areas
from kopingreport.reports.states import REPORTER_KIND_LABELS
from kopingreport.situation import params
from kopingreport.situation.models import ShareLevel


def filter_options(session: Session) -> dict[str, Any]:
    """Areas, categories, reporter kinds and organisations to choose from."""
    return {
        "areas": [(a.code, a.name) for a in active_areas(session)],
        "categories": [(c.code, c.name) for c in categories.CATEGORIES],
        "kinds": [(k.value, label) for k, label in REPORTER_KIND_LABELS.items()],
        "organisations": [(str(o.id), o.name) for o in session.scalars(
            sa.select(Organisation).order_by(Organisation.name))],
    }


def parse_choice(session: Session, args: MultiDict[str, str],
                 max_days: int = params.MAX_DASHBOARD_DAYS) -> params.Parsed:
    """The choice in the query string, checked against what exists."""
    from kopingreport.reports.models import Area

    return params.parse(args, area_codes=set(session.scalars(sa.select(Area.code))),
                        organisation_ids=set(session.scalars(sa.select(Organisation.id))),
                        max_days=max_days)


def for_level(picture: dict[str, Any], level: ShareLevel) -> dict[str, Any]:
    """The picture as ``level`` may see it: a summary leaves out typed place names."""
    if level == ShareLevel.FULL:
        return picture
    return {**picture, "places": []}
