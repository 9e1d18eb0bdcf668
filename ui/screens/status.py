""""Où en est ma demande ?": the resident types the reference of their receipt and reads
(and, in audio mode, hears) where the request is.

The screen draws what it is given: the composition root (``wiring.status_desk``) reads the
reference, asks the queue and the back office, and hands back the answer in words.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.domain.reference import spell_reference
from kiosk.i18n import _, current_language
from ui.keypad import BACK_PROPERTY
from ui.screen_reader import Heading
from ui.screens.frame import chain_focus, screen_layout
from ui.screens.question import KEYBOARD_SHOWN_OR_HIDDEN, ErrorMessage
from ui.typography import show_text
from ui.widgets.keyboard import MODE_PROPERTY, KeyboardController, OnScreenKeyboard

EXAMPLE = "ADM-7K3-Q9P"
MAX_TYPED = 32  # a reference is 11 characters; room for spaces typed between them


class StatusScreen(QWidget):
    """The reference box with the kiosk's keyboard, "Chercher", the answer, "Retour".

    Signals:
        search_requested(str): "Chercher", Enter or "Valider", with the text as typed.
        back_requested: "Retour" (back to the welcome screen).
    """

    search_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.title = Heading(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.instruction = QLabel(self)
        self.instruction.setWordWrap(True)

        self.field = QLineEdit(self)
        self.field.setMaxLength(MAX_TYPED)
        self.field.setProperty(MODE_PROPERTY, "text")  # letters and digits, and the dash
        self.field.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhPreferUppercase
        )
        self.field.returnPressed.connect(self._search)
        self.error = ErrorMessage(self)

        self.answer = QLabel(self)
        self.answer.setProperty("role", "answer")
        self.answer.setWordWrap(True)
        # The focus goes to the answer once it is there: a screen reader reads it at once.
        self.answer.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.answer.hide()

        self.keyboard = OnScreenKeyboard(metrics, self)
        self.keyboard.hide()
        self.keyboard.installEventFilter(self)
        self.keyboard.accepted.connect(self._search)
        self.keyboard_controller = KeyboardController(self.keyboard)

        self.back = QPushButton(self)
        self.back.setProperty(BACK_PROPERTY, True)  # keypad 1
        self.back.clicked.connect(self.back_requested)
        self.search = QPushButton(self)
        self.search.setProperty("role", "primary")
        self.search.setProperty("sizing", "wide")
        self.search.clicked.connect(self._search)
        self._lay_out(metrics)
        chain_focus((self.field, self.answer, self.back, self.search))
        self.retranslate()

    def _lay_out(self, metrics: ScreenMetrics) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(metrics.px(8))
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.search)
        layout = screen_layout(self, metrics)
        layout.addWidget(self.title)
        layout.addWidget(self.instruction)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addWidget(self.keyboard)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.keyboard.retranslate()
        show_text(self.title, _("Où en est ma demande ?"))
        self.setAccessibleName(self.title.accessibleName())
        self.instruction.setText(self._instruction(EXAMPLE))
        self.instruction.setAccessibleName(self.instruction.text())
        self.field.setAccessibleName(_("Numéro de la demande"))
        self.field.setPlaceholderText(EXAMPLE)
        for button, text in ((self.back, _("Retour")), (self.search, _("Chercher"))):
            button.setText(text)
            button.setAccessibleName(text)

    # ------------------------------------------------------------ what the desk shows

    def start(self) -> None:
        """A fresh screen, the focus in the box (the keyboard opens with it)."""
        self.clear()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        # The box may have had the focus already (Qt gives it to the first control of a
        # screen shown in place of the one that had it): no focus change opens the keys.
        self.keyboard.show_for(self.field)

    def show_reference(self, reference: str) -> None:
        """The reference as it is written, in place of what was typed."""
        self.field.setText(reference)
        self.error.show_message(None)

    def show_error(self, message: str) -> None:
        """What is wrong with what was typed; the text stays, to be corrected."""
        self.answer.hide()
        self.error.show_message(message)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_answer(self, text: str) -> None:
        """The answer (or "un instant" while it comes), with the focus on it."""
        self.error.show_message(None)
        self.set_answer_text(text)
        self.answer.show()
        self.keyboard.hide_and_detach()
        self.answer.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_answer_text(self, text: str) -> None:
        """New words for the answer shown (another language), the focus left where it is."""
        self.answer.setText(text)
        self.answer.setAccessibleName(text)

    def clear(self) -> None:
        """Forget the reference and the answer (end of a visit)."""
        self.keyboard.hide_and_detach()
        self.field.clear()
        self.error.show_message(None)
        self.answer.clear()
        self.answer.setAccessibleName("")
        self.answer.hide()

    def spoken_text(self) -> str:
        """What audio mode reads when the screen appears (or the answer, once there)."""
        if self.answer.isVisible() and self.answer.text():
            return self.answer.text()
        # The example is spelled, character by character, as the receipt reads it.
        example = spell_reference(EXAMPLE, current_language())
        return f"{self.title.accessibleName()} {self._instruction(example)}"

    @staticmethod
    def _instruction(example: str) -> str:
        return _("Écrivez le numéro de votre reçu. Il ressemble à ceci : {example}").format(
            example=example
        )

    # ------------------------------------------------------------ plumbing

    def _search(self) -> None:
        self.search_requested.emit(self.field.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.keyboard and event.type() in KEYBOARD_SHOWN_OR_HIDDEN:
            # With the keyboard up, the box needs the room: the instruction goes meanwhile.
            self.instruction.setVisible(not self.keyboard.isVisibleTo(self))
        return False
