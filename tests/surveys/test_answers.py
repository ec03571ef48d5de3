"""Reading answers from form data, conditions, and small-cell suppression (no database)."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from kopingreport.surveys import library
from kopingreport.surveys.answers import Answer, check, read_answer
from kopingreport.surveys.conditions import is_shown
from kopingreport.surveys.models import QuestionKind, SurveyQuestion
from kopingreport.surveys.suppression import CellStatus, cells, statuses

AREAS = {"centrum": object(), "kolsva": object()}


def question(kind: QuestionKind, qid: int = 1, **settings: Any) -> SurveyQuestion:
    options = [{"value": v, "label": {"sv": v}} for v in ("a", "b", "c")]
    q = SurveyQuestion(id=qid, kind=kind, text={"sv": "Fråga"}, is_required=settings.pop(
        "required", False), options=library.standard_options(kind, options),
        rows=[{"value": "r1", "label": {"sv": "Rad 1"}}, {"value": "r2", "label": {"sv": "Rad 2"}}],
        settings=settings, condition=None)
    return q


def read(q: SurveyQuestion, **fields: Any) -> Answer:
    data = MultiDict([(k, v) for k, vs in fields.items()
                      for v in (vs if isinstance(vs, list) else [vs])])
    return read_answer(q, data, AREAS, lambda _q: None)


def messages(answer: Answer) -> list[str]:
    return [str(m) for m in check(answer)]


def test_choices_accept_only_their_options_and_respect_the_maximum() -> None:
    single = question(QuestionKind.SINGLE)
    assert read(single, q1="b").values == ["b"]
    assert messages(read(single, q1="' OR 1=1 --")) == ["Choose one of the answers in the list."]
    multiple = question(QuestionKind.MULTIPLE, max_choices=2, allow_other=True)
    assert read(multiple, q1=["a", "c", "a"]).values == ["a", "c"]
    assert messages(read(multiple, q1=["a", "b", "c"])) == ["Choose at most 2 answers."]
    assert messages(read(multiple, q1=["other"])) == ["Write what you mean by “other”."]
    answer = read(multiple, q1=["other"], q1_other="Gatubelysning")
    assert answer.values == ["other"] and answer.other == "Gatubelysning" and not check(answer)


def test_required_questions_and_matrix_rows() -> None:
    required = question(QuestionKind.YES_NO, required=True)
    assert messages(read(required)) == ["Answer this question."]
    assert read(required, q1="yes").values == ["yes"]
    matrix = question(QuestionKind.MATRIX, required=True)
    assert messages(read(matrix, q1_r1="a")) == ["Answer every row."]
    assert read(matrix, q1_r1="a", q1_r2="c").cells == {"r1": "a", "r2": "c"}
    assert messages(read(matrix, q1_r1="zzz")) == ["Choose one of the answers in the list."]


@pytest.mark.parametrize("raw,expected", [("12", 12.0), ("3,5", 3.5), ("1e3", None),
                                          ("nan", None), ("tolv", None), ("-4", None)])
def test_numbers_are_checked_against_their_range(raw: str, expected: float | None) -> None:
    answer = read(question(QuestionKind.NUMBER, min=0, max=120), q1=raw)
    assert answer.number == expected
    assert bool(answer.errors) == (expected is None)


def test_texts_refuse_control_characters_and_overlong_input() -> None:
    short = question(QuestionKind.SHORT_TEXT)
    assert read(short, q1="  <script>alert(1)</script>  ").text == "<script>alert(1)</script>"
    assert messages(read(short, q1="a\x00b")) == [
        "The text contains characters that are not allowed."]
    assert messages(read(short, q1="x" * 201)) == ["Write at most 200 characters."]


def test_map_points_by_map_by_area_or_by_text() -> None:
    places = question(QuestionKind.MAP_POINT, max_points=3)
    answer = read(places, q1_p0_lat="59.511", q1_p0_lon="15.994", q1_p0_note="Mörkt",
                  q1_p1_area="kolsva", q1_p2_place="Stora torget")
    assert [(p.lat, p.area, p.place, p.note) for p in answer.points] == [
        (59.511, "", "", "Mörkt"), (None, "kolsva", "", ""), (None, "", "Stora torget", "")]
    assert messages(read(places, q1_p0_lat="59.5")) == [
        "A position needs both latitude and longitude."]
    assert messages(read(places, q1_p0_lat="48.85", q1_p0_lon="2.35")) == [
        "This place is outside Köping municipality."]
    assert messages(read(places, q1_p0_note="Här")) == [
        "Say where: mark the map, choose an area or write a place."]
    assert messages(read(places, q1_p0_area="paris")) == ["Choose an area from the list."]
    assert len(read(places, q1_p5_place="beyond the limit").points) == 0


def test_conditions_follow_answers_and_hidden_sources() -> None:
    first, second, third = (question(QuestionKind.SINGLE, qid) for qid in (1, 2, 3))
    second.condition = {"question": 1, "values": ["b", "c"]}
    third.condition = {"question": 2, "values": ["a"]}
    by_id = {q.id: q for q in (first, second, third)}
    answers = {1: read(first, q1="b"), 2: read(second, q2="a")}
    assert is_shown(second, answers, by_id) and is_shown(third, answers, by_id)
    answers[1] = read(first, q1="a")
    assert not is_shown(second, answers, by_id)
    assert not is_shown(third, answers, by_id)  # its source is hidden, so it is hidden too


def test_small_cells_are_suppressed_and_cannot_be_worked_out() -> None:
    assert statuses([10, 3, 7], exclusive=True) == [
        CellStatus.SHOWN, CellStatus.SMALL, CellStatus.HIDDEN]
    assert statuses([10, 3, 7], exclusive=False) == [
        CellStatus.SHOWN, CellStatus.SMALL, CellStatus.SHOWN]
    assert statuses([2, 4, 0, 9], exclusive=True) == [
        CellStatus.SMALL, CellStatus.SMALL, CellStatus.SHOWN, CellStatus.SHOWN]
    assert statuses([5, 0], exclusive=True) == [CellStatus.SHOWN, CellStatus.SHOWN]
    shown = cells(["Ja", "Nej", "Vet ej"], [12, 1, 7], 20, exclusive=True)
    assert [(c.count if c.is_shown else None, c.share) for c in shown] == [
        (12, 0.6), (None, None), (None, None)]
