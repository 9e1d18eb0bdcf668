"""Mediator mode, wired: login, the banner, the resident's consent, the panel, the journal.

Part of the composition root: a thin adapter between the cards of ``ui.mediator`` (which
only draw) and the Qt-free ``Visit`` (``kiosk.visit``: the mediator, the consent, the
figures and the journal entries), with the rules in ``kiosk.mediator`` (accounts, lockout,
consent). A mediator's session never outlives the visit: ``Visit.end(reason)`` ends it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from accessibility.sizes import ScreenMetrics
from kiosk.audit.entries import TECHNICIAN, EntryKind
from kiosk.audit.journal import Journal
from kiosk.i18n import _
from kiosk.mediator.accounts import (
    MEDIATORS_FILE,
    AuthOutcome,
    AuthResult,
)
from kiosk.mediator.consent import ConsentMethod, ConsentPrompt
from kiosk.mediator.console_sync import SyncedRegistry
from kiosk.mediator.visit import MediatorVisit
from kiosk.visit import Visit
from ui.main_window import KioskWindow
from ui.mediator import (
    ConsentCard,
    FailedItem,
    MediatorNamesCard,
    MediatorPanelCard,
    PanelView,
)
from ui.widgets.pin_pad import PinPad
from wiring.delivery import Delivery
from wiring.narration import Narrator

_log = logging.getLogger(__name__)
MEDIATOR_PIN_MIN_LENGTH = 6


class Mediation(QObject):
    """Mediator mode for one kiosk.

    Attributes:
        visit: the mediator's visit when one is logged in, else None.
        journal: the terminal's journal.
    """

    _authenticated = Signal(object)  # AuthResult, from the scrypt thread to the GUI thread

    def __init__(
        self,
        *,
        window: KioskWindow,
        visit: Visit,
        journal: Journal,
        delivery: Delivery,
        narrator: Narrator,
        data_dir: Path,
        metrics: ScreenMetrics,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window, self.delivery, self.narrator = window, delivery, narrator
        self._visit = visit
        self.journal = journal
        # Synced: the back-office poll merges the commune's roster into it (app.py).
        self.registry = SyncedRegistry(data_dir / MEDIATORS_FILE, journal)
        self._chosen: str | None = None
        self._attempt = 0  # numbers each PIN check; only the latest one's answer counts
        self._checking: int | None = None
        self.names = MediatorNamesCard(metrics)
        self.names_overlay = window.add_overlay(self.names)
        self.pad = PinPad("", metrics, min_length=MEDIATOR_PIN_MIN_LENGTH)
        self.pad_overlay = window.add_overlay(self.pad)
        self.consent = ConsentCard(metrics)
        self.consent_overlay = window.add_overlay(self.consent)
        self.panel = MediatorPanelCard(metrics)
        self.panel_overlay = window.add_overlay(self.panel)
        self._connect()

    def _connect(self) -> None:
        self.window.top_bar.mediator_requested.connect(self.open)
        self.names.mediator_chosen.connect(self.ask_pin)
        self.names.cancelled.connect(self.names_overlay.close_overlay)
        self.pad.pin_entered.connect(self._check_pin)
        self.pad.cancelled.connect(self._pin_cancelled)
        self._authenticated.connect(self._logged_in_or_refused)
        self.consent.accepted.connect(lambda: self._answer_consent(given=True))
        self.consent.refused.connect(lambda: self._answer_consent(given=False))
        self.panel.retry_requested.connect(self._retry)
        self.panel.sync_requested.connect(self._send_now)
        self.panel.private_listening_toggled.connect(self._private_listening)
        self.panel.close_requested.connect(self.panel_overlay.close_overlay)
        self.panel.consent_requested.connect(self._ask_consent_again)

    @property
    def visit(self) -> MediatorVisit | None:
        return self._visit.mediator

    # ------------------------------------------------------------ login

    def open(self) -> None:
        """The top bar's "Médiateur" button: log in, or the panel when logged in."""
        if self.visit is not None:
            self._show_panel()
            return
        self.names.show_names([(m.id, m.name) for m in self.registry.active()])
        self.names_overlay.open()
        self.narrator.say(self.names.title.text())

    def ask_pin(self, mediator_id: str) -> None:
        """The PIN pad for the mediator chosen by name."""
        self._chosen = mediator_id
        self.names_overlay.close_overlay()
        self.retranslate()
        self.pad.clear()
        self._show_account_lock(mediator_id)
        self.pad_overlay.open()
        self.narrator.say(self.pad.title.text())  # the title only: never the digits

    def _show_account_lock(self, mediator_id: str) -> None:
        """The pad is locked for the chosen account only, and as long as its lock lasts:
        another mediator (or this one, once the wait is over) can type at once."""
        waiting = self.registry.find(mediator_id).locked_for(time.time())
        if waiting > 0:
            self.pad.refuse(AuthResult(AuthOutcome.LOCKED, locked_seconds=waiting).message,
                            waiting)
        elif self.pad.locked:
            self.pad.unlock()

    def _pin_cancelled(self) -> None:
        self._chosen = None  # a PIN still being checked no longer opens a visit
        self.pad_overlay.close_overlay()

    def _check_pin(self, pin: str) -> None:
        chosen = self._chosen
        if chosen is None or self._checking is not None:
            return  # one check at a time: a second "Valider" waits for the first answer
        self._attempt += 1
        self._checking = self._attempt
        attempt = self._attempt
        # scrypt takes ~50 ms: off the GUI thread, the answer comes back as a signal.
        threading.Thread(
            target=self._authenticate, args=(attempt, chosen, pin), name="mediator-login",
            daemon=True,
        ).start()

    def _authenticate(self, attempt: int, mediator_id: str, pin: str) -> None:
        try:
            result = self.registry.authenticate(mediator_id, pin)
        except Exception as error:
            _log.error("PIN check failed: %s", type(error).__name__)
            result = AuthResult(AuthOutcome.UNKNOWN, None, 0, 0.0)
        self._authenticated.emit((attempt, result))

    def _logged_in_or_refused(self, answer: tuple[int, AuthResult]) -> None:
        attempt, result = answer
        if attempt != self._checking:
            return  # an answer to an attempt that no longer stands (the pad was reset)
        self._checking = None
        chosen = self._chosen
        if chosen is None or (result.mediator is not None and result.mediator.id != chosen):
            # The pad was cancelled or the screen wiped while the PIN was checked: nothing
            # is shown or said to the next resident, and a login (journaled) ends at once.
            self._visit.discard_login(result)
            _log.info("PIN answer dropped: the pad was closed meanwhile")
            return
        self.accept_answer(result)

    def accept_answer(self, result: AuthResult) -> None:
        """Open the visit for a successful login, or show and say why the PIN is refused."""
        if not result.ok:
            self.pad.refuse(result.message, result.locked_seconds)
            self.narrator.say(result.message)
            return
        self._visit.log_in(result)
        self._chosen = None
        self.pad_overlay.close_overlay()
        self.window.top_bar.set_mediator_logged_in(True)
        self.demarche_started()

    # ------------------------------------------------------------ consent

    def demarche_started(self) -> None:
        """A démarche's first question is shown, or a mediator logged in: the resident is
        asked first when the visit says so."""
        self._show_banner()
        if self._visit.consent_pending():
            self._ask_consent()

    def _ask_consent_again(self) -> None:
        """From the panel: the resident may change their mind, either way."""
        self.panel_overlay.close_overlay()
        if self.visit is not None and self._visit.session is not None:
            self._ask_consent()

    def _ask_consent(self) -> None:
        prompt = self._show_consent_prompt()
        self.consent_overlay.open()
        self.narrator.say(prompt.spoken())

    def _show_consent_prompt(self) -> ConsentPrompt:
        """Draw the consent question in the current language (on asking, and on a change)."""
        prompt = self._visit.consent_prompt()
        self.consent.show_prompt(
            prompt.title, prompt.sentences, prompt.accept_label, prompt.refuse_label
        )
        return prompt

    def _answer_consent(self, *, given: bool) -> None:
        self.consent_overlay.close_overlay()
        if not self._visit.answer_consent(given=given, method=ConsentMethod.TOUCH):
            return
        self._show_banner()
        self.narrator.say(self.window.banner.text())

    def _show_banner(self) -> None:
        self.window.show_banner(self._visit.banner_text())

    # ------------------------------------------------------------ panel

    def _show_panel(self) -> None:
        self.panel.show_view(self._panel_view())
        self.panel_overlay.open()

    def _panel_view(self) -> PanelView:
        assert self.visit is not None
        status = self.delivery.status()
        line, _attention, _count = self.delivery.describe()
        lines = [line]
        if status.last_success_at:
            lines.append(_("Dernier envoi réussi : il y a {minutes} min.").format(
                minutes=max(0, round((time.time() - status.last_success_at) / 60))
            ))
        failed = tuple(
            FailedItem(item.id, item.reference, item.last_error or _("refusée"))
            for item in self.delivery.set_aside()
        )
        return PanelView(
            mediator_name=self.visit.mediator.name,
            delivery_lines=tuple(lines),
            failed=failed,
            figures=self._visit.figures.lines(),
            private_listening=self.narrator.speaker.private_listening,
            demarche_in_progress=self._visit.session is not None,
        )

    def _retry(self, item_id: str) -> None:
        if self.visit is None:
            return
        reference = next((i.reference for i in self.delivery.set_aside() if i.id == item_id), "")
        self.delivery.retry(item_id)
        self._visit.record(EntryKind.QUEUE_RETRY, {"item": item_id, "reference": reference})
        self._show_panel()

    def _send_now(self) -> None:
        if self.visit is None:
            return
        self.delivery.send_now()
        self._visit.record(EntryKind.QUEUE_SYNC_FORCED)
        self._show_panel()

    def _private_listening(self, on: bool) -> None:
        self.narrator.speaker.private_listening = on

    # ------------------------------------------------------------ end

    def technician_exit(self) -> None:
        self.journal.append(EntryKind.TECHNICIAN_EXIT, TECHNICIAN)

    def wipe(self) -> None:
        """The visit is over (``Visit.end`` logged the mediator out): the pad and the
        banner go."""
        self._chosen = None
        self.pad.clear()
        self.window.top_bar.set_mediator_logged_in(False)
        self.window.show_banner(None)

    def retranslate(self) -> None:
        self.names.retranslate()
        self.panel.retranslate()
        chosen = self._chosen
        name = self.registry.find(chosen).name if chosen else ""
        self.pad.retranslate(_("Code de {name}").format(name=name))
        self._show_banner()
        if self.visit is not None and self.consent_overlay.isVisible():
            self._show_consent_prompt()
        if self.panel_overlay.isVisible():
            self.panel.show_view(self._panel_view())

    def close(self) -> None:
        """Close the accounts file (the composition root ends the visit and closes the
        journal)."""
        self.registry.close()
