"""Storing a response exactly once: one per device (or per code, or per account)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.reports.models import Area
from kopingreport.reports.photostore import PhotoStore
from kopingreport.security import role_of
from kopingreport.surveys import codes
from kopingreport.surveys.answers import Answer
from kopingreport.surveys.models import Channel, QuestionKind, Survey, SurveyAnswer
from kopingreport.surveys.models import SurveyDevice, SurveyResponse


class NotAccepted(Exception):
    """The response cannot be stored; ``reason`` is one of ``closed``, ``already``,
    ``code``, ``code_needed``, ``login``, ``key_conflict``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """How a response arrived: the device's token hash, a code, the client's key."""

    locale: str
    device_hash: str | None = None
    code: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Stored:
    """The stored response; ``created`` is False for a repeated delivery."""

    response: SurveyResponse
    created: bool


def device_hash(secret: str, survey: Survey, token: str) -> str:
    """HMAC of the device token with the server secret and the survey's salt."""
    return hmac.new(secret.encode(), f"survey-device:{survey.salt}:{token}".encode(),
                    hashlib.sha256).hexdigest()


def has_answered(session: Session, survey: Survey, hashed: str | None) -> bool:
    """Whether the device with this token hash has answered ``survey``."""
    return hashed is not None and session.get(SurveyDevice, (survey.id, hashed)) is not None


def payload_hash(answers: Sequence[Answer]) -> str:
    """A digest of the answers, to recognise a retry of the same response."""
    data = [[a.question.id, a.values, a.other, a.cells, a.number, a.text,
             [p.__dict__ for p in a.points], a.photo.sha256 if a.photo else None]
            for a in answers if not a.is_empty]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def submit_response(session: Session, actor: Any, survey: Survey, answers: Sequence[Answer],
                    delivery: Delivery, *, store: PhotoStore, secret: str,
                    now: datetime | None = None) -> Stored:
    """Store the answers of the shown questions (already checked) as one response.

    Raises :class:`NotAccepted`. A repeated idempotency key with the same answers returns
    the stored response. Photo files are written before the flush; the caller commits.
    """
    payload = payload_hash(answers)
    if delivery.idempotency_key:
        existing = session.scalar(sa.select(SurveyResponse).where(
            SurveyResponse.idempotency_key == delivery.idempotency_key))
        if existing is not None:
            if existing.payload_hash != payload or existing.survey_id != survey.id:
                raise NotAccepted("key_conflict")
            return Stored(existing, created=False)
    if not survey.is_open_at(now or utcnow()):
        raise NotAccepted("closed")
    response = SurveyResponse(survey_id=survey.id, created_at=utcnow(), locale=delivery.locale,
                              idempotency_key=delivery.idempotency_key, payload_hash=payload)
    _admit(session, actor, survey, delivery, response, secret)
    response.area_id = _area_id(session, answers)
    for answer in answers:
        response.answers.extend(answer_rows(answer, store))
    session.add(response)
    session.flush()
    return Stored(response, created=True)


def _admit(session: Session, actor: Any, survey: Survey, delivery: Delivery,
           response: SurveyResponse, secret: str) -> None:
    """Check who may answer and mark the code, the account or the device as used."""
    if not survey.is_anonymous:
        if role_of(actor) is None:
            raise NotAccepted("login")
        if session.scalar(sa.select(SurveyResponse.id).where(
                SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == actor.id)):
            raise NotAccepted("already")
        response.user_id = actor.id
    if delivery.code:
        batch = codes.redeem(session, survey, delivery.code, secret)
        if batch is None:
            raise NotAccepted("code")
        response.channel, response.code_batch_id = Channel.CODE, batch.id
        return
    if survey.is_code_required:
        raise NotAccepted("code_needed")
    if survey.is_anonymous and delivery.device_hash:
        if has_answered(session, survey, delivery.device_hash):
            raise NotAccepted("already")
        session.add(SurveyDevice(survey_id=survey.id, token_hash=delivery.device_hash))


def _area_id(session: Session, answers: Sequence[Answer]) -> int | None:
    code = next((a.values[0] for a in answers
                 if a.question.kind == QuestionKind.AREA and a.values), None)
    if code is None:
        return None
    return session.scalar(sa.select(Area.id).where(Area.code == code))


def answer_rows(answer: Answer, store: PhotoStore) -> list[SurveyAnswer]:
    """The stored rows of one answer (none for an empty answer)."""
    qid = answer.question.id
    if answer.question.kind == QuestionKind.MATRIX:
        return [SurveyAnswer(question_id=qid, item=row, value=value)
                for row, value in answer.cells.items()]
    if answer.points:
        return [SurveyAnswer(question_id=qid, item=str(n), value=p.area or None,
                             lat=p.lat, lon=p.lon, place=p.place or None,
                             text=p.note or None)
                for n, p in enumerate(answer.points)]
    if answer.photo is not None:
        store.save(answer.photo.sha256, answer.photo.jpeg)
        store.save(answer.photo.thumb_sha256, answer.photo.thumb)
        return [SurveyAnswer(question_id=qid, photo_sha256=answer.photo.sha256,
                             thumb_sha256=answer.photo.thumb_sha256)]
    if answer.values:
        return [SurveyAnswer(question_id=qid, value=value,
                             text=answer.other if value == "other" else None)
                for value in answer.values]
    if answer.number is not None:
        return [SurveyAnswer(question_id=qid, number=answer.number)]
    return [SurveyAnswer(question_id=qid, text=answer.text)] if answer.text else []

