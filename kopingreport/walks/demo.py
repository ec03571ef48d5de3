"""A finished demo safety walk in Karlberg with stops, a published protocol and åtgärder."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.reports.photostore import PhotoStore
from kopingreport.walks import actions, services
from kopingreport.walks.models import ActionStatus, ParticipantGroup, SafetyWalk, WalkState
from kopingreport.web.fields import LOCAL_TZ

TITLE = "Trygghetsvandring Karlberg"
#: (lat, lon, place, checklist problems, problem, proposal, åtgärd status, owner, reason);
#: each stop's area comes from its point, so every point lies inside Karlberg.
STOPS = [
    (59.5092, 16.0051, "Gångtunneln under Karlbergsleden", ("lighting", "sightlines"),
     "Tunneln är mörk, två armaturer är trasiga och man ser inte vem som kommer.",
     "Byt armaturerna och sätt ljusare, vit belysning i hela tunneln.", ActionStatus.DONE,
     "Köpings kommun, gatuavdelningen", ""),
    (59.5104, 16.0093, "Gångvägen mot Karlbergsskogen", ("vegetation", "people"),
     "Höga buskar längs gångvägen, ödsligt efter kl. 20.",
     "Röj buskarna två meter från gångvägen.", ActionStatus.PLANNED, "Köpings kommun, parkenheten",
     ""),
    (59.5118, 16.0034, "Parkeringen vid Karlbergsskolan", ("maintenance",),
     "Klotter och krossat glas vid cykelstället.", "Sanera klotter och laga cykelstället.",
     ActionStatus.IN_PROGRESS, "KBAB", ""),
    (59.5097, 16.0068, "Busshållplatsen Karlbergsvägen", ("signage", "traffic"),
     "Ingen skylt till vårdcentralen, bilar kör fort förbi hållplatsen.",
     "Sätt upp en hastighetsskylt med 30 km/h.", ActionStatus.DECLINED, "Trafikverket",
     "Vägen är en genomfartsled där Trafikverket inte sänker hastigheten. Kommunen sätter "
     "i stället upp en vägvisare till vårdcentralen."),
]


def load_demo_walk(session: Session) -> int | None:
    """Create the demo walk unless it exists; returns its id when created."""
    if session.scalar(sa.select(SafetyWalk.id).where(SafetyWalk.title == TITLE)):
        return None
    held = datetime.combine(utcnow().astimezone(LOCAL_TZ).date() - timedelta(days=24),
                            datetime.min.time().replace(hour=19), LOCAL_TZ)
    walk = services.save_walk(session, None, None, services.WalkInput(
        title=TITLE, held_at=held, area_code="karlberg", meeting_point="Karlbergsskolans entré",
        organiser_name="Köpings kommun tillsammans med polisen och KBAB",
        participants={ParticipantGroup.RESIDENTS.value: 14, ParticipantGroup.MUNICIPALITY.value: 3,
                      ParticipantGroup.POLICE.value: 2, ParticipantGroup.HOUSING.value: 2,
                      ParticipantGroup.POLITICIANS.value: 2},
        participant_note="Säkerhetssamordnaren, gatuavdelningen, kommunpolisen, KBAB:s "
        "områdesansvarige, två ledamöter i BRÅ-rådet.",
        summary="Belysningen i tunneln och buskarna mot skogen var det som flest tog upp. "
        "Kommunen återkommer med en tidsplan inom sex månader."))
    store = PhotoStore("/nonexistent")
    due = held.date() + timedelta(days=180)
    for lat, lon, place, problems, problem, proposal, status, owner, reason in STOPS:
        checklist = {key: "problem" for key in problems}
        checklist.setdefault("lighting", "ok")
        stop = services.add_stop(session, None, walk, services.StopInput(
            lat=lat, lon=lon, place=place, problem=problem, proposal=proposal,
            checklist=checklist, group=ParticipantGroup.RESIDENTS), store=store)
        actions.save_action(session, None, None, actions.ActionInput(
            title=proposal, owner_text=owner, status=status, public_reason=reason,
            due_on=due), stop)
    services.set_state(session, None, walk, WalkState.FINISHED)
    services.set_state(session, None, walk, WalkState.PUBLISHED)
    return walk.id
