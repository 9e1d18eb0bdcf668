"""Answers chosen by touch: options with pictograms, yes/no, consent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.catalog import FieldType
from kiosk.domain.answers import RawAnswer
from kiosk.domain.session import Choice, Question
from kiosk.i18n import _
from ui.fields.base import FieldEditor
from ui.widgets.pictogram_button import PictogramButton

ICON_MM = 12.0
COLUMNS = 2


class ChoiceButtons(QWidget):
    """Big checkable buttons in a grid of two columns (one when there are few)."""

    def __init__(
        self,
        choices: tuple[Choice, ...],
        metrics: ScreenMetrics,
        *,
        exclusive: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusivity by hand: a choice can be taken back
        self._exclusive = exclusive
        self.buttons: dict[str, PictogramButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.touch_spacing_px * 2)
        columns = 1 if len(choices) <= 2 else COLUMNS
        for index, choice in enumerate(choices):
            button = PictogramButton(choice.label, choice.pictogram, metrics.px(ICON_MM), self)
            button.setCheckable(True)
            button.setProperty("role", "tile")
            button.clicked.connect(lambda _checked=False, key=choice.id: self._pressed(key))
            self.group.addButton(button)
            grid.addWidget(button, index // columns, index % columns)
            self.buttons[choice.id] = button

    def _pressed(self, key: str) -> None:
        if self._exclusive and self.buttons[key].isChecked():
            for other, button in self.buttons.items():
                if other != key:
                    button.setChecked(False)

    def chosen(self) -> list[str]:
        return [key for key, button in self.buttons.items() if button.isChecked()]

    def choose(self, keys: list[str]) -> None:
        for key, button in self.buttons.items():
            button.setChecked(key in keys)


class ChoiceEditor(FieldEditor):
    """One option (single choice) or several (multiple choice), each with its pictogram."""

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self._multiple = question.type is FieldType.MULTIPLE_CHOICE
        self.options = ChoiceButtons(
            question.choices, metrics, exclusive=not self._multiple, parent=self
        )
        self.options.group.buttonClicked.connect(lambda _button: self.changed.emit())
        self.layout_.addWidget(self.options)

    def value(self) -> RawAnswer:
        chosen = self.options.chosen()
        if self._multiple:
            return chosen
        return chosen[0] if chosen else None

    def set_value(self, raw: RawAnswer) -> None:
        if isinstance(raw, str):
            self.options.choose([raw])
        elif isinstance(raw, list | tuple):
            self.options.choose([str(k) for k in raw])

    def focus_first(self) -> None:
        chosen = self.options.chosen()
        first = self.options.buttons[chosen[0]] if chosen else next(iter(self.options.buttons.values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def spoken_value(self) -> str:
        return ", ".join(self.options.buttons[k].text() for k in self.options.chosen())


class _BooleanEditor(FieldEditor):
    """True/False through big labelled buttons."""

    def _labels(self) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        choices = tuple(Choice(key, label, None) for key, label in self._labels())
        self.options = ChoiceButtons(choices, metrics, exclusive=True, parent=self)
        self.options.group.buttonClicked.connect(lambda _button: self.changed.emit())
        self.layout_.addWidget(self.options)

    def value(self) -> RawAnswer:
        chosen = self.options.chosen()
        return None if not chosen else chosen[0] == "yes"

    def set_value(self, raw: RawAnswer) -> None:
        if isinstance(raw, bool):
            self.options.choose(["yes" if raw else "no"])

    def focus_first(self) -> None:
        next(iter(self.options.buttons.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def spoken_value(self) -> str:
        return ", ".join(self.options.buttons[k].text() for k in self.options.chosen())


class YesNoEditor(_BooleanEditor):
    def _labels(self) -> tuple[tuple[str, str], ...]:
        return (("yes", _("Oui")), ("no", _("Non")))


class ConsentEditor(_BooleanEditor):
    def _labels(self) -> tuple[tuple[str, str], ...]:
        return (("yes", _("J'accepte")), ("no", _("Je n'accepte pas")))
