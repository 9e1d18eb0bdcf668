"""The on-screen keyboard the kiosk draws itself, and the controller that opens it.

Qt Virtual Keyboard is GPL-only and outside keyboards do not run under the ``cage``
compositor, so the kiosk has its own: French AZERTY with the accented letters always in
sight, capitals, digits, ``, ? ' - . @``, space, "Effacer", "Valider"; or a 12-key pad for
numbers, dates, postcodes and phone numbers.

Choices:
- Keys never take the focus (``Qt.NoFocus``): the text cursor stays in the field while
  the resident taps, and a physical keyboard keeps typing into the field directly. A
  screen-reader user reaches every key by name through the accessibility API (press
  action), which does not need the focus. A keypad user moves a highlight over the keys
  instead (``move_highlight`` / ``activate_highlight``, driven by ``ui.keypad``): the
  highlighted key has the ``highlighted`` property for the stylesheet (a thick outline
  and inverted colours, not a colour alone), and the focus stays in the field.
- The keyboard is an ordinary child widget that the screen places under the question
  (never a popup or a window of its own), so the field being typed into stays visible.
- It stays left-to-right in a right-to-left (Arabic) interface, as physical keyboards do.
  In Arabic it has an Arabic page too, and a key to go from one alphabet to the other
  (see ui.widgets.keyboard_layouts for which comes first).
- ``retranslate()`` (called by the screen on a language change) renames the keys in the
  new language and shows the layouts of that language.
- Colours and fonts come from the application's stylesheet: keys are QPushButtons named
  ``keyboardKey`` with a ``role`` property (``character``, ``accent``, ``special``, and
  ``primary`` for "Valider", as for every main action in ui.style),
  the shift key has a ``shiftState`` property (``off``, ``once``, ``locked``) for the
  stylesheet to highlight it, e.g. ``QPushButton#keyboardKey[shiftState="locked"]``.
"""

from __future__ import annotations

import enum
from functools import partial

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import N_, _, current_language
from ui.widget_tree import enclosing
from ui.widgets.keyboard_layouts import (
    ACCENT_DESCRIPTIONS,
    ACCENTED_LETTERS,
    CHARACTER_LABELS,
    CHARACTER_NAMES,
    LAYOUTS,
    SPECIAL_NAMES,
    SWITCH_LABELS,
    KeyboardLayout,
    KeyboardMode,
    KeyKind,
    KeySpec,
    layout_for,
)

# Dynamic properties a screen may set on a field.
MODE_PROPERTY = "keyboardMode"  # one of KeyboardMode's values
NO_KEYBOARD_PROPERTY = "noKeyboard"  # True: never open the keyboard for this field
PERSONAL_DATA_PROPERTY = "personalData"  # True: what is typed must not be spoken aloud

# A numeric pad key is wider than the minimum target: a pad is used with a whole finger.
NUMERIC_KEY_WIDTH_MM = 50.0
PAD_COLUMNS = 4  # a layout this narrow or narrower is a pad, centred with wide keys

TextField = QLineEdit | QPlainTextEdit | QTextEdit


class ShiftState(enum.Enum):
    """Capitals: off, for the next letter only, or locked until pressed again."""

    OFF = "off"
    ONCE = "once"
    LOCKED = "locked"

    def next(self) -> ShiftState:
        """Each press of "Majuscules" moves one step: off -> one letter -> locked -> off."""
        order = (ShiftState.OFF, ShiftState.ONCE, ShiftState.LOCKED)
        return order[(order.index(self) + 1) % len(order)]


_SHIFT_LABELS = {
    ShiftState.OFF: N_("Majuscules"),
    ShiftState.ONCE: N_("Une majuscule"),
    ShiftState.LOCKED: N_("Majuscules bloquées"),
}
_SHIFT_HELP = {
    ShiftState.OFF: N_(
        "Appuyez une fois pour une lettre en majuscule. "
        "Appuyez deux fois pour écrire tout en majuscules."
    ),
    ShiftState.ONCE: N_(
        "La prochaine lettre sera en majuscule. Appuyez encore pour écrire tout en majuscules."
    ),
    ShiftState.LOCKED: N_("Tout s'écrit en majuscules. Appuyez pour revenir aux minuscules."),
}


def _role_for(spec: KeySpec) -> str:
    if spec.kind is KeyKind.OK:
        return "primary"  # the role ui.style already gives main actions
    if spec.kind is KeyKind.CHARACTER and not spec.text.isspace():
        return "accent" if spec.text in ACCENTED_LETTERS else "character"
    return "special"


class KeyboardKey(QPushButton):
    """One key: never takes the focus, at least one touch target in both directions.

    ``row``, ``column`` and ``span`` place it in its layout's grid (for the highlight).
    """

    row = 0
    column = 0

    def __init__(
        self,
        spec: KeySpec,
        metrics: ScreenMetrics,
        *,
        preferred_width_px: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._minimum = metrics.touch_target_px
        self._preferred_width = preferred_width_px
        self._capitals = False
        self.setObjectName("keyboardKey")
        self.setProperty("role", _role_for(spec))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        # Maximum in height: a key keeps its comfortable height where there is room, and
        # goes down to one line of text (``minimumSizeHint``) on a short screen.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._refresh()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = max(hint.width(), self._minimum, self._preferred_width)
        return QSize(width, max(hint.height(), self._minimum))

    def minimumSizeHint(self) -> QSize:
        # The label must always fit: the key never shrinks below its text. (No fixed
        # setMinimumSize: it would override this hint and let layouts clip the label.)
        # In height, one line of text inside the border is enough: Qt's own minimum adds
        # a button's margins, which cost five rows a whole line on a 800-pixel screen.
        line = self.fontMetrics().height() + 2 * self._border_px()
        width = super().minimumSizeHint().width()
        return QSize(max(width, self._minimum), max(line, self._minimum))

    def _border_px(self) -> int:
        """The frame the stylesheet draws around the label (its border width)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        contents = self.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, self
        )
        return max(contents.top(), 0)

    @property
    def typed_text(self) -> str:
        """What this key types now (a capital when the shift is on)."""
        text = self.spec.text
        return text.upper() if self._capitals and text.isalpha() else text

    def set_capitals(self, capitals: bool) -> None:
        if capitals != self._capitals:
            self._capitals = capitals
            self._refresh()

    def set_shift_state(self, state: ShiftState) -> None:
        """Only for the "Majuscules" key: show the state in words, not by colour alone.

        Not a checkable button on purpose: that would make it a check box to a screen
        reader; its state is in its label, its description and ``shiftState``.
        """
        self.setProperty("shiftState", state.value)
        self.setText(_(_SHIFT_LABELS[state]))
        self.setAccessibleDescription(_(_SHIFT_HELP[state]))
        self.style().unpolish(self)
        self.style().polish(self)

    def retranslate(self) -> None:
        """Its label and names in the current language (the shift key goes back to off)."""
        self._refresh()

    def _refresh(self) -> None:
        spec = self.spec
        if spec.kind is KeyKind.SHIFT:
            self.setAccessibleName(_(SPECIAL_NAMES[spec.kind]))
            self.set_shift_state(ShiftState.OFF)
            return
        if spec.kind is KeyKind.SWITCH:
            shown, spoken = SWITCH_LABELS[spec.text]
            self.setText(shown)
            self.setAccessibleName(_(spoken))
            return
        if spec.kind is not KeyKind.CHARACTER:
            name = _(SPECIAL_NAMES[spec.kind])
            self.setText(name)
            self.setAccessibleName(name)
            return
        text = self.typed_text
        label = CHARACTER_LABELS.get(text)
        self.setText(_(label) if label else text)
        special_name = CHARACTER_NAMES.get(text)
        self.setAccessibleName(_(special_name) if special_name else text)
        self.setAccessibleDescription(self._describe(text))

    def spoken(self) -> str:
        """What the keypad's highlight says on it: a letter's description when it has one
        ("e accent aigu", "h, majuscule": an "é" heard alone is taken for an "e"), else
        its name ("a", "Espace", "Une majuscule")."""
        if self.spec.kind is KeyKind.CHARACTER and self.accessibleDescription():
            return self.accessibleDescription()
        return self.accessibleName()

    def set_highlighted(self, on: bool) -> None:
        if bool(self.property("highlighted")) != on:
            self.setProperty("highlighted", on)
            self.style().unpolish(self)
            self.style().polish(self)

    def _describe(self, text: str) -> str:
        accent = ACCENT_DESCRIPTIONS.get(text.lower())
        words = _(accent) if accent else ""
        if text.isalpha() and text != text.lower():
            return _("{letter}, majuscule").format(letter=words or text.lower())
        return words


def _is_read_only(field: QWidget) -> bool:
    if isinstance(field, TextField | QAbstractSpinBox):
        return field.isReadOnly()
    return False


def wants_keyboard(widget: QWidget | None) -> bool:
    """True for a field that takes typed text and has not opted out."""
    if widget is None or bool(widget.property(NO_KEYBOARD_PROPERTY)):
        return False
    if not isinstance(widget, TextField | QAbstractSpinBox):
        return False
    return not _is_read_only(widget)


def mode_for_field(widget: QWidget) -> KeyboardMode:
    """The field's ``keyboardMode`` property, else a guess from Qt's input method hints."""
    declared = widget.property(MODE_PROPERTY)
    if declared:
        try:
            return KeyboardMode(str(declared))
        except ValueError:
            return KeyboardMode.TEXT
    if isinstance(widget, QAbstractSpinBox):
        return KeyboardMode.NUMBER
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return KeyboardMode.LINES
    hints = widget.inputMethodHints()
    hint = Qt.InputMethodHint
    for flag, mode in (
        (hint.ImhEmailCharactersOnly, KeyboardMode.EMAIL),
        (hint.ImhDialableCharactersOnly, KeyboardMode.PHONE),
        (hint.ImhDate, KeyboardMode.DATE),
        (hint.ImhDigitsOnly, KeyboardMode.NUMBER),
        (hint.ImhFormattedNumbersOnly, KeyboardMode.NUMBER),
    ):
        if hints & flag:
            return mode
    return KeyboardMode.TEXT


class OnScreenKeyboard(QWidget):
    """A keyboard drawn by the kiosk that types into the attached field.

    Signals:
        key_typed(str): a character went into the field (the caller decides whether to
            speak it: never for a masked or personal field, see ``target_is_private``).
        key_refused(str): the field refused the character (validator, maximum length).
        erased(): "Effacer" removed the character before the cursor (or the selection).
        special_key(str): the spoken name of a key that typed nothing ("Majuscules"...).
        accepted(): "Valider".
        layout_changed(str): the layout shown now ("letters", "lines", "email", "digits",
            "phone").
        shift_changed(str): "off", "once" or "locked".
    """

    key_typed = Signal(str)
    key_refused = Signal(str)
    erased = Signal()
    special_key = Signal(str)
    accepted = Signal()
    layout_changed = Signal(str)
    shift_changed = Signal(str)

    def __init__(self, metrics: ScreenMetrics | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._metrics = metrics or ScreenMetrics()
        self._target: QWidget | None = None
        self._mode = KeyboardMode.TEXT
        self._shift = ShiftState.OFF
        self._pages: dict[str, QWidget] = {}
        self._layout_name = ""
        self._highlight: KeyboardKey | None = None  # shown once the keypad moves it
        self._anchor_column = 0  # where up / down aim, as a text cursor keeps its column
        self.setObjectName("onScreenKeyboard")
        self.setAccessibleName(_("Clavier"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        spacing = self._metrics.touch_spacing_px
        self._box = QVBoxLayout(self)
        # No margin above and below: the screen's layout already keeps its neighbours 3 mm
        # away, and on a 1280x800 panel at the largest text every line counts.
        self._box.setContentsMargins(spacing, 0, spacing, 0)
        self._box.setSpacing(0)
        self.set_mode(KeyboardMode.TEXT)

    # ------------------------------------------------------------------ public API
    @property
    def mode(self) -> KeyboardMode:
        return self._mode

    @property
    def layout_name(self) -> str:
        return self._layout_name

    @property
    def shift_state(self) -> ShiftState:
        return self._shift

    def is_pad(self) -> bool:
        """Whether the layout shown is a short pad (digits, phone), not letters."""
        return LAYOUTS[self._layout_name].columns <= PAD_COLUMNS

    def target(self) -> QWidget | None:
        """The field keys type into: the attached one, else the focused text field, else None."""
        if self._target is not None and not shiboken6.isValid(self._target):
            self._target = None
        if self._target is None:
            focused = QApplication.focusWidget()
            return focused if wants_keyboard(focused) else None
        return self._target

    def attach(self, field: QWidget | None) -> None:
        """Type into ``field`` from now on (None: into the focused text field, if any).

        Capitals go back to off: a new field starts in lowercase.
        """
        self._target = field
        self.set_shift_state(ShiftState.OFF)
        self._set_highlight(None)

    def set_mode(self, mode: KeyboardMode | str) -> None:
        """Show the layout for a kind of field (letters, e-mail, digits, phone)."""
        try:
            self._mode = KeyboardMode(mode)
        except ValueError:
            self._mode = KeyboardMode.TEXT
        self._show_layout(layout_for(self._mode, current_language()))

    def retranslate(self) -> None:
        """Rename every key in the current language and show that language's layout.

        Pages already built are kept (never deleted while a screen reader or a tap may
        still hold a key) and renamed; a layout of the new language is built when needed.
        """
        self.setAccessibleName(_("Clavier"))
        for page in self._pages.values():
            for key in page.findChildren(KeyboardKey):
                key.retranslate()
        self.set_mode(self._mode)
        self._apply_shift_to_keys()

    def _show_layout(self, layout: KeyboardLayout) -> None:
        if layout.name == self._layout_name:
            return
        if layout.name not in self._pages:
            self._pages[layout.name] = self._build_page(layout)
        for name, page in self._pages.items():
            # Explicit: a page built while the keyboard is shown would stay hidden.
            page.setVisible(name == layout.name)
        self._layout_name = layout.name
        self._set_highlight(None)
        self._apply_shift_to_keys()
        self.layout_changed.emit(layout.name)

    def show_for(self, field: QWidget, mode: KeyboardMode | str | None = None) -> None:
        """Attach to ``field``, pick the layout for ``mode`` (guessed when None), show."""
        self.attach(field)
        self.set_mode(mode if mode is not None else mode_for_field(field))
        self.show()
        self.ensure_visible(field)

    def hide_and_detach(self) -> None:
        """Hide the keyboard and forget the field."""
        self.attach(None)
        self.hide()

    def ensure_visible(self, field: QWidget) -> None:
        """If ``field`` sits in a scroll area, scroll it into view once the keyboard is laid out.

        The keyboard takes room at the bottom of the screen, so a field low in a scrolled
        page could otherwise end up under the fold.
        """
        area = enclosing(field, QScrollArea)
        if area is None:
            return
        margin = self._metrics.touch_spacing_px * 2

        def scroll() -> None:
            if shiboken6.isValid(area) and shiboken6.isValid(field):
                area.ensureWidgetVisible(field, margin, margin)

        QTimer.singleShot(0, self, scroll)

    def keys(self) -> list[KeyboardKey]:
        """The keys of the layout shown now, in reading order."""
        page = self._pages[self._layout_name]
        return page.findChildren(KeyboardKey)

    # ------------------------------------------------------------------ highlight (keypad)
    def highlighted(self) -> KeyboardKey | None:
        """The key the keypad's highlight is on, None until the keypad first moves it."""
        if self._highlight is not None and not shiboken6.isValid(self._highlight):
            self._highlight = None
        return self._highlight

    def move_highlight(self, rows: int = 0, columns: int = 0) -> KeyboardKey:
        """Move the highlight by one row (``rows`` = -1 / 1) or one key (``columns``);
        it stops at the edges. The first move only shows it, on the "a" (or first) key.
        Returns the key highlighted now."""
        current = self.highlighted()
        keys = self.keys()
        if current is None:
            key = next((k for k in keys if k.spec.text == "a"), keys[0])
            self._anchor_column = key.column
        elif columns:
            row = sorted((k for k in keys if k.row == current.row), key=lambda k: k.column)
            index = min(max(row.index(current) + columns, 0), len(row) - 1)
            key = row[index]
            self._anchor_column = key.column
        else:
            key = self._key_above_or_below(current, rows, keys)
        self._set_highlight(key)
        return key

    def activate_highlight(self) -> KeyboardKey | None:
        """Press the highlighted key, as a tap would; None, pressing nothing, while no key
        is highlighted (a key is never typed before the resident heard its name)."""
        key = self.highlighted()
        if key is not None:
            key.click()
        return key

    def _key_above_or_below(
        self, current: KeyboardKey, rows: int, keys: list[KeyboardKey]
    ) -> KeyboardKey:
        row = current.row + rows
        while 0 <= row <= max(k.row for k in keys):
            for key in keys:
                if key.row == row and 0 <= self._anchor_column - key.column < key.spec.span:
                    return key
            row += rows  # a gap under the anchor: look one row further
        return current

    def _set_highlight(self, key: KeyboardKey | None) -> None:
        previous = self.highlighted()
        if previous is not None and previous is not key:
            previous.set_highlighted(False)
        self._highlight = key
        if key is not None:
            key.set_highlighted(True)

    def set_shift_state(self, state: ShiftState) -> None:
        if state is self._shift:
            return
        self._shift = state
        self._apply_shift_to_keys()
        self.shift_changed.emit(state.value)

    def target_is_private(self) -> bool:
        """True when what is typed must not be spoken: masked entry or personal data."""
        field = self.target()
        if field is None:
            return False
        if isinstance(field, QLineEdit) and field.echoMode() != QLineEdit.EchoMode.Normal:
            return True
        return bool(field.property(PERSONAL_DATA_PROPERTY))

    def type_text(self, text: str) -> bool:
        """Insert ``text`` at the field's cursor through the field's own editing API.

        Going through ``QLineEdit.insert`` and friends keeps undo, validators and the
        maximum length working. Returns whether the field took the text.
        """
        field = self.target()
        if field is None or _is_read_only(field):
            return False
        if isinstance(field, QLineEdit):
            before = (field.text(), field.cursorPosition())
            field.insert(text)
            return (field.text(), field.cursorPosition()) != before
        if isinstance(field, QPlainTextEdit | QTextEdit):
            field.insertPlainText(text)
            field.ensureCursorVisible()
            return True
        _send_key(field, Qt.Key.Key_unknown, text)
        return True

    def backspace(self) -> None:
        """Delete the selection, or the character before the cursor."""
        field = self.target()
        if field is None or _is_read_only(field):
            return
        if isinstance(field, QLineEdit):
            field.backspace()
        elif isinstance(field, QPlainTextEdit | QTextEdit):
            cursor = field.textCursor()
            cursor.deletePreviousChar()
            field.setTextCursor(cursor)
        else:
            _send_key(field, Qt.Key.Key_Backspace, "")

    # ------------------------------------------------------------------ internals
    def _build_page(self, layout: KeyboardLayout) -> QWidget:
        page = QWidget(self)
        page.setObjectName("keyboardPage")
        page.setProperty("layoutName", layout.name)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(self._metrics.touch_spacing_px)
        # A short pad (3 columns) is centred with wide keys; the letters fill the width.
        compact = layout.columns <= PAD_COLUMNS
        key_width = self._metrics.px(NUMERIC_KEY_WIDTH_MM) if compact else 0
        for row_index, row in enumerate(layout.rows):
            column = 0
            for spec in row:
                if spec.kind is not KeyKind.GAP:
                    key = KeyboardKey(
                        spec, self._metrics, preferred_width_px=key_width * spec.span, parent=page
                    )
                    key.row, key.column = row_index, column
                    key.clicked.connect(partial(self._on_key, key))
                    grid.addWidget(key, row_index, column, 1, spec.span)
                column += spec.span
        # The grid itself holds the minimum: a stylesheet's min-width/min-height would
        # override a key's own minimum size, but not its row and column.
        target = self._metrics.touch_target_px
        for column in range(layout.columns):
            grid.setColumnStretch(column, 1)
            grid.setColumnMinimumWidth(column, max(target, key_width))
        for row_index in range(len(layout.rows)):
            grid.setRowMinimumHeight(row_index, target)
        if compact:
            self._box.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        else:
            self._box.addWidget(page)
        return page

    def _apply_shift_to_keys(self) -> None:
        if not self._layout_name:
            return
        capitals = self._shift is not ShiftState.OFF
        for key in self.keys():
            if key.spec.kind is KeyKind.SHIFT:
                key.set_shift_state(self._shift)
            else:
                key.set_capitals(capitals)

    def _on_key(self, key: KeyboardKey) -> None:
        kind = key.spec.kind
        if kind is KeyKind.CHARACTER:
            text = key.typed_text
            if self.type_text(text):
                self.key_typed.emit(text)
            else:
                self.key_refused.emit(text)
            if self._shift is ShiftState.ONCE:
                self.set_shift_state(ShiftState.OFF)
        elif kind is KeyKind.BACKSPACE:
            self.backspace()
            self.erased.emit()
        elif kind is KeyKind.SHIFT:
            self.set_shift_state(self._shift.next())
            self.special_key.emit(key.accessibleName())
        elif kind is KeyKind.OK:
            self.accepted.emit()
        elif kind is KeyKind.SWITCH:
            self._show_layout(LAYOUTS[key.spec.text])
            self.special_key.emit(key.accessibleName())


def _send_key(field: QWidget, key: Qt.Key, text: str) -> None:
    """For fields without an insert API (spin boxes...): a synthetic key press."""
    for event_type in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(event_type, key, Qt.KeyboardModifier.NoModifier, text)
        QApplication.sendEvent(field, event)




class KeyboardController(QObject):
    """Opens the keyboard when a text field gets the focus, closes it for anything else.

    Listens to ``QApplication.focusChanged`` (the application-wide focus signal, which an
    event filter on the application would only re-derive). Focus on the keyboard itself
    (it takes none) or to no widget at all (the window lost activation) changes nothing.
    """

    def __init__(
        self,
        keyboard: OnScreenKeyboard,
        app: QApplication | None = None,
    ) -> None:
        super().__init__(keyboard)
        self._keyboard = keyboard
        self._enabled = True
        application = app or QApplication.instance()
        if not isinstance(application, QApplication):
            raise RuntimeError("KeyboardController needs a QApplication")
        application.focusChanged.connect(self._on_focus_changed)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Off: the keyboard is neither opened nor closed by focus changes (and is hidden)."""
        self._enabled = enabled
        if not enabled:
            self._keyboard.hide_and_detach()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self._enabled or new is None or not shiboken6.isValid(self._keyboard):
            return
        if new is self._keyboard or self._keyboard.isAncestorOf(new):
            return
        # Only for a box of its own screen: each screen with a box has its keyboard, and
        # one shown for another screen's box, on a hidden screen, made the whole stack of
        # screens as tall as that one with its keyboard up (853 px at 1280x800).
        screen = self._keyboard.parentWidget()
        if wants_keyboard(new) and (screen is None or screen.isAncestorOf(new)):
            self._keyboard.show_for(new)
        else:
            self._keyboard.hide_and_detach()
