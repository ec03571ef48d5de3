"""The workflow rules, without HTTP."""

from __future__ import annotations

import pytest

from kopingreport.moderation import workflow
from kopingreport.moderation.duplicates import distance_m
from kopingreport.reports.states import ReportState as S


@pytest.mark.parametrize("current,target,ok", [
    (S.NEW, S.IN_REVIEW, True), (S.NEW, S.ACCEPTED, True), (S.NEW, S.RESOLVED, False),
    (S.IN_REVIEW, S.FORWARDED, True), (S.IN_REVIEW, S.NEW, False),
    (S.ACCEPTED, S.RESOLVED, True), (S.FORWARDED, S.RESOLVED, True),
    (S.RESOLVED, S.ACCEPTED, False), (S.RESOLVED, S.IN_REVIEW, True),
    (S.DUPLICATE, S.ACCEPTED, False), (S.REJECTED, S.IN_REVIEW, True),
    (S.NEW, "deleted", False), ("bogus", S.NEW, False),
])
def test_transitions(current: str, target: str, ok: bool) -> None:
    assert workflow.allowed(current, target) is ok


def test_every_state_can_be_left_and_reopened() -> None:
    for state in S:
        assert workflow.TRANSITIONS[state], state
        if state not in (S.NEW, S.IN_REVIEW):
            assert S.IN_REVIEW in workflow.TRANSITIONS[state] or state in (S.FORWARDED,)


def test_sla_defaults_and_open_states() -> None:
    assert workflow.sla("fire").days == 1 and workflow.sla("unknown").days == 10
    assert workflow.is_open(S.FORWARDED) and not workflow.is_open(S.RESOLVED)
    assert not workflow.is_open(S.DUPLICATE)


def test_distance() -> None:
    assert distance_m(59.5137, 15.9906, 59.5137, 15.9906) == 0
    assert 40 < distance_m(59.5137, 15.9906, 59.5141, 15.9906) < 50
