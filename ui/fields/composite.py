"""Answers in several boxes: a date (day, month, year), a postal address, a place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.domain.answers import RawAnswer
from kiosk.domain.session import Question
from kiosk.i18n import _
from ui.fields.base import FieldEditor
from ui.fields.choices import ChoiceButtons
from ui.fields.text import mark_field


class _BoxesEditor(FieldEditor):
    """Labelled one-line boxes; the raw answer is a mapping of box name to text."""

    def _boxes(self) -> tuple[tuple[str, str, str, int, int], ...]:
        """(key, label, keyboard mode, max length, width in mm) of each box."""
        raise NotImplementedError

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self.boxes: dict[str, QLineEdit] = {}
        self._holder = holder = QWidget(self)
        self._grid = grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(metrics.px(5))
        for column, (key, label, mode, max_length, width_mm) in enumerate(self._boxes()):
            caption = QLabel(label, holder)
            box = QLineEdit(holder)
            box.setAccessibleName(f"{label} - {question.label}")
            box.setMaxLength(max_length)
            if width_mm:
                box.setFixedWidth(metrics.px(width_mm))
            mark_field(box, question, mode)
            caption.setBuddy(box)
            box.textChanged.connect(self.changed)
            box.returnPressed.connect(self._next_box_or_submit)
            grid.addWidget(caption, *self._position(column, 0))
            grid.addWidget(box, *self._position(column, 1))
            self.boxes[key] = box
        self.layout_.addWidget(holder, 0, Qt.AlignmentFlag.AlignLeft)

    def _position(self, index: int, row: int) -> tuple[int, int]:
        return row, index  # boxes side by side

    def _next_box_or_submit(self) -> None:
        boxes = list(self.boxes.values())
        current = next((i for i, b in enumerate(boxes) if b.hasFocus()), len(boxes) - 1)
        if current + 1 < len(boxes):
            boxes[current + 1].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.submitted.emit()

    def value(self) -> RawAnswer:
        return {key: box.text() for key, box in self.boxes.items()}

    def set_value(self, raw: RawAnswer) -> None:
        if isinstance(raw, dict):
            for key, box in self.boxes.items():
                text = raw.get(key, "")
                box.setText(text if isinstance(text, str) else "")

    def focus_first(self) -> None:
        empty = [b for b in self.boxes.values() if not b.text()]
        (empty or list(self.boxes.values()))[0].setFocus(Qt.FocusReason.OtherFocusReason)


class DateEditor(_BoxesEditor):
    """Day, month and year in three boxes, in the French order, in every language."""

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)

    def _boxes(self) -> tuple[tuple[str, str, str, int, int], ...]:
        return (
            ("day", _("Jour"), "date", 2, 30),
            ("month", _("Mois"), "date", 2, 30),
            ("year", _("Année"), "date", 4, 45),
        )


class AddressEditor(_BoxesEditor):
    """Street, postcode and commune side by side, each under its label, the street the
    widest: one row of boxes, so that the keyboard fits under it at the largest text on a
    1280x800 panel (one box per line needed 1027 px of height there)."""

    def _boxes(self) -> tuple[tuple[str, str, str, int, int], ...]:
        return (
            ("street", _("Numéro et rue"), "text", 120, 0),
            ("postcode", _("Code postal"), "postcode", 5, 45),
            ("commune", _("Commune"), "text", 80, 0),
        )

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self._grid.setColumnStretch(0, 3)  # the street: the longest line
        self._grid.setColumnStretch(2, 2)
        self.layout_.setAlignment(self._holder, Qt.AlignmentFlag(0))  # the whole width


class PlaceEditor(FieldEditor):
    """A place of the commune from the list, or (when allowed) an address typed freely.

    Kept between visits (``EditorShelf``) for its tiles; the box of a typed address is
    made anew each time the answer is cleared, and the old one destroyed with its text.
    """

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(question, metrics, parent)
        self.options = ChoiceButtons(
            question.choices, metrics, exclusive=True, name=question.label, parent=self
        )
        self.options.changed.connect(self._place_chosen)
        self.layout_.addWidget(self.options)
        self.free: QLineEdit | None = None
        self._caption: QLabel | None = None
        if question.free_text:
            self._caption = QLabel(_("Ou écrivez l'adresse :"), self)
            self.layout_.addWidget(self._caption)
            self.free = self._new_free_box()

    def _new_free_box(self) -> QLineEdit:
        box = QLineEdit(self)
        box.setAccessibleName(_("Adresse écrite"))
        box.setMaxLength(200)
        mark_field(box, self.question)
        if self._caption is not None:
            self._caption.setBuddy(box)
        box.textEdited.connect(self._text_typed)
        box.returnPressed.connect(self.submitted)
        self.layout_.addWidget(box)
        return box

    def _place_chosen(self) -> None:
        if self.free is not None and self.options.chosen() and self.free.text():
            self.free.clear()
            self.tell(_("L'adresse écrite est effacée."))
        self.changed.emit()

    def _text_typed(self) -> None:
        chosen = self.options.chosen()
        if chosen:
            self.options.choose([])
            place = self.options.buttons[chosen[0]].accessibleName()
            self.tell(_("{place} n'est plus choisi : l'adresse écrite compte.").format(place=place))
        self.changed.emit()

    def value(self) -> RawAnswer:
        chosen = self.options.chosen()
        if chosen:
            return chosen[0]
        if self.free is not None and self.free.text().strip():
            return {"text": self.free.text()}
        return None

    def set_value(self, raw: RawAnswer) -> None:
        if isinstance(raw, str) and raw in self.options.buttons:
            self.options.choose([raw])
        elif isinstance(raw, dict) and self.free is not None:
            text = raw.get("text", "")
            self.free.setText(text if isinstance(text, str) else "")

    def reusable(self) -> bool:
        return True

    def clear_answer(self) -> None:
        self.options.choose([])
        if self.free is not None:
            old = self.free
            self.layout_.removeWidget(old)
            old.hide()  # no tab stop while it waits to be destroyed
            old.deleteLater()  # later: its own Enter may be what is running now
            self.free = self._new_free_box()

    def focus_first(self) -> None:
        buttons = list(self.options.buttons.values())
        target = buttons[0] if buttons else self.free  # a catalog may list no places
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
