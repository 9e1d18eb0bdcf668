"""A blind resident with the tactile keypad and the kiosk's voice: keys in, speech out.

Every key goes to the focused widget as a real keypad key would (Qt's keypad modifier).
Letters are typed by moving the keyboard's highlight with 8/2/4/6 and pressing 5, as the
resident does from the AZERTY layout they learned and from what the voice says: after
each move, the key said must be the highlighted key, and it is where the resident goes
on from.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.speech import Utterance
from tests.e2e.resident import settle, wait_until_settled
from ui.widgets.keyboard import KeyboardKey, OnScreenKeyboard
from ui.widgets.keyboard_layouts import KeyKind
from wiring.app import KioskApp

KEYPAD = Qt.KeyboardModifier.KeypadModifier
LIMIT = 40  # more presses than any screen has controls, or a keyboard has keys in a row
_STEPS = {(-1, 0): Qt.Key.Key_8, (1, 0): Qt.Key.Key_2, (0, -1): Qt.Key.Key_4, (0, 1): Qt.Key.Key_6}


class KeypadUser:
    """Presses keypad keys and listens to ``said`` (the speech test hook's texts)."""

    def __init__(self, kiosk: KioskApp, said: list[Utterance]) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self._said = said
        self.presses = 0

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the focus"
        return widget

    def heard(self) -> str:
        assert self._said, "nothing was said"
        return self._said[-1].text

    def heard_since(self, count: int) -> list[Utterance]:
        return self._said[count:]

    def press(self, key: Qt.Key) -> None:
        from PySide6.QtTest import QTest

        if key in (Qt.Key.Key_5, Qt.Key.Key_Enter):
            wait_until_settled(self.window)  # a press is dropped just after a new screen
        QTest.keyClick(self.focus, key, KEYPAD)
        settle()
        self.presses += 1

    def digits(self, digits: str) -> None:
        for digit in digits:
            self.press(Qt.Key(ord(digit)))

    def move_to(self, name: str, key: Qt.Key = Qt.Key.Key_6) -> None:
        """Press ``key`` until the control called ``name`` has the focus."""
        visited = [self.focus.accessibleName()]
        for _ in range(LIMIT):
            if self.focus.accessibleName() == name:
                return
            self.press(key)
            visited.append(self.focus.accessibleName())
        raise AssertionError(f"{name!r} never reached with {key.name}: {visited}")

    def walk(self, presses: int) -> list[str]:
        """The names of the controls reached by pressing 6 ``presses`` times."""
        reached = []
        for _ in range(presses):
            self.press(Qt.Key.Key_6)
            reached.append(self.focus.accessibleName())
        return reached

    def choose_and_go_on(self) -> None:
        """5 on the focused option, then on to "Suivant" and 5."""
        self.press(Qt.Key.Key_5)
        self.move_to("Suivant")
        self.press(Qt.Key.Key_5)

    # ------------------------------------------------------------ the keyboard's highlight

    def keyboard(self) -> OnScreenKeyboard:
        shown = [k for k in self.window.findChildren(OnScreenKeyboard) if k.isVisible()]
        assert len(shown) == 1, f"{len(shown)} keyboards shown"
        return shown[0]

    def _heard_highlight(self) -> KeyboardKey:
        """The highlighted key, which the voice has just named."""
        key = self.keyboard().highlighted()
        assert key is not None, "no key is highlighted"
        assert self.heard() == key.spoken(), (self.heard(), key.spoken())
        return key

    def go_to_key(self, found: KeyboardKey) -> None:
        """Move the highlight onto ``found``: rows first, then along the row."""
        here = self.keyboard().highlighted()
        if here is None:
            self.press(Qt.Key.Key_6)  # the first move shows it, on "a"
            here = self._heard_highlight()
        for _ in range(LIMIT):
            if here is found:
                return
            rows = (found.row > here.row) - (found.row < here.row)
            columns = 0 if rows else (found.column > here.column) - (found.column < here.column)
            self.press(_STEPS[(rows, columns)])
            here = self._heard_highlight()
        raise AssertionError(f"{found.accessibleName()!r} never highlighted")

    def key_for(self, kind: KeyKind, text: str = "") -> KeyboardKey:
        shown = self.keyboard().keys()
        [found] = [k for k in shown if k.spec.kind is kind and k.spec.text == text]
        return found

    def type_letters(self, text: str) -> None:
        """Each character by the highlight: "Majuscules" first for a capital."""
        for char in text:
            if char != char.lower():
                self.go_to_key(self.key_for(KeyKind.SHIFT))
                self.press(Qt.Key.Key_5)
            self.go_to_key(self.key_for(KeyKind.CHARACTER, char.lower()))
            self.press(Qt.Key.Key_5)

    def validate(self) -> None:
        """"Valider" of the keyboard: the box is done."""
        self.go_to_key(self.key_for(KeyKind.OK))
        self.press(Qt.Key.Key_5)
