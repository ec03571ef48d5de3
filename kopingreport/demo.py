"""Realistic demo content: the Köping areas and a few hundred reports (idempotent)."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation, OrganisationKind, User
from kopingreport.accounts.services import create_user
from kopingreport.db import utcnow
from kopingreport.neighbourhood.models import CONSENT_VERSION, ContactState
from kopingreport.neighbourhood.models import NeighbourhoodContact, SignStatus
from kopingreport.nightwalks.models import TALLIES, Nightwalk
from kopingreport.reports import geo
from kopingreport.reports.areas import ensure_default_areas
from kopingreport.reports.models import Area, Report
from kopingreport.reports.photostore import PhotoStore
from kopingreport.reports.services import ReportInput, submit_report
from kopingreport.reports.states import LocationSource, ReporterKind, ReportState
from kopingreport.security import Role
from kopingreport.situation.demo import load_situation_demo
from kopingreport.surveys.demo import load_demo_dialogue
from kopingreport.web.fields import LOCAL_TZ

#: Swedish example texts per category, as residents write them.
TEXTS: dict[str, list[str]] = {
    "vandalism": ["Krossad ruta i busskuren.", "Sönderslagna bänkar vid lekplatsen.",
                  "Någon har sparkat sönder belysningsstolpen."],
    "graffiti": ["Nytt klotter på tunneln under järnvägen.", "Taggar på skolans gavel."],
    "fire": ["Brand i soptunna natten till lördag.", "Brända rester av en container."],
    "burglary_theft": ["Uppbrutet cykelförråd i källaren.", "Flera cyklar stulna vid stationen."],
    "violence": ["Bråk utanför pizzerian vid stängning.", "Hot mot personal i butiken."],
    "drugs": ["Misstänkt langning vid parkeringen på kvällarna.",
              "Sprutor och folie bakom förrådet."],
    "intoxication": ["Berusade personer samlas vid torget varje helg."],
    "gathering": ["Grupp som stör och skräpar ner vid entrén sent på kvällen."],
    "disorder": ["Hög musik och skrik sent på natten i parken."],
    "reckless_driving": ["EPA-traktorer kör fort genom bostadsområdet.",
                         "Mopeder kör på gång- och cykelvägen."],
    "traffic": ["Övergångsstället saknar belysning och bilar kör fort."],
    "littering": ["Dumpade möbler vid återvinningsstationen.", "Mycket skräp längs ån."],
    "lighting": ["Gatlyktorna är släckta längs gångvägen.", "Mörkt i tunneln, lampan trasig."],
    "vegetation": ["Buskarna skymmer sikten vid gångvägen."],
    "unsafe_place": ["Ödsligt och mörkt vid stationen efter 22.",
                     "Gångtunneln känns otrygg på kvällen."],
    "rough_sleeping": ["Någon verkar sova i trapphuset."],
    "hazard": ["Glas och sprutor i sandlådan."],
    "event": ["Stor fest planerad vid badplatsen på lördag."],
    "safe_place": ["Nya belysningen i parken gör stor skillnad."],
    "other": ["Trasigt staket vid skolgården."],
}
WEIGHTS = {"vandalism": 9, "graffiti": 7, "littering": 8, "lighting": 7, "unsafe_place": 7,
           "reckless_driving": 6, "drugs": 5, "disorder": 5, "gathering": 4, "burglary_theft": 4,
           "intoxication": 3, "fire": 3, "violence": 2, "traffic": 3, "vegetation": 3,
           "hazard": 2, "rough_sleeping": 1, "event": 1, "safe_place": 2, "other": 2}
PLACES = ["Torget", "Resecentrum", "Karlbergsskogen", "Strandpromenaden", "Nygårdsskolan",
          "Ullvi backar", "Inre hamnen", "Stadsparken", "Kolsva centrum", "Munktorps kyrka"]


def _random_point(rng: random.Random, shape: geo.AreaShape) -> tuple[float, float]:
    min_lon, min_lat, max_lon, max_lat = shape.bbox
    for _ in range(200):
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if shape.contains(lon, lat):
            return lat, lon
    return (min_lat + max_lat) / 2, (min_lon + max_lon) / 2


def _demo_input(rng: random.Random, shapes: list[geo.AreaShape]) -> ReportInput:
    category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    town = [s for s in shapes if s.kind == "district"]
    shape = rng.choice(town if rng.random() < 0.8 else shapes)
    lat, lon = _random_point(rng, shape)
    by_text = rng.random() < 0.15
    return ReportInput(
        category=category, description=rng.choice(TEXTS[category]),
        reporter_kind=rng.choices(list(ReporterKind), weights=[70, 12, 10, 8])[0], locale="sv",
        occurred_at=(utcnow() - timedelta(days=rng.uniform(0, 120), hours=rng.uniform(0, 6)))
        .replace(second=0, microsecond=0),
        lat=None if by_text else round(lat, 6), lon=None if by_text else round(lon, 6),
        accuracy_m=None if by_text else rng.choice([5.0, 12.0, 30.0]),
        location_source=LocationSource.TEXT if by_text else rng.choice(
            [LocationSource.GPS, LocationSource.MAP]),
        place=rng.choice(PLACES) if by_text else None,
        area_code=shape.code if by_text else None)


DEMO_USERS = (("admin@koping.example", Role.ADMIN), ("moderator@koping.example", Role.MODERATOR),
              ("analyst@koping.example", Role.ANALYST), ("partner@koping.example", Role.PARTNER),
              ("grannsamverkan@koping.example", Role.GRANNSAMVERKAN),
              ("nattvandrare@koping.example", Role.NATTVANDRARE))
NIGHTWALK_GROUP = "Nattvandrarna i Köping"
#: Register entries: e-mail, name, street, area, households, signs, state, days since the
#: last yearly confirmation (None: still pending). Karlberg's has lapsed.
DEMO_CONTACTS = (
    ("grannsamverkan@koping.example", "Demo grannsamverkan", "Ullvigatan 1–30", "ullvi", 24,
     SignStatus.OK, ContactState.APPROVED, 40),
    ("kontakt.nygard@example.se", "Leila Haddad", "Nibblesbackevägen", "nygard-skogsbrynet", 60,
     SignStatus.DAMAGED, ContactState.APPROVED, 200),
    ("kontakt.karlberg@example.se", "Pekka Virtanen", "Macksta allé", "karlberg", 18,
     SignStatus.OK, ContactState.APPROVED, 410),
    ("kontakt.kolsva@example.se", "Anna Berg", "Bruksgatan, Kolsva", "kolsva", 12,
     SignStatus.MISSING, ContactState.PENDING, None),
)
#: Finished walks: days ago, area, walkers, summary, tallies in TALLIES order.
DEMO_WALKS = (
    (3, "centrum", 4, "Lugnt vid torget. Många unga vid busstationen fram till midnatt.",
     (23, 6, 1, 0, 1, 2, 0)),
    (10, "inre-hamnen", 3, "Glaskross vid gångtunneln, rapporterat. En grupp lugnades vid "
     "hamnen.", (15, 4, 2, 1, 2, 3, 1)),
)


def load_demo_users(session: Session, logins_file: Path) -> list[str]:
    """One demo account per role; new random passwords are written to ``logins_file``
    (mode 600, outside the repository) so that they can be printed on every start."""
    lines = logins_file.read_text().splitlines() if logins_file.exists() else []
    known = {line.split()[0] for line in lines if line.strip()}
    for email, role in DEMO_USERS:
        exists = session.scalar(sa.select(User.id).where(User.email == email))
        if exists and email in known:
            continue
        password = secrets.token_urlsafe(12)
        if exists:
            session.execute(sa.delete(User).where(User.email == email))
        create_user(session, None, email, password, role, name=f"Demo {role}")
        lines = [line for line in lines if not line.startswith(email + " ")]
        lines.append(f"{email} {password} ({role})")
    session.commit()
    load_demo_field_work(session)
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("\n".join(lines) + "\n")
    logins_file.chmod(0o600)
    return lines


def load_demo_data(session: Session, count: int, *, secret: str,
                   store: PhotoStore | None = None) -> int:
    """Load areas and ``count`` demo reports; running it again adds nothing."""
    ensure_default_areas(session)
    session.commit()
    rng = random.Random(1983)  # Köping's municipality code: the same demo every time
    shapes = geo.load_default_areas()
    created = 0
    states = [ReportState.NEW] * 5 + [ReportState.IN_REVIEW, ReportState.ACCEPTED,
                                      ReportState.FORWARDED, ReportState.RESOLVED]
    existing = set(session.scalars(sa.select(Report.idempotency_key).where(
        Report.idempotency_key.like("demo-%"))))
    for number in range(1, count + 1):
        data, state, key = _demo_input(rng, shapes), rng.choice(states), f"demo-{number:05d}"
        if key in existing:
            continue
        result = submit_report(session, None, data, store=store or PhotoStore("/nonexistent"),
                               secret=secret, idempotency_key=key)
        delay = timedelta(minutes=rng.uniform(5, 600))
        result.report.created_at = min(utcnow(), (data.occurred_at or utcnow()) + delay)
        result.report.state = state
        created += 1
    session.commit()
    load_demo_dialogue(session, secret=secret, store=store or PhotoStore("/nonexistent"))
    load_situation_demo(session)
    return created


def _demo_user(session: Session, email: str, name: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email))
    return user or create_user(session, None, email, secrets.token_urlsafe(16), Role.RESIDENT,
                               name=name)


def _demo_entry(session: Session, shapes: dict[str, geo.AreaShape], rng: random.Random,
                row: tuple[Any, ...]) -> None:
    email, name, street, code, households, signs, state, age = row
    area = session.scalar(sa.select(Area).where(Area.code == code))
    user = _demo_user(session, email, name)
    if area is None or session.scalar(sa.select(NeighbourhoodContact.id).where(
            NeighbourhoodContact.user_id == user.id)):
        return
    lat, lon = _random_point(rng, shapes[code])
    applied = utcnow() - timedelta(days=(age or 0) + 7)
    session.add(NeighbourhoodContact(
        user=user, street=street, area=area, lat=round(lat, 6), lon=round(lon, 6),
        households=households, sign_status=signs, sign_status_at=applied, state=state,
        consent_at=applied, consent_version=CONSENT_VERSION, created_at=applied,
        decided_at=None if age is None else utcnow() - timedelta(days=age),
        last_confirmed_at=None if age is None else utcnow() - timedelta(days=age)))
    if state == ContactState.APPROVED and user.role == Role.RESIDENT:
        user.role = Role.GRANNSAMVERKAN


def load_demo_field_work(session: Session) -> None:
    """Grannsamverkan register entries, a nattvandring association with the demo walker in
    it, and a couple of finished walks (adds nothing the second time)."""
    shapes = {s.code: s for s in geo.load_default_areas()}
    rng = random.Random(1983)
    for row in DEMO_CONTACTS:
        _demo_entry(session, shapes, rng, row)
    group = session.scalar(sa.select(Organisation).where(Organisation.name == NIGHTWALK_GROUP))
    if group is None:
        group = Organisation(name=NIGHTWALK_GROUP, kind=OrganisationKind.NIGHTWALKERS)
        session.add(group)
    walker = session.scalar(sa.select(User).where(User.email == "nattvandrare@koping.example"))
    if walker is not None:
        walker.organisation = group
    session.flush()
    if not session.scalar(sa.select(Nightwalk.id).where(Nightwalk.group_id == group.id)):
        for days, code, walkers, summary, tallies in DEMO_WALKS:
            area = session.scalar(sa.select(Area).where(Area.code == code))
            evening = (datetime.now(LOCAL_TZ) - timedelta(days=days)).replace(
                hour=21, minute=0, second=0, microsecond=0)
            if area is not None:
                session.add(Nightwalk(
                    group=group, area=area, walkers=walkers, summary=summary, started_by=walker,
                    started_at=evening.astimezone(UTC),
                    ended_at=(evening + timedelta(hours=3, minutes=30)).astimezone(UTC),
                    **dict(zip(TALLIES, tallies, strict=True))))
    session.commit()
