"""Idle handling: notices when nobody touches the kiosk, then asks before wiping.

``IdleWatcher`` is an application-wide event filter: any input restarts its timer. When
the timer runs out it emits ``idle_timed_out``; the window then shows ``IdleQuestion`` in an overlay
("Êtes-vous toujours là ?") whose countdown ends in ``countdown_finished`` (wipe) unless the
resident presses "Je suis là".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _, ngettext
from ui.overlays import Card

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle_timed_out`` after ``idle_ms`` without any input.

    Signals:
        idle_timed_out: nobody used the kiosk for the configured time.
    """

    idle_timed_out = Signal()
    EVENT_TYPES = INPUT_EVENTS

    def __init__(self, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.idle_timed_out)
        self._waiting_for_input = False

    def start(self) -> None:
        self._waiting_for_input = False
        self._timer.start()

    def stop(self) -> None:
        self._waiting_for_input = False
        self._timer.stop()

    def disarm(self) -> None:
        """Nobody is here: watch again from the next touch or key (an untouched welcome
        screen must not keep asking "Êtes-vous toujours là ?" to an empty room)."""
        self._timer.stop()
        self._waiting_for_input = True

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @property
    def remaining_ms(self) -> int:
        """Milliseconds before the kiosk asks whether someone is there (-1 when stopped)."""
        return self._timer.remainingTime()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and (self._timer.isActive() or self._waiting_for_input):
            self.start()
        return False


class IdleQuestion(Card):
    """"Êtes-vous toujours là ?" with a visible countdown and a big "Je suis là" button.

    Signals:
        still_here: the resident answered; the visit goes on.
        countdown_finished: nobody answered; the session must be wiped.
        announce(str): text to speak (the question, then every ten seconds left).
    """

    still_here = Signal()
    countdown_finished = Signal()
    announce = Signal(str)

    def __init__(
        self, countdown_seconds: int, metrics: ScreenMetrics, parent: QWidget | None = None
    ) -> None:
        super().__init__(metrics, parent)
        self._total = countdown_seconds
        self._remaining = countdown_seconds
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self._countdown = QLabel(self)
        self._countdown.setWordWrap(True)
        self._countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._button = QPushButton(self)
        self._button.setProperty("role", "primary")
        self._button.setProperty("sizing", "hero")
        self._button.clicked.connect(self._answered)
        self.body.addWidget(self._countdown)
        self.body.addWidget(self._button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Êtes-vous toujours là ?"))
        self._button.setText(_("Je suis là"))
        self._button.setAccessibleName(_("Je suis là"))
        self._update_countdown()

    @property
    def remaining_seconds(self) -> int:
        return self._remaining

    @property
    def counting(self) -> bool:
        return self._tick.isActive()

    def start(self) -> None:
        self._remaining = self._total
        self._update_countdown()
        self._tick.start()
        self._button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.announce.emit(f"{self.title.text()} {self._countdown.text()}")

    def stop(self) -> None:
        self._tick.stop()

    def _answered(self) -> None:
        self.stop()
        self.still_here.emit()

    def _count_down(self) -> None:
        self._remaining -= 1
        self._update_countdown()
        if self._remaining <= 0:
            self.stop()
            self.countdown_finished.emit()
        elif self._remaining % 10 == 0:
            self.announce.emit(self._countdown.text())

    def _update_countdown(self) -> None:
        text = ngettext(
            "Sans réponse, tout sera effacé dans {n} seconde.",
            "Sans réponse, tout sera effacé dans {n} secondes.",
            self._remaining,
        ).format(n=self._remaining)
        self._countdown.setText(text)
