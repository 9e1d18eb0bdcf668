""""Où en est ma demande ?" as the GUI thread sees it: part of the composition root.

The screen hands over what was typed; this reads it as a reference
(``normalise_reference``), looks it up in this terminal's queue (an indexed read, no
payload decrypted) and, when the request has left the terminal or was never stored
here, asks the back office on a short-lived thread (``kiosk.domain.request_status``,
bounded by the connector's deadline). w.c.s. and Open311 know their own ids only: for
them the desk hands over the link this terminal kept (démarche, back-office id), and
writes back the id an Open311 server gave later for a token. The answer comes back as
a signal, is shown and spoken. An answer that comes back after the visit ended, or after
another search, is dropped: each search has a number, and the end of a visit moves it on.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from accessibility.sizes import ScreenMetrics
from kiosk.domain.reference import normalise_reference
from kiosk.domain.request_status import (
    Answer,
    ByLink,
    Link,
    LinkedStatusSource,
    Local,
    Outcome,
    StatusSource,
    describe,
    look_up,
)
from kiosk.i18n import _
from offline_queue.store import WAITING_STATES, ItemInfo, QueueStore, State
from ui.main_window import KioskWindow
from ui.screens.status import StatusScreen

_log = logging.getLogger(__name__)


Source = StatusSource | LinkedStatusSource


def local_state(item: ItemInfo | None) -> Local:
    """What this terminal's queue knows of a reference, from its latest item (or None)."""
    if item is None:
        return Local.NOT_HERE
    if item.state in WAITING_STATES:
        return Local.WAITING
    return Local.DELIVERED if item.state is State.DELIVERED else Local.SET_ASIDE


def link_of(item: ItemInfo | None) -> Link | None:
    """The démarche and back-office id this terminal kept for a delivered item."""
    if item is None or item.state is not State.DELIVERED or not item.remote_reference:
        return None
    return Link(item.kind, item.remote_reference)


def build_status_desk(
    window: KioskWindow, store: QueueStore, connector: object, metrics: ScreenMetrics,
    parent: QObject,
) -> StatusDesk:
    """The desk and its screen, asking the back office's ``connector`` (the one the
    kiosk delivers through) if it tells statuses, by the kiosk's reference or (w.c.s.,
    Open311) by the link this terminal kept."""
    source = connector if isinstance(connector, StatusSource | LinkedStatusSource) else None
    return StatusDesk(window, StatusScreen(metrics, window), store, source, parent)


class StatusDesk(QObject):
    """Drives the status screen.

    Signals:
        speak(str): text to read in audio mode (never personal: a status only).
        looked_up: a well-formed reference is being looked up (counted, never kept).
    """

    speak = Signal(str)
    looked_up = Signal()
    # (search number, Answer, the source asked) from the lookup thread
    _answered = Signal(int, object, object)

    def __init__(
        self,
        window: KioskWindow,
        screen: StatusScreen,
        store: QueueStore,
        source: Source | None,
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
        item: ItemInfo | None = None
        try:
            item = self._store.find_reference(reference)
        except Exception as error:  # a queue that cannot be read: ask the back office
            _log.warning("queue not read for a status: %s", type(error).__name__)
        here = local_state(item)
        if here in (Local.WAITING, Local.SET_ASIDE) or self._source is None:
            self._show(self._search, look_up(reference, lambda _ref: here, None), None)
            return
        source: StatusSource = (
            ByLink(self._source, link_of(item), item.id if item else None)
            if isinstance(self._source, LinkedStatusSource) else self._source
        )
        self._busy = True
        self._shown = None
        self.screen.show_answer(_("Un instant. La borne demande à la mairie."))
        self.speak.emit(self.screen.spoken_text())
        threading.Thread(
            target=self._ask, args=(self._search, reference, here, source),
            name="request-status", daemon=True,
        ).start()

    def _ask(self, search: int, reference: str, here: Local, source: StatusSource) -> None:
        """On the lookup thread: the back office's answer, bounded by its deadline."""
        answer: Answer
        try:
            answer = look_up(reference, lambda _ref: here, source)
        except Exception as error:  # look_up does not raise; a bug must not hang the screen
            _log.error("status lookup failed: %s", type(error).__name__)
            answer = Outcome.UNREACHABLE
        if not self._stopped:
            self._answered.emit(search, answer, source)

    def _show(self, search: int, answer: Answer, source: StatusSource | None) -> None:
        """On the GUI thread: keep an id learnt on the way, then show and say the answer,
        if still awaited."""
        self._busy = False
        if isinstance(source, ByLink) and not self._stopped:
            self._keep_link(source)
        if search != self._search or self._stopped:
            return  # the visit ended, or another search started, meanwhile
        self.present(answer)

    def _keep_link(self, asked: ByLink) -> None:
        """Write the back-office id an Open311 server gave for a token meanwhile."""
        if asked.link is None or asked.link == asked.kept or asked.item_id is None:
            return
        try:
            self._store.complete_remote_reference(asked.item_id, asked.link.remote_reference)
        except Exception as error:  # kept for the next time; the answer is shown anyway
            _log.warning("back-office id not kept: %s", type(error).__name__)

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
