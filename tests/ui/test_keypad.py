"""The tactile numeric keypad mapping (ui.keypad): 4/6 previous/next control, 8/2 up/down,
5 and Enter press, 0 repeat, . help, +/- volume; inside text boxes the keys type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.keypad import KeypadNavigation

KEYPAD = Qt.KeyboardModifier.KeypadModifier
NO = Qt.KeyboardModifier.NoModifier


class Panel(QWidget):
    """first, a line box, a long box, second, last: in this tab order."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.first = QPushButton("Premier", self)
        self.line = QLineEdit(self)
        self.long = QPlainTextEdit(self)
        self.long.setTabChangesFocus(True)
        self.second = QPushButton("Deuxième", self)
        self.last = QPushButton("Dernier", self)
        self.keys_seen: list[int] = []
        for widget in (self.first, self.line, self.long, self.second, self.last):
            layout.addWidget(widget)
        self.presses: list[str] = []
        for button in (self.first, self.second, self.last):
            button.clicked.connect(lambda _c=False, b=button: self.presses.append(b.text()))


class ArrowCatcher(QPushButton):
    def __init__(self, parent: QWidget) -> None:
        super().__init__("Flèches", parent)
        self.arrows: list[Qt.Key] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.arrows.append(Qt.Key(event.key()))


@pytest.fixture
def keypad(qapp: QApplication) -> Iterator[KeypadNavigation]:
    navigation = KeypadNavigation()
    qapp.installEventFilter(navigation)
    yield navigation
    qapp.removeEventFilter(navigation)


@pytest.fixture
def panel(qtbot, keypad) -> Panel:
    widget = Panel()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.first.setFocus()
    return widget


def pad(key: Qt.Key) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, KEYPAD)


def test_6_moves_to_the_next_control_and_4_to_the_previous(panel):
    pad(Qt.Key.Key_6)
    assert panel.line.hasFocus()
    panel.first.setFocus()
    panel.second.setFocus()
    pad(Qt.Key.Key_6)
    assert panel.last.hasFocus()
    pad(Qt.Key.Key_4)
    assert panel.second.hasFocus()
    assert panel.presses == []


def test_5_and_enter_press_the_focused_button(panel):
    pad(Qt.Key.Key_5)
    panel.second.setFocus()
    pad(Qt.Key.Key_Enter)
    assert panel.presses == ["Premier", "Deuxième"]


def test_0_repeats_dot_and_comma_ask_for_help_plus_and_minus_set_the_volume(panel, keypad, qtbot):
    for key, signal in (
        (Qt.Key.Key_0, keypad.repeat_requested),
        (Qt.Key.Key_Period, keypad.help_requested),
        (Qt.Key.Key_Comma, keypad.help_requested),
        (Qt.Key.Key_Plus, keypad.louder_requested),
        (Qt.Key.Key_Minus, keypad.quieter_requested),
    ):
        with qtbot.waitSignal(signal, timeout=500):
            pad(key)
    assert panel.first.hasFocus()
    assert panel.presses == []


def test_8_and_2_are_up_and_down_for_the_focused_control(panel, keypad):
    said: list[str] = []
    keypad.say.connect(said.append)
    catcher = ArrowCatcher(panel)
    catcher.show()
    catcher.setFocus()
    pad(Qt.Key.Key_8)
    pad(Qt.Key.Key_2)
    assert catcher.arrows == [Qt.Key.Key_Up, Qt.Key.Key_Down]
    # The focus did not move: the keys of this place are said, not nothing.
    assert said[-1].startswith("4 et 6 vont d'un bouton à l'autre.")


def test_digits_type_inside_a_text_box_and_do_not_move(panel):
    panel.line.setFocus()
    for key in (Qt.Key.Key_4, Qt.Key.Key_6, Qt.Key.Key_5, Qt.Key.Key_0):
        QTest.keyClick(panel.line, key, KEYPAD)
    assert panel.line.text() == "4650"
    assert panel.line.hasFocus()
    panel.long.setFocus()
    for key in (Qt.Key.Key_6, Qt.Key.Key_4):
        QTest.keyClick(panel.long, key, KEYPAD)
    assert panel.long.toPlainText() == "64"
    assert panel.long.hasFocus()


def test_keypad_enter_leaves_a_long_text_box_instead_of_trapping_the_focus(panel):
    panel.long.setFocus()
    QTest.keyClick(panel.long, Qt.Key.Key_1, KEYPAD)
    pad(Qt.Key.Key_Enter)
    assert panel.second.hasFocus()
    assert panel.long.toPlainText() == "1"  # no new line was added


def test_keys_of_the_main_keyboard_are_not_navigation(panel):
    QTest.keyClick(panel.first, Qt.Key.Key_6, NO)
    QTest.keyClick(panel.first, Qt.Key.Key_5, NO)
    assert panel.first.hasFocus()
    assert panel.presses == []
    panel.long.setFocus()
    QTest.keyClick(panel.long, Qt.Key.Key_Return, NO)
    assert panel.long.toPlainText() == "\n"
    assert panel.long.hasFocus()


def test_return_of_the_main_keyboard_presses_a_focused_button_once(panel):
    QTest.keyClick(panel.first, Qt.Key.Key_Return, NO)
    QTest.keyClick(panel.first, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    repeat = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, NO, "\r", True)
    QApplication.sendEvent(panel.first, repeat)
    assert panel.presses == ["Premier"]


@pytest.mark.parametrize("modifier", [KEYPAD, NO])
def test_enter_that_a_text_box_used_does_not_also_press_the_next_button(panel, modifier):
    """A box goes on with Enter and then ignores it; its parents see it again on the way
    up, when the focus is already on the next screen's first button. Nothing is pressed."""
    panel.line.returnPressed.connect(panel.second.setFocus)
    panel.line.setFocus()
    QTest.keyClick(panel.line, Qt.Key.Key_Enter, modifier)
    assert panel.second.hasFocus()
    assert panel.presses == []


def test_star_and_slash_leave_a_text_box_the_keypad_cannot_fill(make_kiosk, qtbot):
    """A name or an e-mail cannot be typed with digits: * and / still lead out (no trap)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    kiosk = make_kiosk()
    kiosk.start_visit()
    kiosk.guide.start_demarche("quel-service")
    guide = kiosk.guide
    while guide.question.editor is not None and not guide.question.editor.findChildren(QLineEdit):
        from kiosk.sample_answers import sample_answer

        field = guide.session.current
        guide.question.editor.set_value(sample_answer(field))
        guide.question.navigation.next.click()
    box = guide.question.editor.findChildren(QLineEdit)[0]
    kiosk.window.activateWindow()
    box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    QTest.keyClick(box, Qt.Key.Key_Asterisk, Qt.KeyboardModifier.KeypadModifier)
    assert QApplication.focusWidget() is not box
    assert box.text() == ""  # the star moved the focus, it typed nothing
    keypad = Qt.KeyboardModifier.KeypadModifier
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Slash, keypad)
    assert QApplication.focusWidget() is box


def test_a_box_reached_by_moving_is_passed_not_typed_into_until_5_enters_it(panel, keypad):
    said: list[str] = []
    keypad.say.connect(said.append)
    pad(Qt.Key.Key_6)
    assert panel.line.hasFocus()
    assert panel.line.property("keypadWalkedInto")  # the narrator says "appuyez sur 5"
    pad(Qt.Key.Key_6)  # on past it: nothing typed
    assert panel.long.hasFocus()
    pad(Qt.Key.Key_4)
    assert panel.line.hasFocus()
    assert panel.line.text() == ""
    pad(Qt.Key.Key_3)  # no use here: the keys are said
    assert said[-1].startswith("Vous êtes sur une zone de texte.")
    pad(Qt.Key.Key_5)  # in, on purpose
    assert said[-1].startswith("Vous écrivez dans")
    assert not panel.line.property("keypadWalkedInto")
    pad(Qt.Key.Key_6)
    assert panel.line.text() == "6"
    assert panel.presses == []


def test_1_presses_the_back_button_and_says_so_where_there_is_none(panel, keypad):
    said: list[str] = []
    keypad.say.connect(said.append)
    pad(Qt.Key.Key_1)
    assert said[-1].startswith("Pas de retour en arrière ici.")
    panel.last.setProperty("keypadBack", True)
    pad(Qt.Key.Key_1)
    assert panel.presses == ["Dernier"]
