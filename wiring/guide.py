"""The guide: drives one démarche from the list of tiles to the receipt.

Part of the composition root: a thin adapter that passes the screens' intents to the
Qt-free ``Visit`` (which starts, sends and forgets the démarche) and its ``DemarcheSession``
(which decides what is valid and what comes next), and shows and says what they answer.
Screens only draw; the visit and its session decide.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from kiosk.catalog import Catalog, Demarche, localized
from kiosk.domain.reference import spell_reference
from kiosk.domain.session import DemarcheSession
from kiosk.domain.submission import Submission
from kiosk.i18n import _
from kiosk.sample_answers import sample_answer
from kiosk.visit import Visit
from offline_queue.sync import SyncEvent
from ui.confirm import AbandonCard
from ui.main_window import KioskWindow
from ui.screens.demarches import DemarchesScreen, Tile, TileGroup
from ui.screens.question import QuestionScreen, spoken_question
from ui.screens.receipt import ReceiptScreen, ReceiptView
from ui.screens.review import ReviewScreen
from wiring.delivery import Delivery

_log = logging.getLogger(__name__)


class Guide(QObject):
    """One visit's path through a démarche.

    Attributes:
        session: the visit's démarche in progress, or None.
        demarches, question, review, receipt: the screens.

    Signals:
        speak(str, bool): text to read in audio mode, and whether it is personal.
        visit_ended: "Terminer" on the receipt, or "Abandonner" confirmed: wipe the visit.
        demarche_started: its first question is shown (the mediator's consent comes next).
        submission_queued(object): the Submission, once it is stored for delivery.
    """

    speak = Signal(str, bool)
    visit_ended = Signal()
    demarche_started = Signal()
    submission_queued = Signal(object)

    def __init__(
        self,
        window: KioskWindow,
        *,
        catalog: Callable[[], Catalog],
        visit: Visit,
        delivery: Delivery,
        language: Callable[[], str],
        tracking_url: str,
        backoffice_kind: str = "none",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._catalog = catalog
        self._language = language
        self._visit = visit
        self._delivery = delivery
        self._tracking_url = tracking_url
        self._backoffice_kind = backoffice_kind
        self._receipt_item: str | None = None
        # The receipt's démarche and service (no answers): redrawn on a change of language.
        self._receipt_of: tuple[str, str, str] | None = None
        metrics = window.metrics
        self.demarches = DemarchesScreen(metrics, window)
        self.question = QuestionScreen(metrics, window)
        self.review = ReviewScreen(metrics, window)
        self.receipt = ReceiptScreen(metrics, window)
        window.add_screens(self.demarches, self.question, self.review, self.receipt)
        self.abandon_card = AbandonCard(metrics)
        self.abandon_overlay = window.add_overlay(self.abandon_card)
        self._connect()

    def _connect(self) -> None:
        self.demarches.demarche_chosen.connect(self.start_demarche)
        self.question.next_requested.connect(self.next_question)
        self.question.back_requested.connect(self.previous_question)
        self.question.abandon_requested.connect(self.ask_abandon)
        self.question.help_shown.connect(lambda text: self.speak.emit(text, False))
        self.review.modify_requested.connect(self.modify)
        self.review.send_requested.connect(self.send)
        self.review.back_requested.connect(self.previous_question)
        self.review.abandon_requested.connect(self.ask_abandon)
        self.receipt.finished.connect(self.visit_ended)
        self.abandon_card.confirmed.connect(self._abandon)
        self.abandon_card.cancelled.connect(self.abandon_overlay.close_overlay)
        self.abandon_overlay.opened.connect(self._abandon_question_shown)
        self._delivery.sync_event.connect(self._delivery_event)

    @property
    def session(self) -> DemarcheSession | None:
        return self._visit.session

    # ------------------------------------------------------------ screens

    def show_demarches(self) -> None:
        language = self._language()
        catalog = self._catalog()

        def tiles(demarches: Iterable[Demarche]) -> tuple[Tile, ...]:
            return tuple(
                Tile(
                    d.id,
                    localized(d.title, language),
                    localized(d.description, language),
                    d.pictogram_path,
                )
                for d in demarches
            )

        groups = [
            TileGroup(localized(category.title, language), tiles(catalog.in_category(category.id)))
            for category in catalog.categories
        ]
        # A démarche in no listed category is still offered, never silently hidden.
        listed = {category.id for category in catalog.categories}
        others = tiles(d for d in catalog.demarches if d.category not in listed)
        if others:
            groups.append(TileGroup(_("Autres démarches"), others))
        self.demarches.show_groups(tuple(g for g in groups if g.tiles))
        self.window.show_screen(self.demarches)
        self.demarches.focus_first()
        self.speak.emit(self.demarches.spoken_text(), False)

    def start_demarche(self, demarche_id: str) -> None:
        self._visit.start_demarche(self._catalog(), demarche_id, language=self._language())
        self.show_current()
        self.demarche_started.emit()

    def show_current(self) -> None:
        session = self.session
        if session is None:
            return
        question = session.question()
        if question is None:
            self.review.show_items(session.review_items())
            self.window.show_screen(self.review)
            self.speak.emit(self.review.spoken_text(include_personal=False), False)
            self._speak_personal(self.review.spoken_text(include_personal=True))
            return
        title = localized(session.demarche.title, session.language)
        self.question.show_question(question, title)
        self.window.show_screen(self.question)
        self.speak.emit(self.question.spoken_text(), False)

    def _speak_personal(self, text: str) -> None:
        """Offered to speech as personal: heard only with private listening on."""
        self.speak.emit(text, True)

    def texts_to_prerender(self) -> list[str]:
        """What audio mode will say first on each screen, in the current language.

        The question screens along each démarche's usual path (answered with sample
        answers), so their speech starts from the cache. Nothing personal: labels only.
        """
        catalog, language = self._catalog(), self._language()
        texts = []
        for demarche in catalog.demarches:
            session = DemarcheSession.start(catalog, demarche.id, language=language)
            while (question := session.question()) is not None:
                texts.append(spoken_question(question))
                session.answer(question.id, sample_answer(session.demarche.field(question.id)))
                if not session.next().ok:
                    break
            session.wipe()
        return texts

    # ------------------------------------------------------------ intents

    def next_question(self) -> None:
        session, question = self.session, self.question.question
        if session is None or question is None:
            return
        session.answer(question.id, self.question.answer())
        result = session.next()
        if not result.ok:
            _log.info("answer refused for field %s", question.id)  # the field, never the value
            self.question.show_error(result.error)
            self.speak.emit(result.error or "", False)
            return
        self.show_current()

    def previous_question(self) -> None:
        session = self.session
        if session is None:
            return
        current = self.question.question
        if not session.at_review and current is not None:
            session.keep(current.id, self.question.answer())  # keep what was typed
        if session.back():
            self.show_current()
        else:
            self._visit.leave_demarche()
            self.show_demarches()

    def modify(self, field_id: str) -> None:
        if self.session is not None:
            self.session.go_to(field_id)
            self.show_current()

    def send(self) -> None:
        if self.session is None:
            return
        try:
            submission = self._visit.submit()
        except Exception as error:
            # The disk or the queue failed: keep every answer on screen, say it calmly.
            _log.error("cannot store the submission: %s", type(error).__name__)
            message = _(
                "Nous n'avons pas pu enregistrer votre demande. Vos réponses sont gardées. "
                "Demandez de l'aide à l'accueil."
            )
            self.review.show_problem(message)
            self.speak.emit(message, False)
            return
        # Stored: the visit forgot the answers (no second sending).
        self.submission_queued.emit(submission)
        try:
            self._show_receipt(submission)
        except Exception as error:
            _log.error("receipt incomplete: %s", type(error).__name__)
            self._show_receipt(submission, minimal=True)

    def _show_receipt(self, submission: Submission, *, minimal: bool = False) -> None:
        """The receipt; ``minimal``: the reference alone, when anything else failed."""
        reference = submission.reference
        self._receipt_item = submission.id
        if minimal or self._visit.catalog is None:
            self._receipt_of = None
            view = ReceiptView(reference, "", "", "", "", delivered=False)
        else:
            self._receipt_of = (reference, submission.demarche_id, submission.service_id)
            view = self._receipt_view(*self._receipt_of)
        self.receipt.show_receipt(view)
        self.window.show_screen(self.receipt)
        self.speak.emit(self._spoken_receipt(view), False)

    def _receipt_view(self, reference: str, demarche_id: str, service_id: str) -> ReceiptView:
        catalog, language = self._visit.catalog, self._language()
        assert catalog is not None  # a receipt is shown only for a visit's catalog
        demarche = catalog.demarche(demarche_id)
        wcs = demarche.backoffices.wcs
        on_phone = self._backoffice_kind == "wcs" and wcs is not None and wcs.franceconnect
        return ReceiptView(
            reference=reference,
            demarche_title=localized(demarche.title, language),
            service_name=localized(catalog.service(service_id).name, language),
            next_steps=localized(demarche.next_steps, language) if demarche.next_steps else "",
            # A draft to finish on the phone: the QR code waits for its w.c.s. page.
            tracking="" if on_phone else self._tracking_url.format(reference=reference),
            delivered=self._receipt_item is not None
            and self._delivery.is_delivered(self._receipt_item),
            on_phone=on_phone,
        )

    def _spoken_receipt(self, view: ReceiptView) -> str:
        return " ".join(
            text for text in (
                self.receipt.title.text(),
                self.receipt.reference_caption.text(),
                spell_reference(view.reference, self._language()),
                _("Je répète :"),
                spell_reference(view.reference, self._language()),
                self.receipt.sent_to.text(),
                self.receipt.status.text(),
                self.receipt.phone_steps.text() if view.on_phone else "",
                view.next_steps,
            ) if text
        )

    def _delivery_event(self, event: SyncEvent) -> None:
        if event.kind == "delivered" and event.item_id == self._receipt_item:
            self.receipt.show_delivery(True)
            if event.remote_url:  # the back office's own page for it (w.c.s.)
                self.receipt.show_tracking(event.remote_url)
                view = self.receipt.view
                if view is not None and view.on_phone:  # the code to finish it is there
                    self.speak.emit(self.receipt.phone_steps.text(), False)

    # ------------------------------------------------------------ leaving

    def ask_abandon(self) -> None:
        self.abandon_overlay.open()

    def _abandon_question_shown(self) -> None:
        self.abandon_card.focus_safe_answer()
        self.speak.emit(self.abandon_card.spoken_text(), False)

    def _abandon(self) -> None:
        self._visit.abandon()
        self.abandon_overlay.close_overlay()
        self.visit_ended.emit()

    def wipe(self) -> None:
        """Forget the screens of the démarche (the visit's end forgot its answers).

        Each screen forgets even if another one fails (the failure still propagates)."""
        self._receipt_item = None
        self._receipt_of = None
        with contextlib.ExitStack() as every_step:
            for step in (
                self.receipt.clear, self.review.clear, self.question.clear,
                self.abandon_overlay.close_overlay,
            ):
                every_step.callback(step)  # run last to first, each whatever the others do

    def retranslate(self) -> None:
        """Redraw the current screen in the new language (answers kept)."""
        language = self._language()
        if self._receipt_of is not None:
            shown, view = self.receipt.view, self._receipt_view(*self._receipt_of)
            if shown is not None:  # keeps the back office's own page, once it answered
                view = dataclasses.replace(view, tracking=shown.tracking)
            self.receipt.view = view
        for screen in (self.demarches, self.question, self.review, self.receipt):
            screen.retranslate()
        self.abandon_card.retranslate()
        current = self.window.screens.currentWidget()
        session = self.session
        if session is not None:
            session.language = language
            if current in (self.question, self.review):
                if current is self.question and self.question.question is not None:
                    session.keep(self.question.question.id, self.question.answer())
                self.show_current()
        elif current is self.demarches:
            self.show_demarches()
