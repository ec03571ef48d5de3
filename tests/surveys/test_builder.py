"""The survey life cycle and editing services: templates, publish, frozen questions, copies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from kopingreport.db import get_session
from kopingreport.surveys import builder, editing, library, queries
from kopingreport.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveyState


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield get_session()


def ntu(session: Session) -> Survey:
    survey = builder.create_survey(session, None, "ntu")
    session.commit()
    return queries.load_survey(session, survey.id)  # type: ignore[return-value]


def test_the_ntu_template_has_the_wordings_and_its_conditions(session: Session) -> None:
    survey = ntu(session)
    questions = survey.questions
    assert len(survey.sections) == 5 and len(questions) == 14
    assert survey.languages == ["sv", "fi", "en", "ar"]
    evening = questions[2]
    assert evening.text["sv"] == ("Hur trygg eller otrygg känner du dig när du går ut ensam sent "
                                  "en kväll i ditt eget bostadsområde?")
    assert [o["label"]["sv"] for o in evening.options] == [
        "Mycket trygg", "Ganska trygg", "Ganska otrygg", "Mycket otrygg",
        "Går aldrig ut ensam sent", "Vet ej"]
    assert questions[3].condition == {"question": evening.id, "values": ["gar_aldrig_ut"]}
    assert questions[9].condition == {"question": questions[8].id, "values": ["ett", "flera"]}
    assert questions[10].kind == QuestionKind.MAP_POINT
    assert questions[11].settings == {"max_choices": 3, "allow_other": True}
    assert builder.publish_problems(survey) == []


def test_every_template_text_is_in_all_four_languages() -> None:
    for code in library.TEMPLATE_CODES:
        data = library.template(code)
        texts = [data["title"], data["intro"]]
        for section in data["sections"]:
            texts.append(section["title"])
            for q in section["questions"]:
                texts += [q["text"], *(o["label"] for o in q.get("options", []) + q.get(
                    "rows", []))]
        for text in texts:
            assert set(text) == {"sv", "fi", "en", "ar"} and all(text.values()), text


def test_a_published_survey_is_frozen_and_a_new_version_is_a_copy(session: Session) -> None:
    survey = ntu(session)
    builder.publish(session, None, survey)
    session.commit()
    assert survey.state == SurveyState.PUBLISHED and survey.published_at is not None
    first = survey.questions[0]
    with pytest.raises(builder.BuilderError):
        editing.save_question(session, None, survey, first, editing.QuestionInput(
            section_id=first.section_id, kind=first.kind, text={"sv": "Ändrad"}))
    with pytest.raises(builder.BuilderError):
        editing.delete_question(session, None, first)
    copy = builder.copy_survey(session, None, survey)
    session.commit()
    assert (copy.version, copy.previous_id, copy.state) == (2, survey.id, SurveyState.DRAFT)
    assert copy.salt != survey.salt
    old, new = survey.questions, copy.questions
    assert [q.text for q in new] == [q.text for q in old]
    assert {q.id for q in new}.isdisjoint({q.id for q in old})
    assert new[3].condition == {"question": new[2].id, "values": ["gar_aldrig_ut"]}


def test_an_empty_survey_needs_a_question_and_a_swedish_title(session: Session) -> None:
    with pytest.raises(builder.BuilderError):
        builder.create_survey(session, None, None, "   ")
    survey = builder.create_survey(session, None, None, "Ny enkät")
    assert [str(p) for p in builder.publish_problems(survey)] == ["Lägg till minst en fråga."]
    with pytest.raises(builder.BuilderError):
        builder.publish(session, None, survey)
    assert survey.state == SurveyState.DRAFT


def test_offered_languages_must_be_complete_before_publishing(session: Session) -> None:
    survey = builder.create_survey(session, None, None, "Ny enkät")
    survey.languages = ["sv", "fi"]
    editing.save_question(session, None, survey, None, editing.QuestionInput(
        section_id=survey.sections[0].id, kind=QuestionKind.YES_NO,
        text={"sv": "Känner du dig trygg?"}))
    problems = [str(p) for p in builder.publish_problems(survey)]
    assert len(problems) == 1 and "Suomi" in problems[0]
    survey.title = {"sv": "Ny enkät", "fi": "Uusi kysely"}
    assert len(builder.publish_problems(survey)) == 1  # the question is still only in Swedish
    survey.questions[0].text = {"sv": "Känner du dig trygg?", "fi": "Tunnetko olosi turvalliseksi?"}
    assert builder.publish_problems(survey) == []


def test_editing_options_keeps_their_values_and_checks_conditions(session: Session) -> None:
    survey = builder.create_survey(session, None, None, "Ny enkät")
    section = survey.sections[0].id
    source = editing.save_question(session, None, survey, None, editing.QuestionInput(
        section_id=section, kind=QuestionKind.SINGLE, text={"sv": "Var bor du?"},
        options=[{"sv": "Stan"}, {"sv": "Landet"}]))
    values = [o["value"] for o in source.options]
    follow = editing.save_question(session, None, survey, None, editing.QuestionInput(
        section_id=section, kind=QuestionKind.SHORT_TEXT, text={"sv": "Var på landet?"},
        condition=[(source.id, values[1])]))
    assert follow.condition == {"question": source.id, "values": [values[1]]}
    editing.save_question(session, None, survey, source, editing.QuestionInput(
        section_id=section, kind=QuestionKind.SINGLE, text={"sv": "Var bor du?"},
        options=[{"sv": "Staden"}, {"sv": "Landsbygden"}, {"sv": "Vill inte säga"}]))
    assert [o["value"] for o in source.options][:2] == values
    with pytest.raises(builder.BuilderError) as err:
        editing.save_question(session, None, survey, None, editing.QuestionInput(
            section_id=section, kind=QuestionKind.SHORT_TEXT, text={"sv": "x"},
            condition=[(source.id, "no-such-value")]))
    assert err.value.field == "condition"
    editing.move_question(session, None, follow, -1)
    assert any("villkor" in str(p) for p in builder.publish_problems(survey))
    editing.delete_question(session, None, source)
    assert follow.condition is None and builder.publish_problems(survey) == []


def test_settings_after_publication_change_only_dates_areas_and_public_results(
        session: Session) -> None:
    survey = ntu(session)
    builder.publish(session, None, survey)
    title = dict(survey.title)
    builder.update_settings(session, None, survey, builder.Settings(
        title={"sv": "Något annat"}, intro={}, languages=["sv"], opens_at=None, closes_at=None,
        area_codes=["kolsva"], is_anonymous=False, is_code_required=True,
        is_results_public=True))
    assert survey.title == title and survey.is_anonymous and not survey.is_code_required
    assert [a.code for a in survey.areas] == ["kolsva"] and survey.is_results_public


def test_a_draft_without_responses_can_be_deleted(session: Session) -> None:
    survey = ntu(session)
    builder.delete_draft(session, None, survey)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(SurveyQuestion)) == 0
