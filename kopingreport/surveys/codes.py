"""Single-use codes for a meeting or a letter campaign.

Codes are derived from the server secret, the survey's salt, the batch and a number, so the
printable list can be shown again at any time; the database holds only an HMAC of each code
and whether it was used. Responses keep the batch (the meeting), never the code.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.surveys.models import Survey, SurveyCode, SurveyCodeBatch

#: No 0/O, 1/I/L: codes are typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
MAX_BATCH = 500


@dataclass(frozen=True)
class PrintedCode:
    """A code as printed, and whether it has been used."""

    number: int
    code: str
    is_used: bool


def normalise(text: str) -> str:
    """What a person typed, as stored: capitals without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:40]


def derive(secret: str, survey: Survey, batch_id: int, number: int) -> str:
    """The ``number``-th code of a batch, e.g. ``K7QM-4RTX``."""
    digest = hmac.new(secret.encode(), f"survey-code:{survey.salt}:{batch_id}:{number}"
                      .encode(), hashlib.sha256).digest()
    letters = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])
    return f"{letters[:4]}-{letters[4:]}"


def code_hash(secret: str, survey_id: int, code: str) -> str:
    """The stored form of a code."""
    return hmac.new(secret.encode(), f"survey-code-hash:{survey_id}:{normalise(code)}"
                    .encode(), hashlib.sha256).hexdigest()


def create_batch(session: Session, survey: Survey, *, label: str, count: int, secret: str
                 ) -> SurveyCodeBatch:
    """Make ``count`` new codes for ``survey`` under ``label`` (1 to 500)."""
    if not 1 <= count <= MAX_BATCH:
        raise ValueError(count)
    batch = SurveyCodeBatch(survey_id=survey.id, label=label.strip(), count=count,
                            created_at=utcnow())
    session.add(batch)
    session.flush()
    for number in range(1, count + 1):
        code = derive(secret, survey, batch.id, number)
        batch.codes.append(SurveyCode(number=number,
                                      code_hash=code_hash(secret, survey.id, code)))
    session.flush()
    return batch


def printed(secret: str, survey: Survey, batch: SurveyCodeBatch) -> list[PrintedCode]:
    """The codes of a batch as printed, with their state."""
    return [PrintedCode(c.number, derive(secret, survey, batch.id, c.number),
                        c.used_at is not None) for c in batch.codes]


def redeem(session: Session, survey: Survey, code: str, secret: str) -> SurveyCodeBatch | None:
    """Use a code once: its batch, or None if the code is unknown or already used.

    The check and the update are one statement, so two phones cannot use the same code.
    """
    hashed = code_hash(secret, survey.id, code)
    found = session.scalar(sa.select(SurveyCode).join(SurveyCodeBatch).where(
        SurveyCode.code_hash == hashed, SurveyCodeBatch.survey_id == survey.id))
    if found is None:
        return None
    result = session.execute(sa.update(SurveyCode).where(
        SurveyCode.id == found.id, SurveyCode.used_at.is_(None)).values(used_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(SurveyCodeBatch, found.batch_id)


def is_usable(session: Session, survey: Survey, code: str, secret: str) -> bool:
    """Whether a code exists for this survey and is still unused (nothing changes)."""
    return session.scalar(sa.select(sa.func.count()).select_from(SurveyCode).join(
        SurveyCodeBatch).where(SurveyCode.code_hash == code_hash(secret, survey.id, code),
                               SurveyCodeBatch.survey_id == survey.id,
                               SurveyCode.used_at.is_(None))) == 1


def batches(session: Session, survey: Survey) -> list[tuple[SurveyCodeBatch, int]]:
    """The survey's batches, newest first, with how many codes each has had used."""
    used = sa.func.count(SurveyCode.used_at)
    rows = session.execute(sa.select(SurveyCodeBatch, used).outerjoin(SurveyCode).where(
        SurveyCodeBatch.survey_id == survey.id).group_by(SurveyCodeBatch.id)
        .order_by(SurveyCodeBatch.id.desc()))
    return [(batch, count) for batch, count in rows]
