"""Done when: with the demo data the coordinator has a picture, a frozen snapshot and a draft
two-year lägesbild with an åtgärdsplan, and residents see the promise and the map."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session
from kopingreport.demo import load_demo_data
from kopingreport.situation.models import PlanAction, Promise, SituationDocument, Snapshot


def test_demo_data_fills_every_page(app: Flask, analyst: FlaskClient, client: FlaskClient
                                    ) -> None:
    with app.app_context():
        session = get_session()
        load_demo_data(session, 120, secret="demo")
        load_demo_data(session, 120, secret="demo")  # idempotent
        assert session.scalar(sa.select(sa.func.count()).select_from(Snapshot)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(Promise)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(PlanAction)) == 3
        document_id = session.scalar(sa.select(SituationDocument.id))
        snapshot_id = session.scalar(sa.select(Snapshot.id))
    assert analyst.get("/admin/situation/").status_code == 200
    assert analyst.get(f"/admin/situation/snapshots/{snapshot_id}/print").status_code == 200
    html = analyst.get(f"/admin/situation/lagesbild/{document_id}").get_data(as_text=True)
    assert "Belysning i gångtunneln vid Nygårdsskolan" in html
    public = app.test_client()
    page = public.get("/medborgarlofte?lang=sv").get_data(as_text=True)
    for focus in ("ANDT bland unga", "Trygghet i centrum och Nygårdsområdet", "Trafiksäkerhet"):
        assert focus in page
    assert "السلامة المرورية" in public.get("/medborgarlofte?lang=ar").get_data(as_text=True)
    assert public.get("/map").status_code == 200
