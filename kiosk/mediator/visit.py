"""One mediator's visit beside one resident: who helps, what the resident agreed to, the end.

The screens render a ``MediatorVisit`` and send it the resident's and mediator's intents:

    result = registry.authenticate(mediator_id, pin)       # off the GUI thread (scrypt)
    visit = MediatorVisit.from_login(result, journal)       # banner: visit.banner_text(...)
    visit.consent_state("signalement-voirie")               # PENDING: show consent_prompt()
    visit.give_consent("signalement-voirie", ConsentMethod.TOUCH)     # or refuse_consent()
    visit.may_fill("signalement-voirie")                    # True only once consent is given
    submission = visit.submit(session.build_submission())   # consent attached, journaled
    visit.end(EndReason.FINISHED)                           # "Terminer", idle, or visit over

Consent states, per démarche and for this visit only:

    PENDING  --give-->   GIVEN     the mediator may fill in answers for the resident;
    PENDING  --refuse--> REFUSED   guide-only: the mediator explains, the resident fills in;
    GIVEN    --refuse--> REFUSED   the resident withdraws (from then on, guide-only);
    REFUSED  --give-->   GIVEN     the resident changes their mind (the screen asked again).

Every answer is journaled (consent_given / consent_refused). ``end()`` journals the logout
and forgets every consent: a mediator never stays logged in for the next resident, so the
composition root calls it on "Terminer", on the idle timeout and when the resident's
session is wiped. After ``end()`` every method but ``end()`` raises ``VisitEndedError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from kiosk.audit.entries import Details, EntryKind
from kiosk.audit.journal import Recorder, local_now
from kiosk.domain.submission import Submission
from kiosk.i18n import _
from kiosk.mediator.accounts import AuthResult, Mediator
from kiosk.mediator.consent import Consent, ConsentMethod, attach_consent


class ConsentState(StrEnum):
    """Where one démarche stands in this visit."""

    PENDING = "pending"  # not asked yet: the consent screen comes first
    GIVEN = "given"  # the mediator may fill in answers
    REFUSED = "refused"  # guide-only: the mediator may not fill in answers


class EndReason(StrEnum):
    """Why a visit ended (journaled with the logout)."""

    FINISHED = "finished"  # the mediator pressed "Terminer"
    IDLE = "idle"  # the idle timeout wiped the screen
    VISIT_OVER = "visit_over"  # the resident's démarche was sent or abandoned and wiped
    SHUTDOWN = "shutdown"  # the kiosk is closing


class VisitEndedError(RuntimeError):
    """The visit is over: log in again for the next resident."""


class MediatorVisit:
    """The state of one mediator's visit; Qt-free, the UI only renders it."""

    def __init__(
        self,
        mediator: Mediator,
        journal: Recorder,
        clock: Callable[[], dt.datetime] = local_now,
    ) -> None:
        self.mediator = mediator
        self._journal = journal
        self._clock = clock
        self._consents: dict[str, Consent] = {}
        self._ended = False

    @classmethod
    def from_login(
        cls, result: AuthResult, journal: Recorder, clock: Callable[[], dt.datetime] = local_now
    ) -> MediatorVisit:
        """The visit that a successful ``authenticate`` opens (it journaled the login)."""
        if not result.ok or result.mediator is None:
            raise ValueError(f"no visit without a successful login (got {result.outcome})")
        return cls(result.mediator, journal, clock)

    @property
    def active(self) -> bool:
        """False once ``end()`` was called."""
        return not self._ended

    # ------------------------------------------------------------ what the screens show

    def banner_text(self, demarche_id: str | None = None) -> str:
        """The banner on every screen, so the resident always knows who is helping."""
        self._check_active()
        name = self.mediator.name
        if demarche_id is not None and self.consent_state(demarche_id) is ConsentState.REFUSED:
            return _("{name} vous guide. Vous remplissez vous-même.").format(name=name)
        return _("Accompagné par {name}").format(name=name)

    def consent_state(self, demarche_id: str) -> ConsentState:
        """PENDING, GIVEN or REFUSED for this démarche, in this visit."""
        self._check_active()
        consent = self._consents.get(demarche_id)
        if consent is None:
            return ConsentState.PENDING
        return ConsentState.GIVEN if consent.given else ConsentState.REFUSED

    def consent(self, demarche_id: str) -> Consent | None:
        """The resident's latest answer for this démarche, or None before they answered."""
        self._check_active()
        return self._consents.get(demarche_id)

    def may_fill(self, demarche_id: str) -> bool:
        """Whether the mediator may type answers for the resident (consent given)."""
        return self.consent_state(demarche_id) is ConsentState.GIVEN

    def is_guide_only(self, demarche_id: str) -> bool:
        """Whether the resident refused: the mediator only explains."""
        return self.consent_state(demarche_id) is ConsentState.REFUSED

    # ------------------------------------------------------------ intents

    def give_consent(self, demarche_id: str, method: ConsentMethod) -> Consent:
        """The resident accepts: the mediator may fill in this démarche (journaled)."""
        return self._answer(demarche_id, method, given=True)

    def refuse_consent(self, demarche_id: str, method: ConsentMethod) -> Consent:
        """The resident refuses or withdraws: guide-only for this démarche (journaled)."""
        return self._answer(demarche_id, method, given=False)

    def submit(self, submission: Submission) -> Submission:
        """The submission to queue: with the consent when given, else the resident's own.

        Journals ``submission_created`` (reference and démarche only).
        """
        self._check_active()
        consent = self._consents.get(submission.demarche_id)
        if consent is not None and consent.given:
            submission = attach_consent(submission, consent)
        self.record(EntryKind.SUBMISSION_CREATED, {
            "reference": submission.reference,
            "demarche": submission.demarche_id,
            "assisted": submission.assisted,
        })
        return submission

    def record(self, kind: EntryKind, details: Details | None = None) -> None:
        """Journal a panel action by this mediator (queue_retry, queue_set_aside, ...)."""
        self._check_active()
        self._journal.append(kind, self.mediator.id, details)

    def end(self, reason: EndReason) -> None:
        """Log the mediator out and forget every consent; a second call does nothing."""
        if self._ended:
            return
        self._ended = True
        self._consents.clear()
        self._journal.append(EntryKind.MEDIATOR_LOGOUT, self.mediator.id, {"reason": reason.value})

    # ------------------------------------------------------------ inside

    def _answer(self, demarche_id: str, method: ConsentMethod, given: bool) -> Consent:
        self._check_active()
        consent = Consent(
            given=given,
            at=self._clock().isoformat(timespec="seconds"),
            mediator_id=self.mediator.id,
            mediator_name=self.mediator.name,
            demarche_id=demarche_id,
            method=method,
        )
        kind = EntryKind.CONSENT_GIVEN if given else EntryKind.CONSENT_REFUSED
        # Journal first: a consent the journal does not hold must not let anyone fill in.
        self.record(kind, {"demarche": demarche_id, "method": method.value})
        self._consents[demarche_id] = consent
        return consent

    def _check_active(self) -> None:
        if self._ended:
            raise VisitEndedError("this mediator visit has ended")
