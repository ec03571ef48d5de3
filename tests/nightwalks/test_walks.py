"""Walkers start a walk, report on it and end it; reports link only where they should."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import get_session, utcnow
from kopingreport.nightwalks.models import Nightwalk
from kopingreport.reports.models import Report
from kopingreport.reports.services import ReportInput
from kopingreport.reports.states import ReporterKind
from kopingreport.web.fields import LOCAL_TZ
from tests.factories import csrf_token, log_in, make_user, post_form
from tests.test_translations import compiled_catalogs  # noqa: F401 (fixture)


def make_walker(app: Flask, email: str, group: str = "Nattvandrarna i Köping",
                kind: str = "nattvandrare", role: str = "nattvandrare") -> dict[str, Any]:
    """A walker account in a nattvandring association (created if new)."""
    from kopingreport.accounts.models import Organisation, User

    account = make_user(app, role, email, two_factor=False)
    with app.app_context():
        session = get_session()
        org = session.scalar(sa.select(Organisation).where(Organisation.name == group))
        if org is None:
            org = Organisation(name=group, kind=kind)
            session.add(org)
        session.get(User, account["id"]).organisation = org
        session.commit()
        account["group_id"] = org.id
    return account


def make_walk(app: Flask, walker: dict[str, Any], *, started_hours_ago: float = 1,
              ended_hours_ago: float | None = None, area: str = "centrum", **tallies: int
              ) -> int:
    from kopingreport.reports.models import Area

    with app.app_context():
        session = get_session()
        walk = Nightwalk(group_id=walker["group_id"], walkers=3, started_by_id=walker["id"],
                         area=session.scalar(sa.select(Area).where(Area.code == area)),
                         started_at=utcnow() - timedelta(hours=started_hours_ago),
                         ended_at=None if ended_hours_ago is None else
                         utcnow() - timedelta(hours=ended_hours_ago), **tallies)
        session.add(walk)
        session.commit()
        return walk.id


def post(client: FlaskClient, url: str, lang: str = "en", **data: str):
    token = csrf_token(client, f"/login?lang={lang}")
    return client.post(url, data={"csrf_token": token, **data})


def walker_client(app: Flask, email: str = "walker@koping.example", **kwargs: Any
                  ) -> tuple[FlaskClient, dict[str, Any]]:
    account = make_walker(app, email, **kwargs)
    client = app.test_client()
    assert log_in(client, account).status_code == 303
    return client, account


def test_a_walk_from_start_to_end(app: Flask, db_session) -> None:
    client, account = walker_client(app)
    page = client.get("/nightwalks/?lang=en").get_data(as_text=True)
    assert "Start a walk" in page and "Nattvandrarna i Köping" in page
    started = post(client, "/nightwalks/", group=str(account["group_id"]), area="inre-hamnen",
                   walkers="4")
    assert started.status_code == 303
    url = started.headers["Location"]
    walk = db_session.scalar(sa.select(Nightwalk))
    assert walk.walkers == 4 and walk.area.code == "inre-hamnen" and walk.ended_at is None
    during = client.get(url + "?lang=en").get_data(as_text=True)
    assert f'href="/report?nightwalk={walk.id}"' in during and "End the walk" in during
    assert "Continue: Inre hamnen" in client.get("/nightwalks/?lang=en").get_data(as_text=True)
    assert client.get(f"/report?nightwalk={walk.id}").status_code == 200
    assert post_form(client, nightwalk=str(walk.id)).status_code == 303
    api = client.post("/api/v1/reports", data={
        "category": "vandalism", "description": "Krossad ruta vid gångtunneln.",
        "area": "inre-hamnen", "nightwalk": str(walk.id)})
    assert api.status_code == 201
    reports = db_session.scalars(sa.select(Report)).all()
    assert [r.nightwalk_id for r in reports] == [walk.id, walk.id]
    assert {r.reporter_kind for r in reports} == {"nattvandrare"}
    assert "Reports on this walk" in client.get(url + "?lang=en").get_data(as_text=True)
    ended = post(client, f"{url}/end", young_people_met="23", situations_calmed="2",
                 litter_damage_seen="", summary="Lugnt vid torget.\nMycket folk vid hamnen.")
    assert ended.status_code == 303
    db_session.expire_all()
    walk = db_session.get(Nightwalk, walk.id)
    assert walk.ended_at is not None and walk.ended_by_id == account["id"]
    assert (walk.young_people_met, walk.situations_calmed, walk.litter_damage_seen) == (23, 2, 0)
    summary = client.get(url + "?lang=en&ended=1").get_data(as_text=True)
    assert "Mycket folk vid hamnen." in summary and "/report?nightwalk" not in summary
    twice = post(client, f"{url}/end", young_people_met="1")
    assert twice.status_code == 422 and "already been ended" in twice.get_data(as_text=True)
    assert client.get(f"{url}/end").status_code == 302


def _report_walk(db_session) -> int | None:
    db_session.expire_all()
    return db_session.scalars(sa.select(Report.nightwalk_id).order_by(Report.id.desc())).first()


def test_reports_link_only_for_the_group_while_the_walk_is_on(app: Flask, db_session) -> None:
    client, walker = walker_client(app)
    other, _ = walker_client(app, "other@koping.example", group="Nattvandrarna Kolsva")
    ended = make_walk(app, walker, started_hours_ago=30, ended_hours_ago=26)
    during_old_walk = (utcnow() - timedelta(hours=28)).astimezone(LOCAL_TZ)
    post_form(other, nightwalk=str(ended),
              occurred_at=during_old_walk.strftime("%Y-%m-%dT%H:%M"))
    assert _report_walk(db_session) is None  # another association's walk
    resident = app.test_client()
    assert log_in(resident, make_user(app, "resident", two_factor=False)).status_code == 303
    post_form(resident, nightwalk=str(ended),
              occurred_at=during_old_walk.strftime("%Y-%m-%dT%H:%M"))
    assert _report_walk(db_session) is None  # not a walker
    post_form(client, nightwalk=str(ended),
              occurred_at=during_old_walk.strftime("%Y-%m-%dT%H:%M"))
    assert _report_walk(db_session) == ended  # queued offline during the walk, sent later
    post_form(client, nightwalk=str(ended))
    assert _report_walk(db_session) is None  # happened after the walk ended
    for junk in ("abc", "-1", "999999", "1 OR 1=1", "9" * 40):
        assert post_form(client, nightwalk=junk).status_code == 303  # the report is kept
        assert _report_walk(db_session) is None
    running = make_walk(app, walker)
    post_form(client)
    assert _report_walk(db_session) == running  # a form without the field: own running walk
    post_form(client, nightwalk="abc")
    assert _report_walk(db_session) == running
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Report)) == 11


def test_a_report_without_a_walk_keeps_its_old_digest() -> None:
    """Reports queued on phones before walks existed must still match when re-sent."""
    import hashlib
    import json

    data = ReportInput(category="lighting", description="Mörkt", locale="sv",
                       reporter_kind=ReporterKind.RESIDENT, area_code="centrum")
    old = {k: v for k, v in data.__dict__.items() if k not in ("photos", "nightwalk_id")}
    old["occurred_at"], old["photos"] = None, []
    expected = hashlib.sha256(json.dumps(old, sort_keys=True, default=str).encode()).hexdigest()
    assert data.payload_hash() == expected
    with_walk = ReportInput(**{**data.__dict__, "nightwalk_id": 4})
    assert with_walk.payload_hash() != expected


START_HOSTILE = [
    ({"walkers": "0"}, "from 1 to 50"), ({"walkers": "51"}, "from 1 to 50"),
    ({"walkers": "four"}, "whole number"), ({"walkers": ""}, "Enter a number"),
    ({"walkers": "3.5"}, "whole number"), ({"area": "centrum' OR '1'='1"}, "Choose an area"),
    ({"area": ""}, "Choose an area"), ({"group": "999"}, "association"),
    ({"group": "x"}, "association"),
]


@pytest.mark.parametrize("data,message", START_HOSTILE)
def test_hostile_start_stores_nothing(app: Flask, db_session, data: dict, message: str
                                      ) -> None:
    client, walker = walker_client(app)
    fields = {"group": str(walker["group_id"]), "area": "centrum", "walkers": "3", **data}
    response = post(client, "/nightwalks/", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and "error-summary" in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Nightwalk)) == 0
    if "walkers" in data and data["walkers"]:
        assert f'value="{data["walkers"]}"' in html  # kept as typed


def test_a_walker_cannot_start_for_another_association(app: Flask, db_session) -> None:
    client, _walker = walker_client(app)
    _other, stranger = walker_client(app, "other@koping.example", group="Kolsva")
    response = post(client, "/nightwalks/", group=str(stranger["group_id"]), area="centrum",
                    walkers="3")
    assert response.status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Nightwalk)) == 0


@pytest.mark.parametrize("data,message", [
    ({"young_people_met": "-1"}, "whole number"), ({"conversations": "1000"}, "from 0 to 999"),
    ({"emergency_calls": "två"}, "whole number"), ({"summary": "x" * 2001}, "at most 2000"),
    ({"summary": "Lugnt\x00"}, "not allowed"),
])
def test_hostile_end_keeps_the_walk_open(app: Flask, db_session, data: dict, message: str
                                         ) -> None:
    client, walker = walker_client(app)
    walk_id = make_walk(app, walker)
    response = post(client, f"/nightwalks/{walk_id}/end",
                    **{"young_people_met": "12", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    db_session.expire_all()
    assert db_session.get(Nightwalk, walk_id).ended_at is None
    if "young_people_met" not in data:
        assert 'value="12"' in html


def test_walker_without_an_association_is_told_what_to_do(app: Flask) -> None:
    client, _ = walker_client(app, group="Polisen", kind="polis")
    page = client.get("/nightwalks/?lang=en").get_data(as_text=True)
    assert "does not belong to a night walkers' association" in page
    assert 'name="walkers"' not in page


def test_walks_of_another_association_are_closed(app: Flask) -> None:
    _client, walker = walker_client(app)
    other, _ = walker_client(app, "other@koping.example", group="Kolsva")
    walk_id = make_walk(app, walker)
    assert other.get(f"/nightwalks/{walk_id}").status_code == 403
    assert other.get(f"/nightwalks/{walk_id}/end").status_code == 403
    assert post(other, f"/nightwalks/{walk_id}/end", young_people_met="1").status_code == 403
    assert other.get("/nightwalks/999").status_code == 404


def test_walk_flow_in_swedish_and_finnish(compiled_catalogs: None, app: Flask) -> None:
    client, walker = walker_client(app)
    walk_id = make_walk(app, walker)
    swedish = client.get("/nightwalks/?lang=sv").get_data(as_text=True)
    assert "Starta en vandring" in swedish and "Hur många går?" in swedish
    finnish = client.get(f"/nightwalks/{walk_id}?lang=fi").get_data(as_text=True)
    assert '<html lang="fi"' in finnish and "Lopeta kävely" in finnish
    error = post(client, f"/nightwalks/{walk_id}/end", "fi", conversations="paljon")
    assert "Anna kokonaisluku" in error.get_data(as_text=True)


WALKER_ROUTES = [("GET", "/nightwalks/"), ("POST", "/nightwalks/"), ("GET", "/nightwalks/1"),
                 ("GET", "/nightwalks/1/end"), ("POST", "/nightwalks/1/end")]


def _call(client: FlaskClient, method: str, url: str):
    data = {"csrf_token": csrf_token(client, "/login")} if method == "POST" else None
    return client.open(url, method=method, data=data)


@pytest.mark.parametrize("method,url", WALKER_ROUTES)
def test_walker_routes_send_visitors_to_login(client: FlaskClient, method: str, url: str
                                              ) -> None:
    response = _call(client, method, url)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ["resident", "grannsamverkan", "partner", "moderator",
                                  "analyst"])
def test_walker_routes_refuse_other_roles(app: Flask, client: FlaskClient, role: str) -> None:
    from tests.factories import log_in_as

    log_in_as(app, client, role)
    for method, url in WALKER_ROUTES:
        assert _call(client, method, url).status_code == 403, (role, method, url)


def test_walker_page_is_linked_from_the_account_roles(app: Flask) -> None:
    client, walker = walker_client(app)
    make_walk(app, walker)
    html = client.get("/nightwalks/?lang=en").get_data(as_text=True)
    assert re.search(r'href="/nightwalks/\d+"', html)
