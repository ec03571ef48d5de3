"""Demo medborgardialog: a published NTU-style survey with about 60 realistic responses and a
finished safety walk with stops and åtgärder (idempotent: a second run adds nothing)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kopingreport.db import utcnow
from kopingreport.reports import areas as area_service
from kopingreport.reports.photostore import PhotoStore
from kopingreport.surveys import builder, responding
from kopingreport.surveys.answers import read_answer
from kopingreport.surveys.models import Survey, SurveyResponse
from kopingreport.walks.demo import load_demo_walk

RESPONSES = 60
#: Where people live (area code → weight): most answers come from the town.
HOMES = {"centrum": 14, "karlberg": 8, "ostanas": 7, "nygard-skogsbrynet": 6, "ullvi": 5,
         "inre-hamnen": 4, "kolsva": 6, "tunadal": 4, "munktorp": 2, "byjorden": 4}
#: Places people mark as unsafe (lat, lon, note).
HOTSPOTS = [(59.5110, 15.9940, "Mörkt och ödsligt vid resecentrum på kvällen."),
            (59.5152, 15.9905, "Gäng samlas vid torget, man blir stirrad på."),
            (59.5075, 16.0060, "Gångtunneln saknar belysning."),
            (59.5185, 15.9780, "Buskarna skymmer gångvägen genom parken.")]
TEXTS = ["Bättre belysning längs ån skulle hjälpa mycket.", "Grannarna känner varandra, det "
         "känns tryggt.", "Mer vuxna ute på helgkvällarna.", "Fler poliser syns på stan."]


def _choose(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _fields(rng: random.Random, survey: Survey) -> MultiDict[str, str]:
    """One resident's answers to the NTU template, as the form would post them."""
    by_index = survey.questions
    data: MultiDict[str, str] = MultiDict()
    data["q%d" % by_index[0].id] = rng.choices(list(HOMES), weights=list(HOMES.values()))[0]
    data["q%d" % by_index[1].id] = _choose(rng, [("16_24", 2), ("25_44", 4), ("45_64", 4),
                                                  ("65_plus", 3)])
    evening = _choose(rng, [("mycket_trygg", 5), ("ganska_trygg", 8), ("ganska_otrygg", 5),
                            ("mycket_otrygg", 2), ("gar_aldrig_ut", 2)])
    data["q%d" % by_index[2].id] = evening
    if evening == "gar_aldrig_ut":
        data["q%d" % by_index[3].id] = _choose(rng, [("yes", 3), ("no", 1)])
    data["q%d" % by_index[4].id] = _choose(rng, [("mycket_stor", 3), ("ganska_stor", 5),
                                                  ("ganska_liten", 4), ("inte_alls", 1)])
    for index, scale in ((5, ("aldrig", "nagon_gang", "ibland", "ofta")),
                         (6, ("nej", "ja_nagon_gang", "ja_ibland", "ja_ofta")),
                         (7, ("inget", "litet", "ganska_stort", "mycket_stort"))):
        question = by_index[index]
        for row in question.rows:
            data[f"q{question.id}_{row['value']}"] = rng.choices(scale, weights=[4, 4, 2, 1])[0]
    avoid = _choose(rng, [("nej", 6), ("ett", 3), ("flera", 1)])
    data["q%d" % by_index[8].id] = avoid
    if avoid != "nej":
        data["q%d" % by_index[9].id] = rng.choice(["Resecentrum", "Stora torget", "Parken"])
    _points(rng, data, by_index[10].id)
    for value in rng.sample(["lighting", "police", "adults", "vegetation", "cleaning",
                             "activities"], k=rng.randint(1, 3)):
        data.add("q%d" % by_index[11].id, value)
    if rng.random() < 0.3:
        data["q%d" % by_index[12].id] = rng.choice(TEXTS)
    return data


def _points(rng: random.Random, data: MultiDict[str, str], question_id: int) -> None:
    for index in range(rng.choice([0, 1, 1, 2])):
        lat, lon, note = rng.choice(HOTSPOTS)
        data[f"q{question_id}_p{index}_lat"] = f"{lat + rng.uniform(-0.0008, 0.0008):.6f}"
        data[f"q{question_id}_p{index}_lon"] = f"{lon + rng.uniform(-0.0012, 0.0012):.6f}"
        data[f"q{question_id}_p{index}_note"] = note


def _demo_survey(session: Session, secret: str, store: PhotoStore) -> Survey:
    survey = builder.create_survey(session, None, "ntu")
    survey.opens_at = utcnow() - timedelta(days=21)
    survey.closes_at = utcnow() + timedelta(days=30)
    survey.is_results_public = True
    builder.publish(session, None, survey)
    areas = {a.code: a for a in area_service.active_areas(session)}
    rng = random.Random(2026)
    for number in range(1, RESPONSES + 1):
        data = _fields(rng, survey)
        answers = [read_answer(q, data, areas, lambda _q: None) for q in survey.questions]
        shown = [a for a in answers if not a.errors]
        stored = responding.submit_response(
            session, None, survey, shown, responding.Delivery(
                locale=rng.choice(["sv"] * 8 + ["fi", "ar"]),
                idempotency_key=f"demo-survey-{number:03d}"), store=store, secret=secret)
        stored.response.created_at = utcnow() - timedelta(days=rng.uniform(0, 20))
    return survey


def load_demo_dialogue(session: Session, *, secret: str, store: PhotoStore) -> dict[str, Any]:
    """Create the demo survey and walk unless they exist; commits."""
    created: dict[str, Any] = {"survey": None, "walk": None}
    if not session.scalar(sa.select(SurveyResponse.id).where(
            SurveyResponse.idempotency_key == "demo-survey-001")):
        created["survey"] = _demo_survey(session, secret, store).id
    created["walk"] = load_demo_walk(session)
    session.commit()
    return created

