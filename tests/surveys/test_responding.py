"""Storing responses: once per device, per code or per account; idempotent deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kopingreport.db import get_session, utcnow
from kopingreport.reports.areas import active_areas
from kopingreport.reports.photostore import PhotoStore
from kopingreport.surveys import builder, codes, queries, responding
from kopingreport.surveys.answers import read_answer
from kopingreport.surveys.models import Channel, Survey, SurveyAnswer, SurveyCode, SurveyDevice
from kopingreport.surveys.models import SurveyResponse
from kopingreport.surveys.responding import Delivery, NotAccepted
from tests.factories import make_user

SECRET = "test-secret"


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield get_session()


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos")


def published(session: Session, **settings: object) -> Survey:
    survey = builder.create_survey(session, None, "ntu")
    for name, value in settings.items():
        setattr(survey, name, value)
    builder.publish(session, None, survey)
    session.commit()
    return queries.load_survey(session, survey.id)  # type: ignore[return-value]


def answers(session: Session, survey: Survey, evening: str = "ganska_trygg") -> list:
    q = survey.questions
    data = MultiDict({f"q{q[0].id}": "kolsva", f"q{q[2].id}": evening,
                      f"q{q[10].id}_p0_lat": "59.5110", f"q{q[10].id}_p0_lon": "15.9940",
                      f"q{q[10].id}_p0_note": "Mörkt"})
    areas = {a.code: a for a in active_areas(session)}
    return [read_answer(question, data, areas, lambda _q: None) for question in q]


def submit(session: Session, survey: Survey, store: PhotoStore, delivery: Delivery,
           actor: object = None, evening: str = "ganska_trygg") -> responding.Stored:
    stored = responding.submit_response(session, actor, survey, answers(session, survey, evening),
                                        delivery, store=store, secret=SECRET)
    session.commit()
    return stored


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_one_response_per_device_without_storing_identity(session: Session,
                                                          store: PhotoStore) -> None:
    survey = published(session)
    mark = responding.device_hash(SECRET, survey, "token-of-this-phone")
    stored = submit(session, survey, store, Delivery("sv", device_hash=mark))
    response = stored.response
    kolsva = next(a for a in active_areas(session) if a.code == "kolsva")
    assert response.area_id == kolsva.id
    assert response.user_id is None and response.channel == Channel.WEB
    assert session.get(SurveyDevice, (survey.id, mark)) is not None
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv", device_hash=mark))
    assert err.value.reason == "already"
    session.rollback()
    other = responding.device_hash(SECRET, survey, "another-phone")
    submit(session, survey, store, Delivery("fi", device_hash=other))
    assert count(session, SurveyResponse) == 2
    rows = session.scalars(sa.select(SurveyAnswer).where(
        SurveyAnswer.response_id == response.id)).all()
    point = next(r for r in rows if r.lat is not None)
    assert (point.lat, point.text, point.item) == (59.511, "Mörkt", "0")


def test_the_device_mark_is_salted_per_survey(session: Session) -> None:
    first, second = published(session), published(session)
    assert responding.device_hash(SECRET, first, "t") != responding.device_hash(SECRET, second, "t")


def test_a_repeated_delivery_is_stored_once(session: Session, store: PhotoStore) -> None:
    survey = published(session)
    first = submit(session, survey, store, Delivery("sv", device_hash="a" * 64,
                                                    idempotency_key="key-0001"))
    again = submit(session, survey, store, Delivery("sv", device_hash="a" * 64,
                                                    idempotency_key="key-0001"))
    assert first.created and not again.created and again.response.id == first.response.id
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv", idempotency_key="key-0001"),
               evening="mycket_otrygg")
    assert err.value.reason == "key_conflict"
    session.rollback()
    assert count(session, SurveyResponse) == 1


def test_codes_are_single_use_and_not_linked_to_the_answer(session: Session,
                                                           store: PhotoStore) -> None:
    survey = published(session, is_code_required=True)
    batch = codes.create_batch(session, survey, label="Möte i Kolsva", count=3, secret=SECRET)
    session.commit()
    printed = codes.printed(SECRET, survey, batch)
    assert len({p.code for p in printed}) == 3
    assert printed == codes.printed(SECRET, survey, batch)  # the list can be printed again
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv", device_hash="b" * 64))
    assert err.value.reason == "code_needed"
    session.rollback()
    code = printed[0].code.lower().replace("-", " ")  # typed from paper
    stored = submit(session, survey, store, Delivery("sv", code=code))
    assert stored.response.channel == Channel.CODE and stored.response.code_batch_id == batch.id
    assert count(session, SurveyDevice) == 0
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv", code=printed[0].code))
    assert err.value.reason == "code"
    session.rollback()
    assert [p.is_used for p in codes.printed(SECRET, survey, batch)] == [True, False, False]
    stored_hashes = session.scalars(sa.select(SurveyCode.code_hash)).all()
    assert not any(p.code.replace("-", "") in h.upper() for p in printed for h in stored_hashes)


def test_closed_and_not_yet_open_surveys_take_no_answers(session: Session,
                                                        store: PhotoStore) -> None:
    later = published(session, opens_at=utcnow() + timedelta(days=2))
    with pytest.raises(NotAccepted) as err:
        submit(session, later, store, Delivery("sv"))
    assert err.value.reason == "closed"
    session.rollback()
    survey = published(session)
    builder.close(session, None, survey)
    session.commit()
    with pytest.raises(NotAccepted):
        submit(session, survey, store, Delivery("sv"))


def test_a_survey_that_is_not_anonymous_takes_one_answer_per_account(
        app: Flask, session: Session, store: PhotoStore) -> None:
    from kopingreport.accounts.models import User

    survey = published(session, is_anonymous=False)
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv"))
    assert err.value.reason == "login"
    session.rollback()
    account = make_user(app, "resident", two_factor=False)
    user = session.get(User, account["id"])
    assert submit(session, survey, store, Delivery("sv"), actor=user).response.user_id == user.id
    with pytest.raises(NotAccepted) as err:
        submit(session, survey, store, Delivery("sv"), actor=user)
    assert err.value.reason == "already"
