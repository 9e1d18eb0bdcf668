"""The on-screen keyboard, used as a resident (taps) and a screen reader (names, roles) would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import set_language
from ui.widgets.keyboard import (
    KeyboardController,
    KeyboardMode,
    OnScreenKeyboard,
    ShiftState,
    mode_for_field,
)

METRICS = ScreenMetrics(0.248)  # the 21.5-inch 1920x1080 panel
LARGEST_FONT_PX = 44  # above the kiosk's largest text size (cap height 7.4 mm)


@dataclass
class Screen:
    root: QWidget
    field: QLineEdit
    button: QPushButton
    keyboard: OnScreenKeyboard


def _make_screen(qtbot, stylesheet: str = "", extra: tuple[QWidget, ...] = ()) -> Screen:
    """A question screen as the lead lays it out: fields on top, keyboard at the bottom."""
    root = QWidget()
    root.setStyleSheet(stylesheet)
    qtbot.addWidget(root)
    root.resize(1920, 1080)
    box = QVBoxLayout(root)
    field = QLineEdit()
    button = QPushButton("Suivant")
    for widget in extra:
        box.addWidget(widget)
    box.addWidget(field)
    box.addWidget(button)
    box.addStretch(1)
    keyboard = OnScreenKeyboard(METRICS)
    box.addWidget(keyboard)
    root.show()
    qtbot.waitExposed(root)
    return Screen(root, field, button, keyboard)


@pytest.fixture
def screen(qtbot) -> Screen:
    s = _make_screen(qtbot)
    s.field.setFocus()
    s.keyboard.show_for(s.field, KeyboardMode.TEXT)
    return s


# ---------------------------------------------------------------- the screen reader's view
def _walk(interface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is None or child.state().invisible:
            continue
        yield child
        yield from _walk(child)


def visible_buttons(keyboard: OnScreenKeyboard) -> list[QAccessibleInterface]:
    root = QAccessible.queryAccessibleInterface(keyboard)
    return [i for i in _walk(root) if i.role() == QAccessible.Role.PushButton]


def key_named(keyboard: OnScreenKeyboard, name: str) -> QAccessibleInterface:
    matches = [i for i in visible_buttons(keyboard) if i.text(QAccessible.Text.Name) == name]
    assert len(matches) == 1, f"{len(matches)} keys named {name!r}"
    return matches[0]


def names(keyboard: OnScreenKeyboard) -> list[str]:
    return [i.text(QAccessible.Text.Name) for i in visible_buttons(keyboard)]


def tap(qtbot, keyboard: OnScreenKeyboard, *key_names: str) -> None:
    """Tap keys the way a finger does: a mouse press and release on the key found by name."""
    for name in key_names:
        widget = key_named(keyboard, name).object()
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _gap(a: QRect, b: QRect) -> int:
    """Pixels of empty space between two rectangles (the larger of the two axis gaps)."""
    dx = max(b.left() - (a.left() + a.width()), a.left() - (b.left() + b.width()), 0)
    dy = max(b.top() - (a.top() + a.height()), a.top() - (b.top() + b.height()), 0)
    return max(dx, dy)


# ---------------------------------------------------------------- typing
def test_types_a_french_name_with_a_capital_accent_space_and_apostrophe(qtbot, screen):
    typed: list[str] = []
    screen.keyboard.key_typed.connect(typed.append)

    tap(qtbot, screen.keyboard, "Majuscules", "É", "l", "o", "d", "i", "e", "Espace")
    tap(qtbot, screen.keyboard, "d", "Apostrophe", "a", "ç", "à")

    assert screen.field.text() == "Élodie d'açà"
    assert typed == ["É", "l", "o", "d", "i", "e", " ", "d", "'", "a", "ç", "à"]
    # The keys never took the focus away from the field.
    assert QApplication.focusWidget() is screen.field


def test_a_message_can_ask_why_and_an_address_has_its_comma(qtbot):
    box = QPlainTextEdit()
    s = _make_screen(qtbot, extra=(box,))
    box.setFocus()
    s.keyboard.show_for(box)
    tap(qtbot, s.keyboard, "1", "2", "Virgule", "Espace", "r", "u", "e", "À la ligne")
    tap(qtbot, s.keyboard, "Majuscules", "P", "o", "u", "r", "q", "u", "o", "i", "Espace")
    tap(qtbot, s.keyboard, "Point d'interrogation")
    assert box.toPlainText() == "12, rue\nPourquoi ?"
    # Where AZERTY has them: right after "n", on the same row.
    n, comma = key_named(s.keyboard, "n").rect(), key_named(s.keyboard, "Virgule").rect()
    question = key_named(s.keyboard, "Point d'interrogation").rect()
    assert n.top() == comma.top() == question.top()
    assert n.right() < comma.left() < question.left()
    s.keyboard.show_for(s.field, KeyboardMode.TEXT)  # a name or an address: them too
    assert {"Virgule", "Point d'interrogation"} <= set(names(s.keyboard))


def test_the_arabic_page_has_the_arabic_comma_and_question_mark_named(qtbot, arabic):
    s = _make_screen(qtbot)
    s.keyboard.show_for(s.field, KeyboardMode.LINES)
    assert s.keyboard.layout_name == "arabic-lines"
    comma = key_named(s.keyboard, "فاصلة").object()  # "Virgule"
    question = key_named(s.keyboard, "علامة استفهام").object()  # "Point d'interrogation"
    assert (comma.text(), question.text()) == ("،", "؟")
    tap(qtbot, s.keyboard, "ل", "م", "ا", "ذ", "ا", "علامة استفهام")
    assert s.field.text() == "لماذا؟"
    tap(qtbot, s.keyboard, "حروف لاتينية")  # the Latin page has "," and "?" too
    assert {"فاصلة", "علامة استفهام"} <= set(names(s.keyboard))


def test_one_shift_press_gives_one_capital_then_lowercase(qtbot, screen):
    tap(qtbot, screen.keyboard, "Majuscules")
    assert screen.keyboard.shift_state is ShiftState.ONCE
    assert "A" in names(screen.keyboard)
    assert "a" not in names(screen.keyboard)

    tap(qtbot, screen.keyboard, "A", "b")

    assert screen.field.text() == "Ab"
    assert screen.keyboard.shift_state is ShiftState.OFF


def test_two_shift_presses_lock_capitals_until_pressed_again(qtbot, screen):
    tap(qtbot, screen.keyboard, "Majuscules", "Majuscules", "D", "U", "Majuscules", "p")

    assert screen.field.text() == "DUp"
    shift = key_named(screen.keyboard, "Majuscules")
    assert shift.object().text() == "Majuscules"
    tap(qtbot, screen.keyboard, "Majuscules", "Majuscules")
    # The state is said in words, on the key and to a screen reader.
    assert shift.object().text() == "Majuscules bloquées"
    assert "tout s'écrit en majuscules" in shift.text(QAccessible.Text.Description).lower()


def test_capital_accented_letters_exist_and_are_described_in_words(qtbot, screen):
    tap(qtbot, screen.keyboard, "Majuscules")
    for capital in "ÉÈÊÀÂÇÙÛÔÎÏË":
        assert capital in names(screen.keyboard)
    described = key_named(screen.keyboard, "É").text(QAccessible.Text.Description)
    assert described == "e accent aigu, majuscule"


def test_backspace_deletes_the_character_before_the_cursor(qtbot, screen):
    screen.field.setText("abc")
    screen.field.setCursorPosition(2)

    tap(qtbot, screen.keyboard, "Effacer")

    assert screen.field.text() == "ac"
    assert screen.field.cursorPosition() == 1


def test_typing_goes_in_at_the_cursor_and_undo_works(qtbot, screen):
    screen.field.setText("rue")
    screen.field.setCursorPosition(0)

    tap(qtbot, screen.keyboard, "1", "2", "Espace")
    assert screen.field.text() == "12 rue"
    screen.field.undo()
    assert screen.field.text() != "12 rue"


def test_ok_emits_accepted(qtbot, screen):
    with qtbot.waitSignal(screen.keyboard.accepted):
        tap(qtbot, screen.keyboard, "Valider")


def test_a_refused_character_is_reported_not_typed(qtbot, screen):
    screen.field.setMaxLength(2)
    refused: list[str] = []
    screen.keyboard.key_refused.connect(refused.append)

    tap(qtbot, screen.keyboard, "1", "2", "3")

    assert screen.field.text() == "12"
    assert refused == ["3"]


def test_a_screen_reader_presses_a_key_through_the_accessibility_api(qtbot, screen):
    key = key_named(screen.keyboard, "Arobase")
    with qtbot.waitSignal(screen.keyboard.key_typed) as typed:
        key.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    assert typed.args == ["@"]
    assert screen.field.text() == "@"


def test_types_into_a_multi_line_field_with_undo(qtbot):
    notes = QPlainTextEdit()
    s = _make_screen(qtbot, extra=(notes,))
    notes.setFocus()
    s.keyboard.show_for(notes, KeyboardMode.TEXT)

    tap(qtbot, s.keyboard, "o", "u", "i", "Effacer")
    assert notes.toPlainText() == "ou"
    notes.undo()
    assert notes.toPlainText() == "oui"


def test_a_physical_keyboard_still_types_into_the_field(qtbot, screen):
    qtbot.keyClicks(screen.field, "Zoe")  # QTest only simulates ASCII keys
    qtbot.keyClick(screen.field, Qt.Key.Key_Backspace)

    assert screen.field.text() == "Zo"
    assert screen.keyboard.isVisible()


def test_without_an_attached_field_keys_type_into_the_focused_field(qtbot, screen):
    screen.keyboard.attach(None)
    screen.field.setFocus()
    tap(qtbot, screen.keyboard, "o", "k")
    assert screen.field.text() == "ok"


def test_a_deleted_field_is_forgotten(qtbot, screen):
    screen.button.setFocus()
    screen.field.deleteLater()
    qtbot.waitUntil(lambda: screen.keyboard.target() is None)
    tap(qtbot, screen.keyboard, "a", "Effacer")  # nothing to type into, nothing breaks


def test_masked_and_personal_fields_are_private(screen):
    assert not screen.keyboard.target_is_private()
    screen.field.setEchoMode(QLineEdit.EchoMode.Password)
    assert screen.keyboard.target_is_private()
    screen.field.setEchoMode(QLineEdit.EchoMode.Normal)
    screen.field.setProperty("personalData", True)
    assert screen.keyboard.target_is_private()


# ---------------------------------------------------------------- layouts
def test_phone_mode_shows_a_digit_pad_with_space_and_no_letters(qtbot, screen):
    with qtbot.waitSignal(screen.keyboard.layout_changed) as changed:
        screen.keyboard.show_for(screen.field, "phone")

    assert changed.args == ["phone"]
    shown = names(screen.keyboard)
    assert sorted(shown) == sorted([*"0123456789", "Espace", "Effacer", "Valider"])
    tap(qtbot, screen.keyboard, "0", "6", "Espace", "1", "2")
    assert screen.field.text() == "06 12"


@pytest.mark.parametrize("mode", ["date", "number", "postcode"])
def test_number_date_and_postcode_modes_show_only_digits(screen, mode):
    screen.keyboard.show_for(screen.field, mode)
    assert sorted(names(screen.keyboard)) == sorted([*"0123456789", "Effacer", "Valider"])


def test_email_mode_has_at_dot_and_underscore_on_the_letters_page(screen):
    screen.keyboard.show_for(screen.field, "email")
    shown = names(screen.keyboard)
    for name in ("Arobase", "Point", "Tiret bas", "Tiret", "a", "z", "0"):
        assert name in shown


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda f: f.setProperty("keyboardMode", "postcode"), KeyboardMode.POSTCODE),
        (lambda f: f.setProperty("keyboardMode", "nonsense"), KeyboardMode.TEXT),
        (lambda f: f.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly), KeyboardMode.NUMBER),
        (
            lambda f: f.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly),
            KeyboardMode.PHONE,
        ),
        (
            lambda f: f.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly),
            KeyboardMode.EMAIL,
        ),
        (lambda f: None, KeyboardMode.TEXT),
    ],
)
def test_the_mode_comes_from_the_field(qtbot, setup, expected):
    field = QLineEdit()
    qtbot.addWidget(field)
    setup(field)
    assert mode_for_field(field) is expected


# ---------------------------------------------------------------- sizes, names, roles
@pytest.mark.parametrize("mode", ["text", "email", "phone", "date"])
@pytest.mark.parametrize("font_px", [28, LARGEST_FONT_PX])
def test_every_key_is_named_a_button_big_enough_and_apart(qtbot, mode, font_px):
    s = _make_screen(qtbot, stylesheet=f"* {{ font-size: {font_px}px; }}")
    s.keyboard.show_for(s.field, mode)
    _assert_keys_named_big_and_apart(qtbot, s)


def test_keys_keep_their_size_in_a_narrow_window_whatever_the_stylesheet(qtbot):
    # A stylesheet's min-width/min-height replace a widget's own minimum size.
    s = _make_screen(qtbot, stylesheet="QPushButton { min-width: 0px; min-height: 0px; }")
    s.root.resize(900, 700)
    s.keyboard.show_for(s.field, "text")
    _assert_keys_named_big_and_apart(qtbot, s)


def _assert_keys_named_big_and_apart(qtbot, s: Screen) -> None:
    qtbot.waitUntil(lambda: s.keyboard.keys()[0].height() > 0)
    target, spacing = METRICS.touch_target_px, METRICS.touch_spacing_px

    keys = visible_buttons(s.keyboard)
    assert len(keys) >= 12
    for key in keys:
        name = key.text(QAccessible.Text.Name)
        assert name.strip(), "a key without a name"
        assert key.role() == QAccessible.Role.PushButton
        rect = key.rect()
        assert rect.width() >= target, name
        assert rect.height() >= target, name
        widget = key.object()
        # The label fits: nothing clipped at the largest text size.
        assert widget.fontMetrics().horizontalAdvance(widget.text()) < rect.width(), name
        assert widget.focusPolicy() == Qt.FocusPolicy.NoFocus
    for a, b in combinations(keys, 2):
        assert _gap(a.rect(), b.rect()) >= spacing, (
            a.text(QAccessible.Text.Name),
            b.text(QAccessible.Text.Name),
        )
    # Every key lies inside the window: nothing pushed off screen.
    window = QRect(s.root.mapToGlobal(s.root.rect().topLeft()), s.root.size())
    assert all(window.contains(key.rect()) for key in keys)
    assert not s.keyboard.isWindow()


def test_right_to_left_interface_keeps_a_working_latin_keyboard(qtbot):
    s = _make_screen(qtbot)
    s.root.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    s.keyboard.show_for(s.field, "text")
    qtbot.waitUntil(lambda: s.keyboard.keys()[0].height() > 0)

    a, z = key_named(s.keyboard, "a").rect(), key_named(s.keyboard, "z").rect()
    assert a.right() < z.left()  # AZERTY reads left to right, as on paper forms
    assert not s.keyboard.grab().isNull()
    tap(qtbot, s.keyboard, "a", "z")
    assert s.field.text() == "az"


@pytest.fixture
def arabic() -> Iterator[None]:
    set_language("ar")
    yield
    set_language("fr")


def test_in_arabic_a_message_starts_on_arabic_letters_and_latin_is_one_key_away(
    qtbot, arabic
):
    s = _make_screen(qtbot)
    s.root.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    s.field.setFocus()
    s.keyboard.show_for(s.field, KeyboardMode.LINES)
    assert s.keyboard.layout_name == "arabic-lines"
    assert "Majuscules" not in names(s.keyboard)  # Arabic has no capitals
    tap(qtbot, s.keyboard, "س", "ل", "ا", "م", "مسافة")
    switched: list[str] = []
    s.keyboard.special_key.connect(switched.append)
    tap(qtbot, s.keyboard, "حروف لاتينية")  # "Lettres latines"
    assert switched == ["حروف لاتينية"]
    assert s.keyboard.layout_name == "lines-ar"
    tap(qtbot, s.keyboard, "حروف كبيرة", "L", "é", "o")
    tap(qtbot, s.keyboard, "حروف عربية")  # and back
    assert s.keyboard.layout_name == "arabic-lines"
    assert s.field.text() == "سلام Léo"


def test_in_arabic_a_name_starts_on_latin_letters(qtbot, arabic):
    s = _make_screen(qtbot)
    s.keyboard.show_for(s.field, KeyboardMode.TEXT)
    assert s.keyboard.layout_name == "letters-ar"
    assert "حروف عربية" in names(s.keyboard)
    s.keyboard.show_for(s.field, KeyboardMode.EMAIL)  # an e-mail address: Latin only
    assert "حروف عربية" not in names(s.keyboard)


@pytest.mark.parametrize("mode", [KeyboardMode.TEXT, KeyboardMode.LINES])
def test_the_arabic_pages_keep_keys_named_big_and_apart(qtbot, arabic, mode):
    s = _make_screen(qtbot, stylesheet=f"* {{ font-size: {LARGEST_FONT_PX}px; }}")
    s.keyboard.show_for(s.field, mode)
    _assert_keys_named_big_and_apart(qtbot, s)


def test_a_language_change_renames_every_key_and_changes_the_layout(qtbot, screen):
    assert "Effacer" in names(screen.keyboard)
    set_language("ar")
    try:
        screen.keyboard.retranslate()
        after = names(screen.keyboard)
        assert screen.keyboard.layout_name == "letters-ar"
        assert "Effacer" not in after
        assert "مسح" in after
        assert "حروف عربية" in after
    finally:
        set_language("fr")
    screen.keyboard.retranslate()
    assert "Effacer" in names(screen.keyboard)
    assert screen.keyboard.layout_name == "letters"


# ---------------------------------------------------------------- opening by itself
def test_controller_opens_for_text_fields_and_closes_for_buttons(qtbot):
    s = _make_screen(qtbot)
    KeyboardController(s.keyboard)
    s.keyboard.hide()
    s.root.activateWindow()
    qtbot.waitActive(s.root)

    s.field.setFocus()
    qtbot.waitUntil(s.keyboard.isVisible)
    assert s.keyboard.target() is s.field
    assert s.keyboard.layout_name == "letters"

    s.button.setFocus()
    qtbot.waitUntil(lambda: not s.keyboard.isVisible())
    assert s.keyboard.target() is None


def test_controller_reads_the_field_mode_and_the_opt_out(qtbot):
    phone, private = QLineEdit(), QLineEdit()
    phone.setProperty("keyboardMode", "phone")
    private.setProperty("noKeyboard", True)
    s = _make_screen(qtbot, extra=(phone, private))
    KeyboardController(s.keyboard)
    s.keyboard.hide()
    s.root.activateWindow()
    qtbot.waitActive(s.root)

    phone.setFocus()
    qtbot.waitUntil(s.keyboard.isVisible)
    assert s.keyboard.layout_name == "phone"

    private.setFocus()
    qtbot.waitUntil(lambda: not s.keyboard.isVisible())


# ---------------------------------------------------------------- the keypad's highlight
def test_the_highlight_starts_on_a_and_stops_at_the_edges(screen):
    keyboard = screen.keyboard
    assert keyboard.highlighted() is None  # nothing shown until the keypad moves it
    assert keyboard.move_highlight(columns=1).accessibleName() == "a"  # first move: shown
    assert keyboard.move_highlight(columns=-1).accessibleName() == "a"  # the left edge
    assert keyboard.move_highlight(rows=-1).accessibleName() == "1"
    assert keyboard.move_highlight(rows=-1).accessibleName() == "1"  # the top edge
    for _ in range(20):
        last = keyboard.move_highlight(columns=1)
    assert last.accessibleName() == "à"  # the end of the row
    shown = keyboard.keys()
    highlighted = [k for k in shown if k.property("highlighted")]
    assert highlighted == [last]  # one key shown at a time, for the stylesheet


def test_up_and_down_keep_the_column_across_a_wide_key(screen):
    keyboard = screen.keyboard
    keyboard.move_highlight()
    for step in ((1, 0), (1, 0), (0, 1), (0, 1)):  # down to "w", right to "c"
        keyboard.move_highlight(*step)
    assert keyboard.highlighted().accessibleName() == "c"
    assert keyboard.move_highlight(rows=1).accessibleName() == "Majuscules"  # 3 keys wide
    assert keyboard.move_highlight(rows=-1).accessibleName() == "c"  # not back to "w"


def test_the_highlighted_key_types_as_a_tap_does_and_the_focus_stays(screen):
    keyboard = screen.keyboard
    typed: list[str] = []
    keyboard.key_typed.connect(typed.append)
    assert keyboard.activate_highlight() is None  # nothing typed before it is shown
    assert screen.field.text() == ""
    keyboard.move_highlight()
    assert keyboard.activate_highlight().accessibleName() == "a"
    keyboard.move_highlight(rows=1)
    keyboard.move_highlight(rows=1)
    keyboard.move_highlight(rows=1)
    assert keyboard.highlighted().accessibleName() == "Majuscules"
    keyboard.activate_highlight()
    keyboard.move_highlight(rows=-1)
    assert keyboard.highlighted().spoken() == "w, majuscule"  # said apart from "w"
    keyboard.activate_highlight()
    assert screen.field.text() == "aW"
    assert typed == ["a", "W"]
    assert QApplication.focusWidget() is screen.field
    keyboard.attach(screen.field)
    assert keyboard.highlighted() is None  # a new field starts without it


def test_a_box_of_lines_gets_a_new_line_key(qtbot):
    box = QPlainTextEdit()
    s = _make_screen(qtbot, extra=(box,))
    box.setFocus()
    assert mode_for_field(box) is KeyboardMode.LINES
    s.keyboard.show_for(box)
    assert s.keyboard.layout_name == "lines"
    tap(qtbot, s.keyboard, "a", "À la ligne", "b")
    assert box.toPlainText() == "a\nb"
    key = key_named(s.keyboard, "À la ligne").object()
    assert key.property("role") == "special"
