"""Typed answers: one line (text, number, e-mail, phone) or a longer message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.catalog import FieldType
from kiosk.domain.answers import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT, RawAnswer
from kiosk.domain.session import Question
from ui.fields.base import FieldEditor
from ui.widgets.keyboard import MODE_PROPERTY, PERSONAL_DATA_PROPERTY

_KEYBOARD_MODES = {
    FieldType.NUMBER: "number",
    FieldType.EMAIL: "email",
    FieldType.PHONE_FR: "phone",
}
_INPUT_HINTS = {
    FieldType.NUMBER: Qt.InputMethodHint.ImhDigitsOnly,
    FieldType.EMAIL: Qt.InputMethodHint.ImhEmailCharactersOnly,
    FieldType.PHONE_FR: Qt.InputMethodHint.ImhDialableCharactersOnly,
}


def mark_field(widget: QWidget, question: Question, mode: str = "text") -> None:
    """Tell the on-screen keyboard which pad to show and whether the text is private."""
    widget.setProperty(MODE_PROPERTY, mode)
    widget.setProperty(PERSONAL_DATA_PROPERTY, question.personal)


class TextEditor(FieldEditor):
    """One line of text, with the pad that suits the question."""

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self.line = QLineEdit(self)
        self.line.setAccessibleName(question.label)
        self.line.setMaxLength(SHORT_TEXT_LIMIT)
        self.line.setInputMethodHints(_INPUT_HINTS.get(question.type, Qt.InputMethodHint.ImhNone))
        mark_field(self.line, question, _KEYBOARD_MODES.get(question.type, "text"))
        self.line.textChanged.connect(self.changed)
        self.line.returnPressed.connect(self.submitted)
        self.layout_.addWidget(self.line)

    def value(self) -> RawAnswer:
        return self.line.text()

    def set_value(self, raw: RawAnswer) -> None:
        self.line.setText(raw if isinstance(raw, str) else "")

    def focus_first(self) -> None:
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)
        self.line.end(False)


class LongTextEditor(FieldEditor):
    """A message of several lines."""

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(question.label)
        self.text.setTabChangesFocus(True)  # Tab leaves the box: no focus trap (5.1.6.2)
        self.text.setMinimumHeight(metrics.px(30))
        mark_field(self.text, question, "lines")  # the keyboard offers "À la ligne"
        self.text.textChanged.connect(self._limit)
        self.layout_.addWidget(self.text)

    def _limit(self) -> None:
        content = self.text.toPlainText()
        if len(content) > LONG_TEXT_LIMIT:
            self.text.setPlainText(content[:LONG_TEXT_LIMIT])
            self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        self.changed.emit()

    def value(self) -> RawAnswer:
        return self.text.toPlainText()

    def set_value(self, raw: RawAnswer) -> None:
        self.text.setPlainText(raw if isinstance(raw, str) else "")

    def focus_first(self) -> None:
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)
