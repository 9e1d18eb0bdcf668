"""Editors of tiles kept between questions and visits, instead of being built per click.

Every widget made costs a polish under the application's stylesheet: building a choice of
fourteen places made "Suivant" take 17 ms, most of a click (bench/navigation.py). An
editor that holds nothing typed (tiles, yes/no, consent, an information page) is put
back here when its question leaves the screen, with its choice cleared, and taken again
the next time the same question is shown, to this resident or the next.

Editors of typed text are never kept: each question gets a fresh one and loses it with
its text (no buffer nor undo history outlives the question).
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import shiboken6
from PySide6.QtWidgets import QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.catalog import FieldType
from kiosk.domain.session import Choice, Question
from kiosk.i18n import current_language
from ui.fields.base import FieldEditor, InfoEditor
from ui.fields.choices import ChoiceEditor, ConsentEditor, YesNoEditor
from ui.fields.composite import AddressEditor, DateEditor, PlaceEditor
from ui.fields.text import LongTextEditor, TextEditor

_EDITORS: dict[FieldType, type[FieldEditor]] = {
    FieldType.SHORT_TEXT: TextEditor,
    FieldType.NUMBER: TextEditor,
    FieldType.EMAIL: TextEditor,
    FieldType.PHONE_FR: TextEditor,
    FieldType.LONG_TEXT: LongTextEditor,
    FieldType.DATE: DateEditor,
    FieldType.SINGLE_CHOICE: ChoiceEditor,
    FieldType.MULTIPLE_CHOICE: ChoiceEditor,
    FieldType.YES_NO: YesNoEditor,
    FieldType.CONSENT: ConsentEditor,
    FieldType.ADDRESS_FR: AddressEditor,
    FieldType.PLACE: PlaceEditor,
    FieldType.INFO: InfoEditor,
}


class _Shape(NamedTuple):
    """What an editor's making reads of its question; questions of one shape share an
    editor. Listed here, not taken from ``Question`` as a whole: a field added to it
    for one visit must not make every visit's editor a new one."""

    type: FieldType
    id: str
    label: str
    choices: tuple[Choice, ...]
    personal: bool
    free_text: bool


def _shape(question: Question) -> _Shape:
    return _Shape(
        question.type, question.id, question.label, question.choices, question.personal,
        question.free_text,
    )


def _unanswered(question: Question) -> Question:
    """``question`` without this visit's answer, error and position: what an editor is
    built from, so that one kept for the next resident holds nothing of this one."""
    return dataclasses.replace(
        question, raw=None, error=None, step_number=0, step_total=0, step_text=""
    )


class EditorShelf:
    """Hands out the editor of a question and takes it back when the question leaves."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget) -> None:
        self._metrics = metrics
        self._parent = parent
        self._kept: dict[_Shape, FieldEditor] = {}
        self._language = current_language()  # of the kept editors' own words ("Oui")

    def take(self, question: Question) -> FieldEditor:
        """The editor for ``question``, showing what the resident already answered."""
        if current_language() != self._language:
            self.empty()
            self._language = current_language()
        editor = self._kept.pop(_shape(question), None)
        if editor is None:
            made = _unanswered(question)
            editor = _EDITORS[question.type](made, self._metrics, self._parent)
        editor.set_value(question.raw)
        return editor

    def put_back(self, editor: FieldEditor) -> None:
        """``editor`` left the screen: kept with its answer cleared if it holds nothing
        typed, else destroyed with what was typed in it. An editor that fails to clear
        is destroyed too, never kept."""
        editor.hide()
        shape = _shape(editor.question)  # the question it was built for
        if editor.reusable() and shape not in self._kept:
            try:
                editor.clear_answer()
            except Exception:
                editor.deleteLater()
                raise
            self._kept[shape] = editor
        else:
            editor.deleteLater()

    def empty(self) -> None:
        """Destroy every kept editor now, not later: before a new stylesheet re-polishes
        every widget of the window, kept ones included (their hundreds of widgets would
        add to the resident's wait).
        Safe: a kept editor is hidden and disconnected, and no call of its own can be
        running, as long as this is called from outside the editors (a restyle, a new
        catalog, a language change from the language card: never from an editor's own
        signal)."""
        kept = list(self._kept.values())
        self._kept.clear()
        for editor in kept:
            shiboken6.delete(editor)

    def __len__(self) -> int:
        return len(self._kept)
