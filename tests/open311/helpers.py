"""Published and unpublished reports, and an API key, for the Open311 tests."""

from __future__ import annotations

from flask import Flask

from kopingreport.accounts.models import Organisation, OrganisationKind
from kopingreport.db import get_session
from kopingreport.open311 import keys
from tests.situation.helpers import NYGARD, TORGET, add_reports


def seed(app: Flask) -> dict[str, object]:
    """Three published reports (exact, street and area precision), one unpublished one sent by
    the partner organisation, and that organisation's key."""
    with app.app_context():
        session = get_session()
        organisation = Organisation(name="RTMD", kind=OrganisationKind.RESCUE)
        session.add(organisation)
        session.flush()
        _row, key = keys.issue(session, None, organisation.id, "Larmcentralen")
        session.commit()
        organisation_id = organisation.id
    ids = add_reports(app, [
        {"category": "graffiti", "lat": TORGET[0], "lon": TORGET[1], "is_public": True,
         "state": "accepted", "precision": "exact", "public_text": "Klotter på muren.",
         "text": "Klotter av Kalle Andersson på Storgatan 5."},
        {"category": "lighting", "lat": NYGARD[0], "lon": NYGARD[1], "is_public": True,
         "state": "resolved", "precision": "street", "public_text": "Trasig lampa.",
         "area": "nygard-skogsbrynet"},
        {"category": "graffiti", "lat": TORGET[0], "lon": TORGET[1], "is_public": True,
         "state": "forwarded", "precision": "area", "public_text": "Taggar."},
        {"category": "fire", "lat": TORGET[0], "lon": TORGET[1], "state": "new",
         "organisation_id": organisation_id, "text": "Brand i container."},
    ])
    return {"key": key, "ids": ids, "organisation_id": organisation_id}
