""""Où en est ma demande ?" as the GUI thread sees it: part of the composition root.

The screen hands over what was typed; this reads it as a reference
(``normalise_reference``), looks it up in this terminal's queue (an indexed read, no
payload decrypted) and, when the request has left the terminal or was never stored
here, asks the back office on a short-lived thread (``kiosk.domain.request_status``,
bounded by the connector's deadline). The answer comes back as a signal, is shown and
spoken. An answer that comes back after the visit ended, or after another search, is
dropped: each search has a number, and the end of a visit moves it on.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from accessibility.sizes import ScreenMetrics
from kiosk.domain.reference import normalise_reference
from kiosk.domain.request_status import (
    Answer,
    Local,
    Outcome,
    StatusSource,
    describe,
    look_up,
)
from kiosk.i18n import _
from offline_queue.store import WAITING_STATES, QueueStore, State
from ui.main_window import KioskWindow
from ui.screens.status import StatusScreen

_log = logging.getLogger(__name__)


def local_state(store: QueueStore, reference: str) -> Local:
    """What this terminal's queue knows of ``reference`` (never its payload)."""
    item = store.find_reference(reference)
    if item is None:
        return Local.NOT_HERE
    if item.state in WAITING_STATES:
        return Local.WAITING
    return Local.DELIVERED if item.state is State.DELIVERED else Local.SET_ASIDE


def build_status_desk(
    window: KioskWindow, store: QueueStore, connector: object, metrics: ScreenMetrics,
    parent: QObject,
) -> StatusDesk:
    """The desk and its screen, asking the back office's ``connector`` (the one the
    kiosk delivers through) if it tells statuses."""
    source = connector if isinstance(connector, StatusSource) else None
    return StatusDesk(window, StatusScreen(metrics, window), store, source, parent)


class StatusDesk(QObject):
    """Drives the status screen.

    Signals:
        speak(str): text to read in audio mode (never personal: a status only).
        looked_up: a well-formed reference is being looked up (counted, never kept).
    """

    speak = Signal(str)
    looked_up = Signal()
    _answered = Signal(int, object)  # (search number, Answer) from the lookup thread

    def __init__(
        self,
        window: KioskWindow,
        screen: StatusScreen,
        store: QueueStore,
        source: StatusSource | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.screen = screen
        self._store = store
        self._source = source
        self._search = 0  # the number of the search whose answer is awaited
        self._busy = False
        self._stopped = False
        self._shown: Answer | None = None  # the answer on screen, said again in a new language
        self._answered.connect(self._show)
        screen.search_requested.connect(self.look_up)

    def open(self) -> None:
        """Show the screen, fresh, the focus in the box."""
        self.wipe()
        self.window.show_screen(self.screen)
        self.screen.start()
        self.speak.emit(self.screen.spoken_text())

    def look_up(self, typed: str) -> None:
        """Read ``typed`` as a reference and find where that request is."""
        if self._busy:
            return  # the answer to the same question is on its way
        reference = normalise_reference(typed)
        if reference is None:
            message = _(
                "Ce numéro n'est pas complet ou pas juste. Il a 3 groupes, "
                "comme sur votre reçu. Vérifiez-le."
            )
            self.screen.show_error(message)
            self.speak.emit(message)
            return
        self.screen.show_reference(reference)
        self.looked_up.emit()
        try:
            here = local_state(self._store, reference)
        except Exception as error:  # a queue that cannot be read: ask the back office
            _log.warning("queue not read for a status: %s", type(error).__name__)
            here = Local.NOT_HERE
        if here in (Local.WAITING, Local.SET_ASIDE) or self._source is None:
            self._show(self._search, look_up(reference, lambda _ref: here, None))
            return
        self._busy = True
        self._shown = None
        self.screen.show_answer(_("Un instant. La borne demande à la mairie."))
        self.speak.emit(self.screen.spoken_text())
        threading.Thread(
            target=self._ask, args=(self._search, reference, here), name="request-status",
            daemon=True,
        ).start()

    def _ask(self, search: int, reference: str, here: Local) -> None:
        """On the lookup thread: the back office's answer, bounded by its deadline."""
        answer: Answer
        try:
            answer = look_up(reference, lambda _ref: here, self._source)
        except Exception as error:  # look_up does not raise; a bug must not hang the screen
            _log.error("status lookup failed: %s", type(error).__name__)
            answer = Outcome.UNREACHABLE
        if not self._stopped:
            self._answered.emit(search, answer)

    def _show(self, search: int, answer: Answer) -> None:
        """On the GUI thread: show and say the answer, if still awaited."""
        self._busy = False
        if search != self._search or self._stopped:
            return  # the visit ended, or another search started, meanwhile
        self.present(answer)

    def present(self, answer: Answer) -> None:
        """Show and say ``answer``."""
        self._shown = answer
        text = describe(answer)
        self.screen.show_answer(text)
        self.speak.emit(text)

    def retranslate(self) -> None:
        self.screen.retranslate()
        if self._shown is not None:
            self.screen.set_answer_text(describe(self._shown))

    def wipe(self) -> None:
        """End of a visit: forget the reference and any answer still to come."""
        self._search += 1
        self._busy = False
        self._shown = None
        self.screen.clear()

    def stop(self) -> None:
        """The kiosk stops: an answer still to come is dropped (the source is the kiosk's
        one connector: ``Delivery.stop`` closes it)."""
        self._stopped = True
