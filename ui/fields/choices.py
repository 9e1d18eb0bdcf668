"""Answers chosen by touch: options with pictograms, yes/no, consent."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.catalog import FieldType
from kiosk.domain.answers import RawAnswer
from kiosk.domain.session import Choice, Question
from kiosk.i18n import _
from ui.fields.base import FieldEditor
from ui.screen_reader import OptionGroup
from ui.widgets.pictogram_button import PictogramButton

ICON_MM = 12.0
COLUMNS = 2


class ChoiceButtons(OptionGroup):
    """Big checkable buttons in a grid of two columns (one when there are few), named by
    the question: radio buttons for a screen reader when ``exclusive``, else check boxes.

    Exclusivity follows ``toggled``, not ``clicked``: a screen reader's "toggle" action
    checks a button without clicking it, and must still leave a single choice.
    No QButtonGroup: it would take every option but one out of the Tab order and then
    not move between them with the arrows either. Here each option is a Tab stop (4/6 on
    the keypad), Left/Right go to the previous/next control as Qt does for any button,
    and Up/Down (8/2 on the keypad) go to the previous/next option, in reading order.

    Signals:
        changed: the resident checked or unchecked an option (not emitted by ``choose``).
    """

    changed = Signal()

    def __init__(
        self,
        choices: tuple[Choice, ...],
        metrics: ScreenMetrics,
        *,
        exclusive: bool,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, exclusive=exclusive)
        self.setAccessibleName(name)
        self._syncing = False
        self.buttons: dict[str, PictogramButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.touch_spacing_px * 2)
        columns = 1 if len(choices) <= 2 else COLUMNS
        for index, choice in enumerate(choices):
            button = PictogramButton(choice.label, choice.pictogram, metrics.px(ICON_MM), self)
            button.setCheckable(True)
            button.setProperty("role", "tile")
            button.toggled.connect(lambda checked, key=choice.id: self._toggled(key, checked))
            grid.addWidget(button, index // columns, index % columns)
            self.buttons[choice.id] = button

    def _toggled(self, key: str, checked: bool) -> None:
        if self._syncing:
            return
        if self.exclusive and checked:
            self._syncing = True
            try:
                for other, button in self.buttons.items():
                    if other != key:
                        button.setChecked(False)
            finally:
                self._syncing = False
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up / Down, which an option ignores, move to the previous / next option."""
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        buttons = list(self.buttons.values())
        focused = next((i for i, b in enumerate(buttons) if b.hasFocus()), None)
        if step is None or focused is None:
            super().keyPressEvent(event)
            return
        target = min(max(focused + step, 0), len(buttons) - 1)
        buttons[target].setFocus(Qt.FocusReason.TabFocusReason)

    def chosen(self) -> list[str]:
        return [key for key, button in self.buttons.items() if button.isChecked()]

    def choose(self, keys: list[str]) -> None:
        self._syncing = True
        try:
            for key, button in self.buttons.items():
                button.setChecked(key in keys)
        finally:
            self._syncing = False


class ChoiceEditor(FieldEditor):
    """One option (single choice) or several (multiple choice), each with its pictogram."""

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self._multiple = question.type is FieldType.MULTIPLE_CHOICE
        self.options = ChoiceButtons(
            question.choices,
            metrics,
            exclusive=not self._multiple,
            name=question.label,
            parent=self,
        )
        self.options.changed.connect(self.changed)
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
        buttons = self.options.buttons
        first = buttons[chosen[0]] if chosen else next(iter(buttons.values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def reusable(self) -> bool:
        return True

    def clear_answer(self) -> None:
        self.options.choose([])


class _BooleanEditor(FieldEditor):
    """True/False through big labelled buttons."""

    def _labels(self) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        choices = tuple(Choice(key, label, None) for key, label in self._labels())
        self.options = ChoiceButtons(
            choices, metrics, exclusive=True, name=question.label, parent=self
        )
        self.options.changed.connect(self.changed)
        self.layout_.addWidget(self.options)

    def value(self) -> RawAnswer:
        chosen = self.options.chosen()
        return None if not chosen else chosen[0] == "yes"

    def set_value(self, raw: RawAnswer) -> None:
        if isinstance(raw, bool):
            self.options.choose(["yes" if raw else "no"])

    def focus_first(self) -> None:
        next(iter(self.options.buttons.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def reusable(self) -> bool:
        return True

    def clear_answer(self) -> None:
        self.options.choose([])


class YesNoEditor(_BooleanEditor):
    def _labels(self) -> tuple[tuple[str, str], ...]:
        return (("yes", _("Oui")), ("no", _("Non")))


class ConsentEditor(_BooleanEditor):
    def _labels(self) -> tuple[tuple[str, str], ...]:
        return (("yes", _("J'accepte")), ("no", _("Je n'accepte pas")))
