"""Safety walks: planning, participants adding stops on their phones, the protocol and
åtgärder — services and HTTP, with hostile input on every form."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kopingreport.walks.models import Action, SafetyWalk, WalkStop
from tests.factories import csrf_token, jpeg_with_gps, log_in_as

WALK = {"title": "Trygghetsvandring Ullvi", "held_at": "2026-05-12T19:00", "area": "ullvi",
        "meeting_point": "Ullvi skola", "organiser_name": "Köpings kommun",
        "count_residents": "12", "count_polis": "2", "count_kbab": "1"}


def plan(app: Flask, client: FlaskClient) -> tuple[int, str, str]:
    """Log in as the coordinator, plan a walk; returns its id, the participants' link and
    the CSRF token."""
    log_in_as(app, client, "analyst")
    token = csrf_token(client, "/admin/walks/new")
    response = client.post("/admin/walks/new", data={"csrf_token": token, **WALK})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    walk_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    html = client.get(f"/admin/walks/{walk_id}").get_data(as_text=True)
    link = re.search(r'readonly value="http://localhost(/walks/\d+/join/[^"]+)"', html).group(1)
    return walk_id, link, token


def add_stop(phone: FlaskClient, link: str, **fields: object):
    html = phone.get(link).get_data(as_text=True)
    state = dict(re.findall(r'name="(csrf_token|submission_id)" type="hidden" value="([^"]+)"',
                            html)) or {"csrf_token": csrf_token(phone, "/report")}
    data = {**state, "place": "Gångtunneln", "check_lighting": "problem",
            "problem": "Mörkt i tunneln.", "proposal": "Ny belysning.", "group": "residents"}
    data.update(fields)
    return phone.post(link, data={k: v for k, v in data.items() if v is not None},
                      content_type="multipart/form-data")


def stops(db_session: Session) -> list[WalkStop]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(WalkStop).order_by(WalkStop.position)))


def test_participants_add_stops_with_the_link_only(app: Flask, client: FlaskClient,
                                                   db_session: Session) -> None:
    walk_id, link, _token = plan(app, client)
    phone = app.test_client()
    assert phone.get(f"/walks/{walk_id}/join/wrong-token").status_code == 404
    assert phone.get(link + "?lang=sv").status_code == 200
    photo = (io.BytesIO(jpeg_with_gps()), "tunnel.jpg")
    added = add_stop(phone, link, photos=photo, lat="59.5010", lon="15.9650", accuracy="8")
    assert added.status_code == 303 and "added=1" in added.headers["Location"]
    assert "Stopp 1 har lagts till." in phone.get(added.headers["Location"] + "&lang=sv"
                                                  ).get_data(as_text=True)
    stop = stops(db_session)[0]
    assert stop.checklist == {"lighting": "problem"} and stop.area.code == "kristinelund"
    assert len(stop.photos) == 1 and stop.added_by_group == "residents"
    thumb = phone.get(f"{link}/photos/{stop.photos[0].id}.jpg")
    assert thumb.status_code == 200 and thumb.headers["Cache-Control"] == "private, no-store"
    assert app.test_client().get(f"/walks/{walk_id}/join/x/photos/{stop.photos[0].id}.jpg"
                                 ).status_code == 404


def test_a_stop_form_refuses_hostile_input_and_keeps_what_was_typed(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    _walk_id, link, _token = plan(app, client)
    phone = app.test_client()
    cases = [
        ({"place": "", "area": None}, "Säg var: använd din position"),
        ({"check_lighting": "'; DROP TABLE walk_stops; --"}, "Välj ett av svaren i listan."),
        ({"area": "atlantis"}, "Välj ett område i listan."),
        ({"lat": "59.5", "lon": None}, "En position måste ha både latitud och longitud."),
        ({"problem": "x" * 2001}, "Skriv högst 2000 tecken."),
        ({"group": "mayor"}, "Välj ett av svaren i listan."),
        ({"photos": (io.BytesIO(b"not an image"), "x.jpg")}, "Filen är inte ett foto"),
        ({"check_lighting": None, "problem": "", "proposal": ""}, "Anteckna något om platsen"),
    ]
    for fields, message in cases:
        response = add_stop(phone, link + "?lang=sv", **fields)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, fields
        assert message in html, (fields, message)
    kept = add_stop(phone, link + "?lang=sv", problem="<b>Mörkt</b>", area="atlantis")
    assert "&lt;b&gt;Mörkt&lt;/b&gt;</textarea>" in kept.get_data(as_text=True)
    forged = phone.post(link, data={"csrf_token": "forged", "place": "x", "problem": "y"})
    assert forged.status_code == 400
    assert stops(db_session) == []


def test_a_repeated_post_adds_the_stop_once(app: Flask, client: FlaskClient,
                                            db_session: Session) -> None:
    _walk_id, link, _token = plan(app, client)
    phone = app.test_client()
    add_stop(phone, link, submission_id="same-key-1234")
    add_stop(phone, link, submission_id="same-key-1234")
    assert len(stops(db_session)) == 1


def test_from_stops_to_a_published_protocol_with_tracked_actions(
        app: Flask, client: FlaskClient, db_session: Session) -> None:
    walk_id, link, token = plan(app, client)
    phone = app.test_client()
    add_stop(phone, link, place="Gångtunneln")
    add_stop(phone, link, place="Parkeringen", check_maintenance="problem", proposal="Sanera.")
    assert client.get(f"/walks/{walk_id}/protocol").status_code == 404
    finish = client.post(f"/admin/walks/{walk_id}/state", data={"csrf_token": token,
                                                                "state": "finished"})
    assert finish.status_code == 303
    late = add_stop(phone, link + "?lang=sv", place="För sent")
    assert late.status_code == 422 and "Vandringen är slut" in late.get_data(as_text=True)
    first, second = stops(db_session)
    edited = client.post(f"/admin/walks/stops/{first.id}", data={
        "csrf_token": token, "place": "Gångtunneln under Ullvileden", "check_lighting": "problem",
        "problem": "Mörkt.", "proposal": "Byt armaturerna.", "priority": "1",
        "is_in_protocol": "y"})
    assert edited.status_code == 303
    url = f"/admin/walks/actions/new/{first.id}?lang=sv"
    assert "Byt armaturerna." in client.get(url).get_data(as_text=True)
    declined = client.post(url, data={"csrf_token": token, "title": "Byt armaturerna.",
                                      "status": "declined", "public_reason": ""})
    assert declined.status_code == 422
    assert "Säg varför åtgärden avslås." in declined.get_data(as_text=True)
    due = (date.today() - timedelta(days=3)).isoformat()
    for fields in ({"due_on": "31/12"}, {"status": "forgotten"}, {"owner_organisation": "99"}):
        bad = client.post(url, data={"csrf_token": token, "title": "x", "status": "planned",
                                     **fields})
        assert bad.status_code == 422, fields
    assert client.post(url, data={"csrf_token": token, "title": "Byt armaturerna.",
                                  "owner_text": "Gatuavdelningen", "due_on": due,
                                  "status": "planned"}).status_code == 303
    client.post(f"/admin/walks/actions/new/{second.id}", data={
        "csrf_token": token, "title": "Sanera klotter", "status": "declined",
        "public_reason": "Fastighetsägaren sanerar själv."})
    overdue = client.get("/admin/walks/actions/?overdue=1&lang=sv").get_data(as_text=True)
    assert "Byt armaturerna." in overdue and "Sanera klotter" not in overdue
    printed = client.get(f"/admin/walks/{walk_id}/protocol?lang=sv").get_data(as_text=True)
    assert "Gångtunneln under Ullvileden" in printed and "Gatuavdelningen" in printed
    assert "/admin/walks/photos/" not in printed or "walk-photos" in printed
    assert client.post(f"/admin/walks/{walk_id}/state", data={
        "csrf_token": token, "state": "published"}).status_code == 303
    public = app.test_client().get(f"/walks/{walk_id}/protocol?lang=sv").get_data(as_text=True)
    assert "Fastighetsägaren sanerar själv." in public and "Planerad" in public
    assert "59.50" not in public  # no exact positions in public
    assert "Trygghetsvandring Ullvi" in app.test_client().get("/surveys").get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Action)) == 2


def test_planning_a_walk_checks_its_fields(app: Flask, client: FlaskClient,
                                           db_session: Session) -> None:
    log_in_as(app, client, "analyst")
    token = csrf_token(client, "/admin/walks/new")
    for fields, message in (({"title": ""}, "Ge vandringen ett namn."),
                            ({"area": "atlantis"}, "Välj ett område i listan."),
                            ({"held_at": "igår"}, "Ange datum och tid"),
                            ({"count_residents": "många"}, "Skriv ett heltal")):
        response = client.post("/admin/walks/new?lang=sv", data={"csrf_token": token,
                                                                **WALK, **fields})
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), (fields, message)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(SafetyWalk)) == 0
