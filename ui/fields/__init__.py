"""One editor per kind of question; ``editor_for`` picks it from the question's type."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.catalog import FieldType
from kiosk.domain.session import Question
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


def editor_for(question: Question, metrics: ScreenMetrics, parent: QWidget) -> FieldEditor:
    """The editor for ``question``, showing what the resident already answered."""
    editor = _EDITORS[question.type](question, metrics, parent)
    editor.set_value(question.raw)
    return editor


__all__ = ["FieldEditor", "editor_for"]
