"""A masked PIN pad, drawn large, that never shows or announces the digits typed.

It only collects digits: checking the PIN, counting mistakes and locking are the
application's business (kiosk.security). EN 301 549 5.1.3.8: masked entry is not spoken,
so the pad emits no text to speak for a digit, only "one more digit" feedback by dots.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _, ngettext
from ui.overlays import Card
from ui.screen_reader import Alert

MASK = "●"


class PinPad(Card):
    """Digits 0-9, "Effacer", "Valider" and "Annuler", with a masked display.

    Signals:
        pin_entered(str): "Valider" with at least ``min_length`` digits.
        cancelled: the person gave up.
    """

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        title: str,
        metrics: ScreenMetrics,
        *,
        min_length: int = 4,
        max_length: int = 12,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(metrics, parent)
        self._digits = ""
        self._min_length = min_length
        self._max_length = max_length
        self._unlock_timer = QTimer(self)
        self._unlock_timer.setSingleShot(True)
        self._unlock_timer.timeout.connect(self._unlock)

        self.title.setText(title)
        self._display = QLabel(self)
        self._display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._display.setMinimumHeight(metrics.touch_target_px)
        self._display.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._message = Alert(self)
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setProperty("role", "error")
        self._message.hide()

        # A keypad keeps 1-2-3 from left to right in every language, Arabic included.
        keypad = QWidget(self)
        keypad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.touch_spacing_px * 2)
        self._digit_buttons: list[QPushButton] = []
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        for index, digit in enumerate(keys):
            grid.addWidget(self._make_digit(digit, metrics), index // 3, index % 3)
        self._erase = self._make_button(_("Effacer"), metrics, self._erase_digit)
        grid.addWidget(self._erase, 3, 0)
        grid.addWidget(self._make_digit("0", metrics), 3, 1)
        self._submit = self._make_button(_("Valider"), metrics, self._submit_pin, "primary")
        grid.addWidget(self._submit, 3, 2)
        self._cancel = self._make_button(_("Annuler"), metrics, self.cancelled.emit, "danger")

        for widget in (self._display, self._message, keypad, self._cancel):
            self.body.addWidget(widget)
        self._refresh_display()

    def retranslate(self, title: str) -> None:
        """The pad's words in the current language (the digits need none)."""
        self.title.setText(title)
        for button, text in (
            (self._erase, _("Effacer")),
            (self._submit, _("Valider")),
            (self._cancel, _("Annuler")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        self._refresh_display()

    def _make_digit(self, digit: str, metrics: ScreenMetrics) -> QPushButton:
        button = self._make_button(digit, metrics, lambda: self._add_digit(digit))
        self._digit_buttons.append(button)
        return button

    def _make_button(
        self, text: str, metrics: ScreenMetrics, slot: object, role: str = ""
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        button.setProperty("sizing", "key")
        if role:
            button.setProperty("role", role)
        button.clicked.connect(slot)
        return button

    @property
    def entered_length(self) -> int:
        """How many digits are typed (never which)."""
        return len(self._digits)

    @property
    def locked(self) -> bool:
        return self._unlock_timer.isActive()

    def clear(self) -> None:
        """Forget the digits typed and any message."""
        self._digits = ""
        self._message.hide()
        self._refresh_display()

    def refuse(self, message: str, locked_seconds: float = 0.0) -> None:
        """Show why the PIN was refused; block entry for ``locked_seconds``."""
        self._digits = ""
        self._refresh_display()
        self._message.say(message)
        if locked_seconds > 0:
            self._set_entry_enabled(False)
            self._unlock_timer.start(int(locked_seconds * 1000))

    def unlock(self) -> None:
        """End a lock now (another account chosen, or its lock is over)."""
        self._unlock_timer.stop()
        self._unlock()

    def _unlock(self) -> None:
        self._set_entry_enabled(True)
        self._message.hide()

    def _set_entry_enabled(self, enabled: bool) -> None:
        for button in (*self._digit_buttons, self._erase, self._submit):
            button.setEnabled(enabled)

    def _add_digit(self, digit: str) -> None:
        if len(self._digits) < self._max_length:
            self._digits += digit
            self._refresh_display()

    def _erase_digit(self) -> None:
        self._digits = self._digits[:-1]
        self._refresh_display()

    def _submit_pin(self) -> None:
        if len(self._digits) < self._min_length:
            return
        pin, self._digits = self._digits, ""
        self._refresh_display()
        self.pin_entered.emit(pin)

    def _refresh_display(self) -> None:
        shown = MASK * len(self._digits) if self._digits else _("Tapez le code")
        self._display.setText(shown)
        # A screen reader hears how many digits, never which ones.
        self._display.setAccessibleName(
            ngettext("{n} chiffre tapé", "{n} chiffres tapés", len(self._digits)).format(
                n=len(self._digits)
            )
            if self._digits
            else shown
        )
