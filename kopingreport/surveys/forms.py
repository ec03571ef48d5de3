"""The coordinator's forms: a new survey, its settings, a section, a question, codes and the
results filter. Texts of the survey itself have one field per language (``title_sv`` …)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectChoice, SelectField, StringField
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from kopingreport.i18n import LANGUAGE_NAMES, _l
from kopingreport.nightwalks.forms import WholeNumberField
from kopingreport.surveys.labels import KIND_LABELS, TEMPLATE_LABELS
from kopingreport.surveys.editing import QuestionInput
from kopingreport.surveys.models import QuestionKind, SurveyQuestion
from kopingreport.surveys.texts import SURVEY_LANGUAGES, Texts
from kopingreport.web.fields import LocalDateTimeField, OptionalFloatField, no_control_characters

LINE_MAX = 200


def _no_controls(_form: Any, field: Field) -> None:
    """Like ``no_control_characters``, for fields where line breaks are not allowed either."""
    if "\n" in (field.data or "") or "\r" in (field.data or ""):
        raise ValidationError(_l("The text contains characters that are not allowed."))
    no_control_characters(_form, field)


def translated(name: str, *, long: bool = False, limit: int = 500) -> dict[str, Field]:
    """One field per survey language, ``<name>_sv`` … ``<name>_ar``, each labelled with its
    language (the template puts them in a fieldset named after the text)."""
    fields: dict[str, Field] = {}
    for lang in SURVEY_LANGUAGES:
        text = LANGUAGE_NAMES[lang]
        validators = [Length(max=limit, message=_l("Write at most %(max)d characters.")),
                      no_control_characters if long else _no_controls]
        factory = TextAreaField if long else StringField
        fields[f"{name}_{lang}"] = factory(text, validators=validators,
                                           render_kw={"lang": lang, "dir": "auto"})
    return fields


class TranslatedMixin:
    """Reading and filling the per-language fields."""

    def texts(self, name: str) -> Texts:
        """``{"sv": …, "fi": …}`` of a translated field (stripped, empty left out)."""
        found = {lang: (getattr(self, f"{name}_{lang}").data or "").strip()
                 for lang in SURVEY_LANGUAGES}
        return {lang: text for lang, text in found.items() if text}

    def fill_texts(self, name: str, texts: Texts) -> None:
        """Put stored texts in the fields."""
        for lang in SURVEY_LANGUAGES:
            getattr(self, f"{name}_{lang}").data = (texts or {}).get(lang, "")

    def lines(self, name: str) -> list[Texts]:
        """Option or row labels: line N of each language belongs together."""
        per_lang = {lang: [line.strip() for line in (getattr(self, f"{name}_{lang}").data
                                                      or "").splitlines() if line.strip()]
                    for lang in SURVEY_LANGUAGES}
        return [{lang: per_lang[lang][i] for lang in SURVEY_LANGUAGES
                 if i < len(per_lang[lang])} for i in range(len(per_lang["sv"]))]

    def fill_lines(self, name: str, items: list[dict[str, Any]]) -> None:
        """Put stored options or rows in the line fields."""
        for lang in SURVEY_LANGUAGES:
            getattr(self, f"{name}_{lang}").data = "\n".join(
                item["label"].get(lang, "") for item in items)

    def line_counts_match(self, name: str) -> bool:
        """Every language has as many lines as Swedish, or none."""
        counts = {lang: len([line for line in (getattr(self, f"{name}_{lang}").data or "")
                             .splitlines() if line.strip()]) for lang in SURVEY_LANGUAGES}
        return all(n in (0, counts["sv"]) for n in counts.values())


class NewSurveyForm(FlaskForm):
    """Start from a template or from scratch."""

    template = RadioField(_l("Start from"), default="ntu", validate_choice=False,
                          choices=[SelectChoice(code, label)
                                   for code, label in TEMPLATE_LABELS.items()])
    title = StringField(_l("Title in Swedish (for an empty survey)"),
                        validators=[Length(max=200), _no_controls])

    def validate_template(self, field: RadioField) -> None:
        if field.data not in TEMPLATE_LABELS:
            raise ValidationError(_l("Choose one of the answers in the list."))


class _SettingsBase(FlaskForm, TranslatedMixin):
    opens_at = LocalDateTimeField(_l("Opens"))
    closes_at = LocalDateTimeField(_l("Closes"))
    is_anonymous = BooleanField(_l("Anonymous: no identity is asked for or stored "
                                   "(one answer per phone or computer)"))
    is_code_required = BooleanField(_l("Only people with a code may answer (a letter "
                                       "campaign)"))
    is_results_public = BooleanField(_l("Residents may see the results (small groups are "
                                        "hidden)"))

    def __init__(self, *args: Any, area_codes: list[str], is_draft: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area_codes, self.chosen_languages, self.chosen_areas = area_codes, ["sv"], []
        self.is_draft = is_draft

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        languages = request.form.getlist("languages")
        areas = request.form.getlist("areas")
        if not set(languages) <= set(SURVEY_LANGUAGES) or not set(areas) <= set(self.area_codes):
            self.form_errors.append(_l("Choose one of the answers in the list."))
            return False
        self.chosen_languages = ["sv", *(lang for lang in SURVEY_LANGUAGES[1:]
                                        if lang in languages)]
        self.chosen_areas = areas
        if self.is_draft and not self.texts("title").get("sv"):
            self.title_sv.errors = [*self.title_sv.errors, _l(  # type: ignore[attr-defined]
                "Give the survey a title in Swedish.")]
            valid = False
        return valid


SettingsForm = type("SettingsForm", (_SettingsBase,), {
    **translated("title", limit=200),
    **translated("intro", long=True, limit=2000)})


SectionForm = type("SectionForm", (FlaskForm, TranslatedMixin), {
    **translated("title", limit=200),
    **translated("intro", long=True, limit=2000)})


class _QuestionBase(FlaskForm, TranslatedMixin):
    section = SelectField(_l("Section"), choices=[], validate_choice=False)
    kind = SelectField(_l("Question type"), validate_choice=False,
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    is_required = BooleanField(_l("An answer is required"))
    is_background = BooleanField(_l("Results can be filtered by this answer (respondent "
                                    "group)"))
    dont_know = BooleanField(_l("Add “Don't know”"))
    allow_other = BooleanField(_l("Add “Other, namely:” with a text field"))
    max_choices = WholeNumberField(_l("At most this many choices (empty: no limit)"),
                                   minimum=1, maximum=50, required=False)
    minimum = OptionalFloatField(_l("Smallest number allowed"), minimum=-1e9, maximum=1e9)
    maximum = OptionalFloatField(_l("Largest number allowed"), minimum=-1e9, maximum=1e9)
    max_points = WholeNumberField(_l("How many places may be marked"), minimum=1, maximum=10,
                                  required=False)

    def validate_kind(self, field: SelectField) -> None:
        if field.data not in set(QuestionKind):
            raise ValidationError(_l("Choose one of the answers in the list."))

    def validate_section(self, field: SelectField) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a section from the list."))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        self.condition_pairs: list[tuple[int, str]] = []
        for item in request.form.getlist("condition"):
            head, _sep, value = item.partition(":")
            if not (head.startswith("q") and head[1:].isdigit() and value):
                self.form_errors.append(_l("A condition must name answers of an earlier "
                                           "question."))
                return False
            self.condition_pairs.append((int(head[1:]), value))
        for name in ("options", "rows"):
            if not self.line_counts_match(name):
                field = getattr(self, f"{name}_sv")
                field.errors = [*field.errors, _l(
                    "Give every language as many lines as Swedish, or leave it empty.")]
                valid = False
        return valid


    def fill(self, question: SurveyQuestion) -> None:
        """Show a stored question in the form."""
        self.section.data, self.kind.data = str(question.section_id), question.kind
        for name in ("text", "help"):
            self.fill_texts(name, getattr(question, name))
        self.fill_texts("follow_up", question.settings.get("follow_up") or {})
        self.fill_lines("options", [o for o in question.options
                                    if o["value"] not in {"dont_know", "yes", "no"}])
        self.fill_lines("rows", question.rows)
        self.is_required.data, self.is_background.data = question.is_required, \
            question.is_background
        self.dont_know.data = any(o["value"] == "dont_know" for o in question.options)
        settings = question.settings
        self.allow_other.data = bool(settings.get("allow_other"))
        self.max_choices.data, self.max_points.data = settings.get("max_choices"), \
            settings.get("max_points")
        self.minimum.data, self.maximum.data = settings.get("min"), settings.get("max")

    def to_input(self) -> QuestionInput:
        """The validated question."""
        return QuestionInput(
            section_id=int(self.section.data), kind=QuestionKind(self.kind.data),
            text=self.texts("text"), help=self.texts("help"),
            is_required=bool(self.is_required.data),
            is_background=bool(self.is_background.data), options=self.lines("options"),
            rows=self.lines("rows"), dont_know=bool(self.dont_know.data),
            allow_other=bool(self.allow_other.data), max_choices=self.max_choices.data,
            minimum=self.minimum.data, maximum=self.maximum.data,
            max_points=self.max_points.data, follow_up=self.texts("follow_up"),
            condition=tuple(self.condition_pairs))


QuestionForm = type("QuestionForm", (_QuestionBase,), {
    **translated("text", long=True, limit=1000),
    **translated("help", long=True, limit=1000),
    **translated("options", long=True, limit=4000),
    **translated("rows", long=True, limit=4000),
    **translated("follow_up", limit=300)})


class CodesForm(FlaskForm):
    """How many codes to make, and for what."""

    label = StringField(_l("What the codes are for, e.g. “Meeting in Malmaberg 12 May”"),
                        validators=[Length(max=100), _no_controls])
    count = WholeNumberField(_l("Number of codes"), minimum=1, maximum=500)

    def validate_label(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Say what the codes are for."))
