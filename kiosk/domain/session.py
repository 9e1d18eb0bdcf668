"""One resident's visit to one démarche, in memory only: answers, position, review, wipe.

The screens drive a ``DemarcheSession`` and render what it says:

    session = DemarcheSession.start(catalog, "signalement-voirie", language="fr")
    question = session.question()          # what to draw: label, help, options, raw, error
    session.answer(question.id, "12 rue des Lilas")   # -> Validation (raw text kept)
    result = session.next()                # checks the current answer, moves on if good
    if not result.ok: show(result.error)   # stays on the same question
    session.at_review -> review_items() -> go_to(field_id) ("Modifier") -> next() -> review
    submission = session.build_submission(assisted=False)
    session.wipe()                         # after the queue stored it, or on "Abandonner"

Only shown questions count: a question hidden by a condition is skipped, and its answer is
neither reviewed nor sent.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kiosk.catalog.model import Catalog, Demarche, Field, FieldType, localized
from kiosk.catalog.validators import AnswerValue, Validation
from kiosk.domain.answers import RawAnswer, check_answer, is_empty
from kiosk.domain.conditions import destination_service, visible_fields
from kiosk.domain.reference import new_reference
from kiosk.domain.review import format_answer
from kiosk.domain.submission import Submission
from kiosk.i18n import _


class SessionIncompleteError(ValueError):
    """A submission was asked for while a shown question still needs an answer."""

    def __init__(self, field_id: str) -> None:
        super().__init__(f"field {field_id!r} has no valid answer yet")
        self.field_id = field_id


@dataclass(frozen=True)
class Choice:
    """One option as the screen shows it."""

    id: str
    label: str
    pictogram: Path | None


@dataclass(frozen=True)
class Question:
    """Everything a screen needs to draw the current question, already in one language."""

    id: str
    type: FieldType
    label: str
    help: str
    choices: tuple[Choice, ...]  # options of a choice, or places of a place question
    required: bool
    personal: bool  # speak only through private listening; never log
    raw: RawAnswer  # what was typed or chosen so far, even if it was refused
    error: str | None  # message to show next to the field
    step_number: int
    step_total: int
    step_text: str  # "Étape 3 sur 7"
    free_text: bool = False  # a place question also accepts an address typed freely


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review screen: the question and the answer in plain words."""

    field_id: str
    label: str
    answer: str
    personal: bool


class DemarcheSession:
    """The answers and position of one resident in one démarche; nothing touches disk."""

    def __init__(
        self,
        demarche: Demarche,
        *,
        reference_prefix: str = "ADM",
        language: str = "fr",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.demarche = demarche
        self.reference_prefix = reference_prefix
        self.language = language
        self._today = today
        self._raw: dict[str, RawAnswer] = {}
        self._values: dict[str, AnswerValue] = {}
        self._errors: dict[str, str] = {}
        self._current: str | None = demarche.fields[0].id
        self._return_to_review = False

    @classmethod
    def start(
        cls, catalog: Catalog, demarche_id: str, *, language: str = "fr",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> DemarcheSession:
        """A fresh session for one démarche of ``catalog`` (KeyError for an unknown id)."""
        return cls(
            catalog.demarche(demarche_id),
            reference_prefix=catalog.commune.reference_prefix,
            language=language,
            today=today,
        )

    # ------------------------------------------------------------ where we are

    @property
    def fields(self) -> tuple[Field, ...]:
        """The questions shown with the answers so far, in order."""
        return visible_fields(self.demarche, self._values)

    @property
    def current(self) -> Field | None:
        """The question on screen, or None on the review screen."""
        return None if self._current is None else self.demarche.field(self._current)

    @property
    def at_review(self) -> bool:
        return self._current is None

    @property
    def returning_to_review(self) -> bool:
        """True after "Modifier": "Suivant" goes back to the review once all is answered."""
        return self._return_to_review

    @property
    def step_number(self) -> int:
        """1-based position of the current question (the total on the review screen)."""
        fields = self.fields
        if self._current is None:
            return len(fields)
        return next(i for i, f in enumerate(fields, 1) if f.id == self._current)

    @property
    def step_total(self) -> int:
        return len(self.fields)

    def step_text(self) -> str:
        """ "Étape 3 sur 7" in the current language."""
        return _("Étape {number} sur {total}").format(
            number=self.step_number, total=self.step_total
        )

    def raw(self, field_id: str) -> RawAnswer:
        """What was typed or chosen for ``field_id``, even if it was refused."""
        return self._raw.get(field_id)

    def value(self, field_id: str) -> AnswerValue | None:
        """The checked, normalised answer of ``field_id``, or None."""
        return self._values.get(field_id)

    def error(self, field_id: str | None = None) -> str | None:
        """The message for ``field_id`` (default: the current question), or None."""
        target = field_id or self._current
        return None if target is None else self._errors.get(target)

    def question(self) -> Question | None:
        """The current question, ready to draw in ``self.language`` (None at review)."""
        field = self.current
        if field is None:
            return None
        return Question(
            id=field.id,
            type=field.type,
            label=localized(field.label, self.language),
            help=localized(field.help, self.language),
            choices=tuple(
                Choice(o.id, localized(o.label, self.language), o.pictogram_path)
                for o in field.options
            ),
            required=field.required,
            personal=field.personal,
            raw=self.raw(field.id),
            error=self.error(field.id),
            step_number=self.step_number,
            step_total=self.step_total,
            step_text=self.step_text(),
            free_text=field.type is FieldType.PLACE and field.free_text,
        )

    # ------------------------------------------------------------ answering, moving

    def answer(self, field_id: str, raw: RawAnswer) -> Validation:
        """Record ``raw`` for ``field_id`` and check it; the raw answer is kept either way."""
        field = self.demarche.field(field_id)
        self._raw[field_id] = raw
        result = check_answer(field, raw, today=self._today(), language=self.language)
        if result.ok:
            self._errors.pop(field_id, None)
            if result.value is None:
                self._values.pop(field_id, None)
            else:
                self._values[field_id] = result.value
        else:
            self._values.pop(field_id, None)
            self._errors[field_id] = result.error or ""
        return result

    def keep(self, field_id: str, raw: RawAnswer) -> None:
        """Remember what is on screen when leaving it ("Retour", a language change).

        Like ``answer``, except that a question left empty gets no error: the resident did
        not try to answer it yet. It is still required when "Suivant" or "Envoyer" comes.
        """
        result = self.answer(field_id, raw)
        if not result.ok and is_empty(raw):
            self._errors.pop(field_id, None)

    def next(self) -> Validation:
        """ "Suivant": check the current answer; if good, go to the next question or review.

        On a refused answer the session stays on the question and returns the message.
        """
        field = self.current
        if field is None:
            return Validation.valid(None)
        result = self.answer(field.id, self.raw(field.id))
        if not result.ok:
            return result
        if self._return_to_review:
            missing = self.first_incomplete()
            self._current = None if missing is None else missing.id
            self._return_to_review = missing is not None
            return result
        fields = self.fields
        position = next(i for i, f in enumerate(fields) if f.id == field.id)
        self._current = fields[position + 1].id if position + 1 < len(fields) else None
        return result

    def back(self) -> bool:
        """ "Retour": the previous question (the last one from the review).

        False on the first question: the screen then offers to go home (and wipe).
        """
        fields = self.fields
        self._return_to_review = False
        if self._current is None:
            self._current = fields[-1].id
            return True
        position = next(i for i, f in enumerate(fields) if f.id == self._current)
        if position == 0:
            return False
        self._current = fields[position - 1].id
        return True

    def go_to(self, field_id: str) -> None:
        """ "Modifier" on the review: that question, then back to the review after it."""
        if all(f.id != field_id for f in self.fields):
            raise KeyError(field_id)
        self._current = field_id
        self._return_to_review = True

    def first_incomplete(self) -> Field | None:
        """The first shown question that still needs a (valid) answer, or None."""
        for field in self.fields:
            if not field.takes_answer:
                continue
            if field.id in self._errors or (field.required and field.id not in self._values):
                return field
        return None

    # ------------------------------------------------------------ review and sending

    def review_items(self, language: str | None = None) -> tuple[ReviewItem, ...]:
        """Every shown question with its answer in plain words (information pages left out)."""
        lang = language or self.language
        return tuple(
            ReviewItem(
                field_id=field.id,
                label=localized(field.label, lang),
                answer=format_answer(field, self._values.get(field.id), lang),
                personal=field.personal,
            )
            for field in self.fields
            if field.takes_answer
        )

    def destination(self) -> str:
        """The id of the service that will receive the démarche, with the answers so far."""
        return destination_service(self.demarche, self._values)

    def build_submission(
        self,
        language: str | None = None,
        assisted: bool = False,
        clock: Callable[[], dt.datetime] | None = None,
        uuid: Callable[[], uuid_module.UUID] = uuid_module.uuid4,
    ) -> Submission:
        """The frozen Submission of the shown answers; ``SessionIncompleteError`` if one is missing.

        ``clock`` must give an aware datetime (default: now in UTC); ``uuid`` the
        idempotency key (default ``uuid4``).
        """
        missing = self.first_incomplete()
        if missing is not None:
            raise SessionIncompleteError(missing.id)
        now = clock() if clock is not None else dt.datetime.now(dt.UTC)
        if now.tzinfo is None:
            raise ValueError("the clock must give a datetime with a time zone")
        shown = [f for f in self.fields if f.takes_answer and f.id in self._values]
        return Submission(
            id=str(uuid()),
            reference=new_reference(self.reference_prefix),
            demarche_id=self.demarche.id,
            demarche_version=self.demarche.version,
            service_id=self.destination(),
            answers=MappingProxyType({f.id: self._values[f.id] for f in shown}),
            personal_fields=tuple(f.id for f in shown if f.personal),
            language=language or self.language,
            created_at=now.isoformat(timespec="seconds"),
            assisted=assisted,
        )

    def wipe(self) -> None:
        """Forget every answer (on "Abandonner", timeout, or once the queue holds it)."""
        self._raw.clear()
        self._values.clear()
        self._errors.clear()
        self._current = self.demarche.fields[0].id
        self._return_to_review = False
