"""One resident's visit, free of Qt: the démarche in progress, the mediator beside them and
the resident's consent, today's figures, the journal entries, sending, and the end.

The Qt side (``wiring.guide``, ``wiring.mediation``, ``wiring.app``) shows what a ``Visit``
says and calls it for every intent, explicitly; nothing here knows of screens or signals.

    visit = Visit(outbox=delivery, journal=journal, figures=DailyFigures())
    session = visit.start_demarche(catalog, "signalement-rue", language="fr")
    visit.log_in(result)                       # a mediator logged in (journaled by login)
    if visit.consent_pending(): ...            # show the consent card, then:
    visit.answer_consent(given=True, method=ConsentMethod.TOUCH)
    submission = visit.submit()                # consent and journal head attached, stored
    visit.end(EndReason.IDLE)                  # the mediator logs out, saying why

One ``Visit`` serves every resident in turn: ``end(reason)`` forgets everything of the one
who leaves (answers, mediator, consents, the catalog of their receipt) and leaves it empty
for the next. The figures count anonymously across visits, for the day.

What a visit may go through (tests/kiosk/test_visit.py walks it as a state machine):

    empty --start_demarche--> démarche --submit--> sent --end--> empty
                              démarche --abandon / leave_demarche--> empty (figures differ)
    any   --log_in--> mediator beside the resident (consent asked per démarche)
    any   --end(reason)--> empty, the mediator logged out with ``reason`` in the journal
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from typing import Protocol

from kiosk.audit.entries import SYSTEM, Details, EntryKind
from kiosk.audit.head import JournalHead
from kiosk.audit.journal import Recorder
from kiosk.catalog.model import Catalog, localized
from kiosk.domain.figures import DailyFigures
from kiosk.domain.session import DemarcheSession
from kiosk.domain.submission import Submission
from kiosk.mediator.accounts import AuthResult
from kiosk.mediator.consent import ConsentMethod, ConsentPrompt, attach_consent, consent_prompt
from kiosk.mediator.visit import ConsentState, EndReason, MediatorVisit
from kiosk.statistics.recorder import Usage, VisitStatistics

_log = logging.getLogger(__name__)


class Outbox(Protocol):
    """Where a finished démarche goes: stored durably, or an exception (nothing stored)."""

    def enqueue(self, submission: Submission) -> None:
        """Store ``submission`` for delivery; raise when it could not be stored."""
        ...


class VisitJournal(Recorder, Protocol):
    """The terminal's journal as a visit needs it: entries, and the head the back office
    keeps as an anchor."""

    def head(self) -> JournalHead | None:
        """The last entry's seq and hash (None while empty)."""
        ...


class NoDemarcheError(RuntimeError):
    """An intent that needs a démarche in progress came without one (a programming error)."""


class Visit:
    """The kiosk's current visit; see the module's description."""

    def __init__(
        self,
        *,
        outbox: Outbox,
        journal: VisitJournal,
        figures: DailyFigures,
        statistics: VisitStatistics | None = None,
    ) -> None:
        self.figures = figures
        self.statistics = statistics or VisitStatistics()
        self.journal = journal
        self._outbox = outbox
        self._session: DemarcheSession | None = None
        self._catalog: Catalog | None = None
        self._mediator: MediatorVisit | None = None

    # ------------------------------------------------------------ what the screens show

    @property
    def session(self) -> DemarcheSession | None:
        """The démarche in progress, or None (none chosen yet, sent, or abandoned)."""
        return self._session

    @property
    def catalog(self) -> Catalog | None:
        """The catalog the last démarche started with, kept for its receipt until the end
        (the back office may send a new one meanwhile)."""
        return self._catalog

    @property
    def mediator(self) -> MediatorVisit | None:
        """The mediator beside the resident, or None."""
        return self._mediator

    def banner_text(self) -> str | None:
        """Who is helping (on every screen while a mediator is logged in), else None."""
        if self._mediator is None:
            return None
        session = self._session
        return self._mediator.banner_text(session.demarche.id if session else None)

    def consent_pending(self) -> bool:
        """Whether the resident must now be asked: a mediator is beside them and they have
        not answered for the démarche in progress."""
        mediator, session = self._mediator, self._session
        return (
            mediator is not None
            and session is not None
            and mediator.consent_state(session.demarche.id) is ConsentState.PENDING
        )

    def consent_prompt(self) -> ConsentPrompt:
        """What the consent card shows and says, for the démarche in progress."""
        mediator, session = self._mediator, self._session
        if mediator is None:
            raise NoDemarcheError("no mediator to consent to")
        title = localized(session.demarche.title, session.language) if session else ""
        return consent_prompt(mediator.mediator.name, title)

    # ------------------------------------------------------------ the démarche

    def start_demarche(
        self, catalog: Catalog, demarche_id: str, *, language: str
    ) -> DemarcheSession:
        """Begin ``demarche_id`` (the answers of any other one are forgotten)."""
        self._forget_session()
        self._catalog = catalog
        self._session = DemarcheSession.start(catalog, demarche_id, language=language)
        self.figures.demarche_started()
        self.statistics.demarche_started(demarche_id)
        _log.info("démarche started: %s", demarche_id)
        return self._session

    def leave_demarche(self) -> None:
        """"Retour" from the first question: back to the list, the answers forgotten (not
        counted as abandoned)."""
        self._forget_session()

    def abandon(self) -> None:
        """"Abandonner", confirmed: the answers are forgotten and the figures count it."""
        if self._session is not None:
            self.figures.demarche_abandoned()
            self._count_abandoned(self._session)
        self._forget_session()
        _log.info("démarche abandoned")

    def submit(self) -> Submission:
        """Send the démarche in progress: the consent attached when the resident gave it,
        the journal's head as the anchor, stored in the outbox.

        When the outbox cannot store it, its exception comes out and every answer is kept.
        Once stored, the answers are forgotten (nothing can be sent twice), the figures
        count it and the journal holds ``submission_created`` (reference and démarche only).
        """
        session = self._session
        if session is None:
            raise NoDemarcheError("nothing to send")
        submission = session.build_submission()
        consent = self._mediator.consent(submission.demarche_id) if self._mediator else None
        if consent is not None and consent.given:
            submission = attach_consent(submission, consent)
        submission = dataclasses.replace(submission, journal_head=self.journal_head())
        self._outbox.enqueue(submission)
        self._forget_session()
        self.figures.demarche_finished(submission.assisted)
        self.statistics.demarche_sent(submission.demarche_id, assisted=submission.assisted)
        self._journal_submission(submission)
        return submission

    def journal_head(self) -> JournalHead | None:
        """The journal's head for the back office; None (logged) if it cannot be read now:
        a submission or a heartbeat still goes, without its anchor."""
        try:
            return self.journal.head()
        except sqlite3.Error as error:
            _log.error("journal head not read: %s", error)
            return None

    # ------------------------------------------------------------ the mediator

    def log_in(self, result: AuthResult) -> None:
        """A mediator's PIN was accepted (``authenticate`` journaled the login); a mediator
        already beside the resident is logged out first."""
        if self._mediator is not None:
            self._mediator.end(EndReason.VISIT_OVER)
        self._mediator = MediatorVisit.from_login(result, self.journal)
        _log.info("mediator logged in")

    def discard_login(self, result: AuthResult) -> None:
        """A login whose answer came after its pad was closed: logged out at once, so the
        journal never holds a session nobody saw."""
        if result.ok:
            MediatorVisit.from_login(result, self.journal).end(EndReason.VISIT_OVER)

    def answer_consent(self, *, given: bool, method: ConsentMethod) -> bool:
        """The resident's answer for the démarche in progress (journaled); False when there
        is no mediator or no démarche to answer for."""
        mediator, session = self._mediator, self._session
        if mediator is None or session is None:
            return False
        if given:
            mediator.give_consent(session.demarche.id, method)
        else:
            mediator.refuse_consent(session.demarche.id, method)
        return True

    def note(self, usage: Usage, value: str | None = None) -> None:
        """The resident used a feature (audio, keypad, a text size...): counted once per
        visit, anonymously."""
        self.statistics.used(usage, value)

    def status_looked_up(self) -> None:
        """"Où en est ma demande ?" answered about one reference (counted)."""
        self.statistics.status_lookup()

    def record(self, kind: EntryKind, details: Details | None = None) -> bool:
        """Journal a panel action by the mediator; False (nothing journaled) without one."""
        if self._mediator is None:
            return False
        self._mediator.record(kind, details)
        return True

    # ------------------------------------------------------------ the end

    def end(self, reason: EndReason) -> None:
        """The resident leaves: the mediator is logged out with ``reason`` (journaled), and
        every answer, consent and the receipt's catalog are forgotten."""
        if self._mediator is not None:
            self._mediator.end(reason)
            self._mediator = None
            _log.info("mediator logged out (%s)", reason.value)
        if self._session is not None:  # left without sending: given up where it stood
            self._count_abandoned(self._session)
        self._forget_session()
        self._catalog = None
        self.statistics.visit_over()

    def _count_abandoned(self, session: DemarcheSession) -> None:
        current = session.current
        where = "review" if current is None else current.id
        self.statistics.demarche_abandoned(session.demarche.id, where)

    def _forget_session(self) -> None:
        if self._session is not None:
            self._session.wipe()
            self._session = None

    def _journal_submission(self, submission: Submission) -> None:
        details: Details = {
            "reference": submission.reference,
            "demarche": submission.demarche_id,
            "assisted": submission.assisted,
        }
        # Stored already: a journal that fails now must not make the screen say otherwise
        # (the resident would send it twice). The technician reads it in the log.
        try:
            if not self.record(EntryKind.SUBMISSION_CREATED, details):
                self.journal.append(EntryKind.SUBMISSION_CREATED, SYSTEM, details)
        except (sqlite3.Error, OSError) as error:
            _log.error("submission %s not journaled: %s", submission.reference,
                       type(error).__name__)
