"""The visit without Qt: a démarche sent or abandoned, a mediator and the resident's consent,
the figures, the journal, and the end with its reason; then any order of those events."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.head import JournalHead
from kiosk.audit.journal import Journal
from kiosk.catalog import Catalog, bundled_catalog_path, load_catalog
from kiosk.domain.figures import DailyFigures
from kiosk.domain.session import DemarcheSession
from kiosk.domain.submission import Submission
from kiosk.mediator.accounts import AuthOutcome, AuthResult, Mediator, Role
from kiosk.mediator.consent import ConsentMethod
from kiosk.mediator.visit import EndReason
from kiosk.sample_answers import sample_answer
from kiosk.visit import NoDemarcheError, Visit

RUE = "signalement-rue"
CAMILLE = Mediator(id="med-1a2b3c4d", name="Camille", role=Role.MEDIATOR, active=True,
                   created_at="2025-06-01T09:00:00+02:00", failures=0, strikes=0, locked_until=0)
LOGIN = AuthResult(AuthOutcome.OK, CAMILLE)
HEAD = JournalHead(7, "ab" * 32)


@cache
def catalog() -> Catalog:
    return load_catalog(bundled_catalog_path())


class Recorded:
    """A journal that keeps what was appended, in order, and has a fixed head."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, object]]] = []
        self.broken = False

    def append(self, kind: EntryKind, actor: str, details: object = None) -> None:
        if self.broken:
            raise sqlite3.OperationalError("disk I/O error")
        self.entries.append((kind.value, actor, dict(details or {})))  # type: ignore[call-overload]

    def head(self) -> JournalHead | None:
        if self.broken:
            raise sqlite3.OperationalError("disk I/O error")
        return HEAD

    def kinds(self) -> list[str]:
        return [kind for kind, _actor, _details in self.entries]


class Outbox:
    """Stores in a list, or fails like a full disk."""

    def __init__(self) -> None:
        self.stored: list[Submission] = []
        self.full = False

    def enqueue(self, submission: Submission) -> None:
        if self.full:
            raise OSError(28, "No space left on device")
        self.stored.append(submission)


def answer_everything(session: DemarcheSession) -> None:
    """A resident who answers every question correctly, up to the review."""
    while (question := session.question()) is not None:
        session.answer(question.id, sample_answer(session.demarche.field(question.id)))
        assert session.next().ok


def new_visit() -> tuple[Visit, Outbox, Recorded]:
    outbox, journal = Outbox(), Recorded()
    return Visit(outbox=outbox, journal=journal, figures=DailyFigures()), outbox, journal


def test_a_sent_demarche_is_stored_anchored_counted_journaled_and_forgotten() -> None:
    visit, outbox, journal = new_visit()
    answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
    sent = visit.submit()
    assert outbox.stored == [sent]
    assert sent.journal_head == HEAD
    assert not sent.assisted
    assert visit.session is None  # nothing can be sent twice
    assert visit.catalog is catalog()  # the receipt still finds its démarche
    assert (visit.figures.started, visit.figures.finished) == (1, 1)
    assert journal.entries == [("submission_created", SYSTEM, {
        "reference": sent.reference, "demarche": RUE, "assisted": False,
    })]


def test_a_full_disk_keeps_every_answer_and_counts_nothing() -> None:
    visit, outbox, journal = new_visit()
    session = visit.start_demarche(catalog(), RUE, language="fr")
    answer_everything(session)
    outbox.full = True
    with pytest.raises(OSError, match="No space"):
        visit.submit()
    assert visit.session is session
    assert session.build_submission().answers  # the answers are still there
    assert (visit.figures.finished, journal.entries) == (0, [])
    outbox.full = False
    assert visit.submit() in outbox.stored  # sent at the second try


def test_a_stored_demarche_stays_sent_when_the_journal_fails_after() -> None:
    visit, outbox, journal = new_visit()
    answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
    journal.broken = True
    sent = visit.submit()  # no exception: the screen must not invite a second sending
    assert outbox.stored == [sent]
    assert sent.journal_head is None  # sent without its anchor
    assert visit.session is None


def test_with_consent_the_submission_is_assisted_and_journaled_as_the_mediators() -> None:
    visit, _outbox, journal = new_visit()
    answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
    visit.log_in(LOGIN)
    assert visit.consent_pending()
    assert "Camille" in visit.consent_prompt().spoken()
    assert visit.answer_consent(given=True, method=ConsentMethod.TOUCH)
    assert not visit.consent_pending()
    sent = visit.submit()
    assert sent.assisted
    assert sent.consent["mediator_name"] == "Camille"
    assert journal.kinds() == ["consent_given", "submission_created"]
    assert journal.entries[-1][1] == CAMILLE.id
    assert visit.figures.assisted == 1


def test_a_refusal_sends_the_residents_own_demarche_and_says_so_on_the_banner() -> None:
    visit, _outbox, _journal = new_visit()
    visit.log_in(LOGIN)
    assert not visit.consent_pending()  # nothing to consent to before a démarche
    assert visit.banner_text() == "Accompagné par Camille"
    answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
    visit.answer_consent(given=False, method=ConsentMethod.TOUCH)
    assert visit.banner_text() == "Camille vous guide. Vous remplissez vous-même."
    assert not visit.submit().assisted


@pytest.mark.parametrize("reason", list(EndReason))
def test_the_end_logs_the_mediator_out_with_its_reason_and_forgets_everything(
    reason: EndReason,
) -> None:
    visit, _outbox, journal = new_visit()
    visit.start_demarche(catalog(), RUE, language="fr")
    visit.log_in(LOGIN)
    visit.answer_consent(given=True, method=ConsentMethod.TOUCH)
    visit.end(reason)
    assert journal.entries[-1] == ("mediator_logout", CAMILLE.id, {"reason": reason.value})
    assert (visit.session, visit.catalog, visit.mediator, visit.banner_text()) == (
        None, None, None, None
    )
    visit.start_demarche(catalog(), RUE, language="fr")
    assert not visit.consent_pending()  # the next resident has no mediator, no consent


def test_abandoning_counts_and_leaving_from_the_first_question_does_not() -> None:
    visit, _outbox, _journal = new_visit()
    visit.start_demarche(catalog(), RUE, language="fr")
    visit.leave_demarche()
    visit.start_demarche(catalog(), RUE, language="fr")
    visit.abandon()
    visit.abandon()  # a second "Abandonner" without a démarche counts nothing
    figures = visit.figures
    assert (figures.started, figures.abandoned, visit.session) == (2, 1, None)


def test_intents_without_their_subject_do_nothing_or_say_why() -> None:
    visit, _outbox, journal = new_visit()
    with pytest.raises(NoDemarcheError):
        visit.submit()
    with pytest.raises(NoDemarcheError):
        visit.consent_prompt()
    assert not visit.answer_consent(given=True, method=ConsentMethod.TOUCH)
    assert not visit.record(EntryKind.QUEUE_SYNC_FORCED)
    visit.discard_login(AuthResult(AuthOutcome.WRONG_PIN))
    visit.discard_login(LOGIN)  # came too late: logged out at once
    assert journal.entries == [("mediator_logout", CAMILLE.id, {"reason": "visit_over"})]


def test_a_second_login_ends_the_first_mediators_session() -> None:
    visit, _outbox, journal = new_visit()
    visit.log_in(LOGIN)
    visit.log_in(LOGIN)
    assert journal.kinds() == ["mediator_logout"]
    assert visit.mediator is not None


def test_the_real_journal_chains_the_visit(data_dir: Path) -> None:
    with Journal(data_dir / "audit.sqlite3", hmac_key=b"k" * 32) as journal:
        outbox = Outbox()
        visit = Visit(outbox=outbox, journal=journal, figures=DailyFigures())
        answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
        first = visit.submit()
        answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
        second = visit.submit()
        assert first.journal_head is None  # the journal was empty
        created = [e for e in journal.entries() if e.kind == "submission_created"]
        assert second.journal_head == JournalHead(created[0].seq, created[0].hash)


class VisitEvents(RuleBasedStateMachine):
    """Residents and mediators in any order: the figures, the journal and what is kept
    always agree with a plain model of what happened."""

    def __init__(self) -> None:
        super().__init__()
        self.visit, self.outbox, self.journal = new_visit()
        self.model_started = self.model_finished = self.model_abandoned = 0
        self.logged_in = False
        self.consents: dict[str, bool] = {}  # per démarche, for this mediator's visit
        self.logins = 0

    @rule(demarche=st.sampled_from([d.id for d in catalog().demarches]),
          complete=st.booleans())
    def start(self, demarche: str, complete: bool) -> None:
        session = self.visit.start_demarche(catalog(), demarche, language="fr")
        if complete:
            answer_everything(session)
        self.model_started += 1

    @precondition(lambda self: self.visit.session is not None)
    @rule(full=st.booleans())
    def submit(self, full: bool) -> None:
        session = self.visit.session
        assert session is not None
        if session.first_incomplete() is not None:
            return  # the review is not reached: nothing to send
        self.outbox.full = full
        stored = len(self.outbox.stored)
        try:
            sent = self.visit.submit()
        except OSError:
            assert full
            assert self.visit.session is session
            assert len(self.outbox.stored) == stored
            return
        self.model_finished += 1
        assert sent.assisted == (self.logged_in and self.consents.get(sent.demarche_id) is True)
        assert self.visit.session is None

    @rule()
    def abandon(self) -> None:
        if self.visit.session is not None:
            self.model_abandoned += 1
        self.visit.abandon()

    @rule()
    def leave(self) -> None:
        self.visit.leave_demarche()

    @rule()
    def log_in(self) -> None:
        self.visit.log_in(LOGIN)
        self.logged_in = True
        self.logins += 1
        self.consents = {}  # a new mediator's visit: the resident is asked again

    @rule(given=st.booleans())
    def answer_consent(self, given: bool) -> None:
        answered = self.visit.answer_consent(given=given, method=ConsentMethod.TOUCH)
        assert answered == (self.logged_in and self.visit.session is not None)
        if answered:
            session = self.visit.session
            assert session is not None
            self.consents[session.demarche.id] = given

    @rule(reason=st.sampled_from(list(EndReason)))
    def end(self, reason: EndReason) -> None:
        logouts = self.journal.kinds().count("mediator_logout")
        self.visit.end(reason)
        if self.logged_in:
            assert self.journal.kinds().count("mediator_logout") == logouts + 1
            assert self.journal.entries[-1][2] == {"reason": reason.value}
        self.logged_in, self.consents = False, {}
        assert self.visit.session is None
        assert self.visit.mediator is None

    @invariant()
    def figures_match(self) -> None:
        figures = self.visit.figures
        assert (figures.started, figures.finished, figures.abandoned) == (
            self.model_started, self.model_finished, self.model_abandoned
        )
        assert self.journal.kinds().count("submission_created") == self.model_finished
        assert len(self.outbox.stored) == self.model_finished

    @invariant()
    def consent_is_asked_only_with_a_mediator_and_a_demarche(self) -> None:
        session = self.visit.session
        asked = session is not None and session.demarche.id in self.consents
        assert self.visit.consent_pending() == (
            self.logged_in and session is not None and not asked
        )
        assert (self.visit.banner_text() is not None) == self.logged_in

    @invariant()
    def every_logout_follows_its_login(self) -> None:
        logouts = self.journal.kinds().count("mediator_logout")
        assert logouts == self.logins - int(self.logged_in)


VisitEvents.TestCase.settings = settings(max_examples=40, stateful_step_count=25,
                                          deadline=None)
test_visit_events = VisitEvents.TestCase
