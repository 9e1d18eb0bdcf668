"""One question per screen: the step, the question in large text, help, the answer, and
"Abandonner", "Retour", "Suivant" always in the same places."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.domain.answers import RawAnswer
from kiosk.domain.session import Question
from kiosk.i18n import _
from ui.fields import EditorShelf, FieldEditor
from ui.screen_reader import Alert, Heading
from ui.screens.frame import (
    NavigationBar,
    answer_scroll_area,
    chain_focus,
    screen_layout,
    tab_stops,
)
from ui.typography import show_text
from ui.widgets.keyboard import KeyboardController, OnScreenKeyboard

# The keyboard shown or hidden itself (``show()``, ``hide()``), even on a hidden screen;
# not Show and Hide, which also come when the whole screen is shown or hidden, and never
# for a keyboard hidden while its screen is: a screen left with the keyboard up stayed
# laid out for it.
KEYBOARD_SHOWN_OR_HIDDEN = (QEvent.Type.ShowToParent, QEvent.Type.HideToParent)


def spoken_question(question: Question, error_text: str = "") -> str:
    """The words audio mode says for a question: step, question, choices, error."""
    parts = [question.step_text, question.label]
    if question.choices:
        parts.append(", ".join(choice.label for choice in question.choices))
    if error_text:
        parts.append(error_text)
    return ". ".join(parts)


class ErrorMessage(Alert):
    """What is wrong and what to do, next to the answer, with a warning sign; a screen
    reader says it as it appears."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, message: str | None) -> None:
        if not message:
            self.clear()
            self.hide()
            return
        self.say(_("Attention : {message}").format(message=message))


class QuestionScreen(QWidget):
    """Renders the current ``Question`` and reports what the resident does.

    Signals:
        next_requested: "Suivant" (or Enter / "Valider" on the last box).
        back_requested: "Retour".
        abandon_requested: "Abandonner".
        help_shown(str): the help text was opened (audio mode reads it).
        answer_changed: the answer on screen changed.
        notice(str): a change of the answer to be said (one part cleared by another).
    """

    next_requested = Signal()
    back_requested = Signal()
    abandon_requested = Signal()
    help_shown = Signal(str)
    answer_changed = Signal()
    notice = Signal(str)

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.metrics = metrics
        self.question: Question | None = None
        self.editor: FieldEditor | None = None

        self.demarche_title = QLabel(self)
        self.step = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.label = Heading(self)
        self.label.setProperty("role", "title")
        self.label.setWordWrap(True)
        self.help_button = QPushButton(self)
        self.help_button.setCheckable(True)
        self.help_button.toggled.connect(self._toggle_help)
        self.help_text = QLabel(self)
        self.help_text.setProperty("role", "banner")
        self.help_text.setWordWrap(True)
        self.help_text.hide()
        self.error = ErrorMessage(self)

        self._answer_area = QWidget()
        self._answer_layout = QVBoxLayout(self._answer_area)
        self._answer_layout.setContentsMargins(0, 0, 0, 0)
        self._answer_layout.addStretch(1)  # the editor goes above it, at the top
        self._scroll = answer_scroll_area(self)
        self._scroll.setWidget(self._answer_area)
        self._shelf = EditorShelf(metrics, self._answer_area)
        self._answer_area.setProperty("role", "screen")

        self.keyboard = OnScreenKeyboard(metrics, self)
        self.keyboard.hide()
        self.keyboard.installEventFilter(self)
        self.keyboard.accepted.connect(self._keyboard_done)
        self.keyboard_controller = KeyboardController(self.keyboard)

        self.navigation = NavigationBar(metrics, self)
        self.navigation.next.clicked.connect(self.next_requested)
        self.navigation.back.clicked.connect(self.back_requested)
        self.navigation.abandon.clicked.connect(self.abandon_requested)
        self._lay_out(metrics)
        self.retranslate()

    def _lay_out(self, metrics: ScreenMetrics) -> None:
        """Header, question and "Aide", help, answer, error, keyboard, navigation.

        The keyboard goes under the answer, or beside it when it is a short pad (digits,
        phone) and the answer leaves it room: see ``eventFilter`` and ``_place_keyboard``.
        """
        header = QHBoxLayout()
        header.addWidget(self.demarche_title, 1)
        header.addWidget(self.step)
        layout = screen_layout(self, metrics)
        self._margins = layout.contentsMargins()
        layout.addLayout(header)
        question_row = QHBoxLayout()
        self._question_row = question_row
        question_row.setSpacing(metrics.px(6))
        question_row.addWidget(self.label, 1)
        question_row.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.progress)
        layout.addLayout(question_row)
        layout.addWidget(self.help_text)
        answer = QVBoxLayout()
        answer.setSpacing(layout.spacing())
        answer.addWidget(self._scroll, 1)
        answer.addWidget(self._scroll.more_below)
        answer.addWidget(self.error)
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(metrics.px(3))
        self._body.addLayout(answer, 1)
        self._body.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._body, 1)
        self._bottom_row = QHBoxLayout()  # "Aide" comes here while the keyboard is up
        self._bottom_row.setSpacing(metrics.px(8))
        self._bottom_row.addWidget(self.navigation, 1)
        layout.addLayout(self._bottom_row)
        self.keyboard.layout_changed.connect(self._place_keyboard)

    def retranslate(self) -> None:
        self.help_button.setText(_("Aide"))
        self.help_button.setAccessibleName(_("Aide"))
        self.navigation.retranslate()
        self.keyboard.retranslate()
        self._scroll.retranslate()

    def show_question(self, question: Question, demarche_title: str) -> None:
        """Draw ``question`` (its previous answer and error included)."""
        self.question = question
        self.setAccessibleName(demarche_title)
        show_text(self.demarche_title, demarche_title)
        self.step.setText(question.step_text)
        self.progress.setRange(0, question.step_total)
        self.progress.setValue(question.step_number)
        self.progress.setAccessibleName(question.step_text)
        show_text(self.label, question.label)
        show_text(self.help_text, question.help)
        self.help_button.setVisible(bool(question.help))
        self.help_button.setChecked(False)
        self._replace_editor(question)
        self.error.show_message(question.error)
        self.navigation.back.setEnabled(True)

    def _replace_editor(self, question: Question) -> None:
        self._remove_editor()
        self.editor = self._shelf.take(question)
        self.editor.changed.connect(self.answer_changed)
        self.editor.notice.connect(self.notice)
        self.editor.submitted.connect(self.next_requested)
        self._answer_layout.insertWidget(0, self.editor)
        chain_focus((self.help_button, *tab_stops(self.editor), *self.navigation.buttons()))
        self.editor.show()
        self.editor.focus_first()

    def _remove_editor(self) -> None:
        """Take the editor (and what was typed in it) off the screen at once."""
        self.keyboard.hide_and_detach()
        editor, self.editor = self.editor, None
        if editor is not None:
            self._answer_layout.removeWidget(editor)
            # A kept editor answers no other question while it waits on the shelf.
            editor.changed.disconnect(self.answer_changed)
            editor.notice.disconnect(self.notice)
            editor.submitted.disconnect(self.next_requested)
            self._shelf.put_back(editor)

    def forget_kept_editors(self) -> None:
        """Destroy the editors kept for later questions: before the whole window is
        re-styled (they would be re-styled too), or when the catalog changed (they
        were built from its old questions). The editor on screen stays."""
        self._shelf.empty()

    def answer(self) -> RawAnswer:
        return None if self.editor is None else self.editor.value()

    def show_error(self, message: str | None) -> None:
        self.error.show_message(message)
        if self.editor is not None:
            self.editor.focus_first()

    def clear(self) -> None:
        """Forget the question and its answer (end of a visit)."""
        self._remove_editor()
        self.question = None
        self.error.show_message(None)
        for label in (self.demarche_title, self.step, self.label, self.help_text):
            label.clear()
            label.setAccessibleName("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.keyboard and event.type() in KEYBOARD_SHOWN_OR_HIDDEN:
            self._make_room_for_keyboard(self.keyboard.isVisibleTo(self))
        return False

    def _make_room_for_keyboard(self, up: bool) -> None:
        """With the keyboard up, the question and the box need the room (at the largest
        text on a 1280x800 panel, the question, the box, the keyboard and "Suivant" must
        fit): the démarche's name, the bar and the step line go, the question is in the
        body's size (bold: never under the size of the text), the margins above and
        below are thin. The step is still said; all comes back when the keyboard closes.
        """
        for widget in (self.demarche_title, self.progress, self.step):
            widget.setVisible(not up)
        self._move_help_button(into_navigation=up)
        bar = self.navigation.layout()
        if bar is not None:  # its gap above: the layout's spacing is enough
            bar.setContentsMargins(0, 0 if up else self.metrics.px(2), 0, 0)
        self.label.setProperty("compact", up)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)
        margins = self._margins
        thin = self.metrics.px(2) if up else margins.top()
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margins.left(), thin, margins.right(), thin)
        self._place_keyboard()

    def _move_help_button(self, *, into_navigation: bool) -> None:
        """"Aide" goes to the start of the navigation's row, before "Abandonner", while the
        keyboard is up: a question of one line is then one line high, not a button high.
        It keeps its parent, and so its place in the tab order (before the answer)."""
        row = self._bottom_row
        if into_navigation and row.indexOf(self.help_button) < 0:
            self._question_row.removeWidget(self.help_button)
            row.insertWidget(0, self.help_button, 0, Qt.AlignmentFlag.AlignBottom)
        elif not into_navigation and row.indexOf(self.help_button) >= 0:
            row.removeWidget(self.help_button)
            self._question_row.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)

    def _place_keyboard(self) -> None:
        """A short pad goes beside the answer when both fit side by side (a date, a
        phone number): a row of keys under the answer is the height a small panel lacks.
        Letters, and an answer too wide to leave the pad room, go under it."""
        beside = False
        if self.keyboard.isVisibleTo(self) and self.keyboard.is_pad():
            margins = self._margins
            room = self.width() - margins.left() - margins.right() - self._body.spacing()
            answer = self._answer_area.minimumSizeHint().width()
            beside = answer + self.keyboard.sizeHint().width() <= room
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self._body.direction() != direction:
            self._body.setDirection(direction)
            self._body.setSpacing(self.metrics.px(6 if beside else 3))

    def _toggle_help(self, shown: bool) -> None:
        self.help_text.setVisible(shown)
        if shown:
            self.help_shown.emit(self.help_text.accessibleName())

    def _keyboard_done(self) -> None:
        """"Valider" on the on-screen keyboard: like Enter in a one-line box."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit):
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    focused, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
                )
        else:
            self.keyboard.hide_and_detach()
            self.navigation.next.setFocus(Qt.FocusReason.OtherFocusReason)

    def spoken_text(self) -> str:
        """What audio mode reads when the question appears."""
        if self.question is None:
            return ""
        spoken = spoken_question(self.question, self.error.text() if self.question.error else "")
        hint = self._scroll.spoken_hint()
        return f"{spoken}. {hint}" if hint else spoken
