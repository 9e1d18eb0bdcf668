"""Tactile numeric keypad: the whole kiosk without touch or sight (ADA 707 practice).

Everywhere, a text box included:
    + louder (turns the voice on first, from any screen, when it is off); - quieter;
    * / / next / previous control (out of any box: never trapped, EN 301 549 5.1.6.2);
    . (or ,) help: the keys of the place you are in (in a box: reads back what is written).
On buttons and choices:
    4 / 6 previous / next control; 8 / 2 up / down (arrow keys); 5 or Enter press;
    1 back ("Retour" of the screen, "Fermer" of a panel); 0 repeat what was said;
    7 / 9 slower / faster speech; 3 touch and confirm on / off (``ui.touch_explore``).
    First "." on a question: its help text.
A text box reached by moving (4, 6, 8, 2, *, /) is not typed into: it is announced with
"appuyez sur 5 pour écrire", and 4 / 6 go on past it. 5 or Enter enters it. A box the
screen opens with the focus in it (the answer to the question asked), or a touched box,
is entered already.
In an entered box of letters (name, message, e-mail), the keypad drives the on-screen
keyboard: 8 / 2 / 4 / 6 move a highlight over its keys, each key said as it is reached;
5 or Enter types the highlighted key ("Valider" goes on, "À la ligne" starts a line;
in a box just entered, the first 5 only shows and says the highlight, on "a");
1 erases the last character; 0 repeats; every typed character is said back (personal
fields only with private listening, see ``wiring.narration``).
In an entered box of digits (phone, date, number, postcode) the digits type as on any
keypad and are said back; Enter goes on (in a box of several lines it leaves the box).
A key with no meaning where it is pressed says the keys of that place (help), never
nothing.
Enter or Return of the main keyboard presses the focused button too (Qt only does that
in dialogs, and a resident expects it); the main keyboard always types into a box.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.i18n import _
from ui.widgets.keyboard import PERSONAL_DATA_PROPERTY, OnScreenKeyboard
from ui.widgets.keyboard_layouts import CHARACTER_NAMES, KeyKind

# A box the keypad walked into, not yet entered: the narrator says how to enter it.
WALKED_INTO_PROPERTY = "keypadWalkedInto"
# The button that key 1 presses: "Retour" of a screen, "Fermer" of a panel.
BACK_PROPERTY = "keypadBack"
# Layouts of the on-screen keyboard that the highlight types with (not the digit pads).
_LETTER_LAYOUTS = frozenset({"letters", "lines", "email"})
_ARROWS = {
    Qt.Key.Key_8: (-1, 0),
    Qt.Key.Key_2: (1, 0),
    Qt.Key.Key_4: (0, -1),
    Qt.Key.Key_6: (0, 1),
}
# Out of any box, even one the keypad cannot fill: never trapped (EN 301 549 5.1.6.2).
# * is Tab, / is Shift+Tab; True means forward.
_LEAVE_KEYS = {Qt.Key.Key_Asterisk: True, Qt.Key.Key_Slash: False}
_HELP_KEYS = (Qt.Key.Key_Period, Qt.Key.Key_Comma)


def typing_into(widget: QWidget | None) -> bool:
    """Whether keys pressed on ``widget`` type text (a digit, a space) rather than act."""
    return isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox)


def field_text(field: QWidget) -> str:
    if isinstance(field, QLineEdit):
        return field.text()
    if isinstance(field, QPlainTextEdit):
        return field.toPlainText()
    if isinstance(field, QAbstractSpinBox):
        return field.text()
    return ""


def _masked(field: QWidget) -> bool:
    return isinstance(field, QLineEdit) and field.echoMode() != QLineEdit.EchoMode.Normal


def _spoken_character(text: str) -> str:
    """A character as speech must say it: a space, a new line or a punctuation mark by the
    name of its key ("Espace", "Point d'interrogation"): a voice may say nothing for "?"."""
    name = CHARACTER_NAMES.get(text)
    return _(name) if name else text


def _move_focus(focus: QWidget | None, *, forward: bool) -> None:
    """Like Tab / Shift+Tab: through the focused widget, so that a scroll area on the way
    brings the next control into view."""
    if focus is None:
        window = QApplication.activeWindow()
        if window is not None:
            window.focusNextPrevChild(forward)
        return
    key, modifier = (
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
        if forward
        else (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    )
    QApplication.sendEvent(focus, QKeyEvent(QEvent.Type.KeyPress, key, modifier))


def _press_focused_button(key: Qt.Key, focus: QWidget | None, event: QKeyEvent) -> bool:
    """Enter / Return on a focused button presses it (no modifier, no auto-repeat)."""
    if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or not isinstance(focus, QAbstractButton):
        return False
    if event.modifiers() != Qt.KeyboardModifier.NoModifier or event.isAutoRepeat():
        return False
    focus.click()
    return True


def keyboard_of(field: QWidget) -> OnScreenKeyboard | None:
    """The shown on-screen keyboard that types into ``field``, if any."""
    for keyboard in field.window().findChildren(OnScreenKeyboard):
        if keyboard.isVisible() and keyboard.target() is field:
            return keyboard
    return None


def back_button(window: QWidget) -> QAbstractButton | None:
    """The "Retour" (or a panel's "Fermer") that can be pressed now: shown and enabled
    (an open panel disables what is behind it)."""
    for button in window.findChildren(QAbstractButton):
        if button.property(BACK_PROPERTY) and button.isVisible() and button.isEnabled():
            return button
    return None


def keys_help(*, in_box: bool, walked: bool, letters: bool) -> str:
    """What the keys do where the resident is (said by "." and by a key with no use)."""
    if walked:
        return _(
            "Vous êtes sur une zone de texte. Appuyez sur 5 pour écrire dedans. "
            "4 et 6 passent à la suite."
        )
    if in_box and letters:
        return _(
            "Vous écrivez avec le clavier de l'écran. 2, 4, 6 et 8 choisissent une touche. "
            "5 écrit la touche. 1 efface. Point relit ce qui est écrit. "
            "Étoile sort de la zone."
        )
    if in_box:
        return _(
            "Tapez les chiffres. Entrée continue. Point relit ce qui est écrit. "
            "Étoile sort de la zone."
        )
    return _(
        "4 et 6 vont d'un bouton à l'autre. 5 appuie. 1 revient en arrière. "
        "0 répète. 3 fait dire ce que vous touchez. Plus et moins changent le volume. "
        "Point donne l'aide."
    )


class KeypadNavigation(QObject):
    """Application-wide filter that turns numeric-keypad keys into navigation and typing.

    Signals:
        repeat_requested, louder_requested, quieter_requested, slower_requested,
        faster_requested.
        help_requested(str): "." outside a box; the text says the keys of this place.
        say(str): something to say that is never personal (a key's name, a hint).
        typed(str, bool, str): what was typed or is written, whether it is personal, and
            what to say instead when personal text may not be heard (loudspeaker).
    """

    EVENT_TYPES = frozenset({QEvent.Type.KeyPress})
    repeat_requested = Signal()
    help_requested = Signal(str)
    louder_requested = Signal()
    slower_requested = Signal()
    faster_requested = Signal()
    quieter_requested = Signal()
    used = Signal()  # a key of the keypad reached the focused widget (anonymous statistics)
    say = Signal(str)
    typed = Signal(str, bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._walked_into: QWidget | None = None
        self._walking = False
        application = QApplication.instance()
        if isinstance(application, QApplication):
            # Connected before the narrator's own slot (built later): the narrator then
            # sees a box walked into as such, and says how to enter it.
            application.focusChanged.connect(self._focus_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        if watched is not focus:
            # The same key also passes here on its way to the window, and again for each
            # parent when the focused widget ignores it (a box ignores Enter after using
            # it to go on): only the focused widget's own event is acted on, once.
            return False
        key = Qt.Key(event.key())
        if not event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
            return _press_focused_button(key, focus, event)
        self.used.emit()
        return self._on_keypad(key, focus, event.text())

    # ------------------------------------------------------------------ where the focus is

    def walked_into(self) -> QWidget | None:
        """The text box the keypad moved onto and that was not entered yet."""
        if self._walked_into is not None and not shiboken6.isValid(self._walked_into):
            self._walked_into = None
        return self._walked_into

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        walked = self.walked_into()
        if walked is not None and new is not walked:
            walked.setProperty(WALKED_INTO_PROPERTY, False)
            self._walked_into = None
        if self._walking and new is not None and typing_into(new):
            new.setProperty(WALKED_INTO_PROPERTY, True)
            self._walked_into = new

    def _walk(self, focus: QWidget | None, *, forward: bool) -> None:
        self._walking = True
        try:
            _move_focus(focus, forward=forward)
        finally:
            self._walking = False

    def _enter(self, box: QWidget) -> None:
        box.setProperty(WALKED_INTO_PROPERTY, False)
        self._walked_into = None
        keyboard = keyboard_of(box)
        letters = keyboard is not None and keyboard.layout_name in _LETTER_LAYOUTS
        self.say.emit(
            _("Vous écrivez dans : {name}.").format(name=box.accessibleName())
            + " "
            + keys_help(in_box=True, walked=False, letters=letters)
        )

    # ------------------------------------------------------------------ keys

    def _on_keypad(self, key: Qt.Key, focus: QWidget | None, text: str) -> bool:
        volume = {Qt.Key.Key_Plus: self.louder_requested, Qt.Key.Key_Minus: self.quieter_requested}
        if key in volume:
            volume[key].emit()
            return True
        leaving = _LEAVE_KEYS.get(key)
        if leaving is not None:
            self._walk(focus, forward=leaving)
            return True
        if focus is None or not typing_into(focus):
            return self._act(key, focus)
        if focus is self.walked_into():
            return self._in_walked_box(key, focus)
        keyboard = keyboard_of(focus)
        if keyboard is not None and keyboard.layout_name in _LETTER_LAYOUTS:
            return self._in_letters(key, focus, keyboard)
        return self._in_digits(key, focus, keyboard, text)

    def _in_walked_box(self, key: Qt.Key, box: QWidget) -> bool:
        if key in (Qt.Key.Key_5, Qt.Key.Key_Enter):
            self._enter(box)
        elif key in (Qt.Key.Key_4, Qt.Key.Key_8):
            self._walk(box, forward=False)
        elif key in (Qt.Key.Key_6, Qt.Key.Key_2):
            self._walk(box, forward=True)
        elif key == Qt.Key.Key_0:
            self.repeat_requested.emit()
        else:
            self.say.emit(keys_help(in_box=True, walked=True, letters=False))
        return True

    def _in_letters(self, key: Qt.Key, box: QWidget, keyboard: OnScreenKeyboard) -> bool:
        arrow = _ARROWS.get(key)
        if arrow is not None:
            self.say.emit(keyboard.move_highlight(*arrow).spoken())
        elif key in (Qt.Key.Key_5, Qt.Key.Key_Enter):
            self._type_highlighted(box, keyboard)
        elif key == Qt.Key.Key_1:
            self._erase(box, keyboard)
        elif key in _HELP_KEYS:
            self._read_back(box)
        elif key == Qt.Key.Key_0:
            self.repeat_requested.emit()
        elif key == Qt.Key.Key_7:
            self.slower_requested.emit()
        elif key == Qt.Key.Key_9:
            self.faster_requested.emit()
        else:
            self.say.emit(keys_help(in_box=True, walked=False, letters=True))
        return True

    def _in_digits(
        self, key: Qt.Key, box: QWidget, keyboard: OnScreenKeyboard | None, text: str
    ) -> bool:
        if key in _HELP_KEYS:
            self._read_back(box)
            return True
        if isinstance(box, QPlainTextEdit) and key == Qt.Key.Key_Enter:
            self._walk(box, forward=True)  # in a box of lines, Enter would only start a line
            return True
        if keyboard is None or not text.isdigit():
            return False  # typed by the box itself (Enter goes on)
        before = field_text(box)
        keyboard.type_text(text)
        if field_text(box) != before:
            self._echo(box, text)
        else:
            self.say.emit(_("Pas de chiffre de plus ici."))
        return True

    def _act(self, key: Qt.Key, focus: QWidget | None) -> bool:
        if key in (Qt.Key.Key_4, Qt.Key.Key_6):
            self._walk(focus, forward=key == Qt.Key.Key_6)
        elif key in (Qt.Key.Key_8, Qt.Key.Key_2) and focus is not None:
            self._arrow(focus, Qt.Key.Key_Up if key == Qt.Key.Key_8 else Qt.Key.Key_Down)
        elif key in (Qt.Key.Key_5, Qt.Key.Key_Enter) and isinstance(focus, QAbstractButton):
            focus.click()
        elif key == Qt.Key.Key_1:
            self._back(focus)
        elif key == Qt.Key.Key_0:
            self.repeat_requested.emit()
        elif key in _HELP_KEYS:
            self.help_requested.emit(keys_help(in_box=False, walked=False, letters=False))
        elif key == Qt.Key.Key_7:
            self.slower_requested.emit()
        elif key == Qt.Key.Key_9:
            self.faster_requested.emit()
        else:
            self.say.emit(keys_help(in_box=False, walked=False, letters=False))
        return True

    def _arrow(self, focus: QWidget, arrow: Qt.Key) -> None:
        """Up / Down to the focused control; where they move nothing (a button of the
        bar, the last option), the keys of this place are said instead of nothing."""
        self._walking = True
        try:
            plain = Qt.KeyboardModifier.NoModifier
            QApplication.sendEvent(focus, QKeyEvent(QEvent.Type.KeyPress, arrow, plain))
        finally:
            self._walking = False
        if QApplication.focusWidget() is focus:
            self.say.emit(keys_help(in_box=False, walked=False, letters=False))

    def _back(self, focus: QWidget | None) -> None:
        window = focus.window() if focus is not None else QApplication.activeWindow()
        button = back_button(window) if window is not None else None
        if button is None:
            self.say.emit(
                _("Pas de retour en arrière ici.")
                + " "
                + keys_help(in_box=False, walked=False, letters=False)
            )
        else:
            button.click()

    # ------------------------------------------------------------------ typing

    def _type_highlighted(self, box: QWidget, keyboard: OnScreenKeyboard) -> None:
        key = keyboard.highlighted()
        if key is None:
            # Not shown yet (a new box; a second press of "Valider" that went on): shown
            # and said on "a", never typed unheard.
            self.say.emit(keyboard.move_highlight().spoken())
            return
        before = field_text(box)
        typed = key.typed_text  # before the press: a single capital ends with it
        keyboard.activate_highlight()
        kind = key.spec.kind
        if kind is KeyKind.CHARACTER:
            if field_text(box) != before:
                self._echo(box, _spoken_character(typed))
            else:
                self.say.emit(_("Rien de plus ne peut être écrit ici."))
        elif kind is KeyKind.SHIFT:
            self.say.emit(key.spoken())
        elif kind is KeyKind.BACKSPACE:
            self._said_erased(box, before)
        # "Valider" goes on: the next box or question is announced by the narrator.

    def _erase(self, box: QWidget, keyboard: OnScreenKeyboard) -> None:
        before = field_text(box)
        keyboard.backspace()
        self._said_erased(box, before)

    def _said_erased(self, box: QWidget, before: str) -> None:
        after = field_text(box)
        if after == before:
            self.say.emit(_("Il n'y a rien à effacer."))
            return
        gone = before[len(after) :] if before.startswith(after) else ""
        if _masked(box):
            self.say.emit(_("Effacé."))
            return
        self.typed.emit(
            _("Effacé : {text}").format(text=_spoken_character(gone)) if gone else _("Effacé."),
            bool(box.property(PERSONAL_DATA_PROPERTY)),
            _("Effacé."),
        )

    def _echo(self, box: QWidget, spoken: str) -> None:
        """Say back what was typed: a masked box never, a personal one privately only."""
        if _masked(box):
            self.say.emit(_("Écrit."))
            return
        self.typed.emit(spoken, bool(box.property(PERSONAL_DATA_PROPERTY)), _("Écrit."))

    def _read_back(self, box: QWidget) -> None:
        content = field_text(box)
        if not content.strip():
            self.say.emit(_("La zone est vide."))
        elif _masked(box):
            self.say.emit(_("Ce qui est écrit ici reste secret."))
        else:
            self.typed.emit(
                _("Vous avez écrit : {text}").format(text=content),
                bool(box.property(PERSONAL_DATA_PROPERTY)),
                _("Ce que vous avez écrit est personnel : branchez un casque pour l'entendre."),
            )

