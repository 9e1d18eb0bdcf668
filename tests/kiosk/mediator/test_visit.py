"""The resident's consent and the mediator's visit: states, metadata, journal, the end."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.entries import EntryKind
from kiosk.audit.journal import Journal
from kiosk.domain.submission import Submission
from kiosk.mediator.accounts import AuthOutcome, AuthResult, Mediator, Role
from kiosk.mediator.consent import (
    Consent,
    ConsentMethod,
    attach_consent,
    consent_prompt,
)
from kiosk.mediator.visit import (
    ConsentState,
    EndReason,
    MediatorVisit,
    VisitEndedError,
)
from tests.kiosk.mediator.conftest import PIN

VOIRIE = "signalement-voirie"
CAMILLE = Mediator(id="med-1a2b3c4d", name="Camille", role=Role.MEDIATOR, active=True,
                   created_at="2025-06-01T09:00:00+02:00", failures=0, strikes=0, locked_until=0)
AT = dt.datetime(2025, 6, 15, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


class Recorded:
    """A fake journal for the state tests: what was appended, in order."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, object]]] = []

    def append(self, kind, actor, details=None) -> None:
        self.entries.append((kind.value, actor, dict(details or {})))


def submission(demarche: str = VOIRIE) -> Submission:
    return Submission(
        id="0c8f3a52-1111-4222-8333-944455556666", reference="VOI-7K3-Q9P",
        demarche_id=demarche, demarche_version=1, service_id="voirie",
        answers=MappingProxyType({"adresse": "12 rue des Lilas"}),
        personal_fields=("adresse",), language="fr",
        created_at="2025-06-15T10:40:00+02:00", assisted=False,
    )


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def visit(recorded: Recorded) -> MediatorVisit:
    return MediatorVisit(CAMILLE, recorded, clock=lambda: AT)


# ---------------------------------------------------------------- the record


def test_consent_metadata_is_plain_text_without_pin_or_answers() -> None:
    consent = Consent(True, AT.isoformat(), CAMILLE.id, "Camille", VOIRIE, ConsentMethod.TOUCH)
    assert consent.to_metadata() == {
        "format": "1",
        "given": "true",
        "at": "2025-06-15T10:30:00+02:00",
        "mediator_id": "med-1a2b3c4d",
        "mediator_name": "Camille",
        "demarche": VOIRIE,
        "method": "touch",
        "channel": "counter",
        "scope": "this-visit",
    }


def test_an_attached_consent_travels_with_the_submission() -> None:
    consent = Consent(True, AT.isoformat(), CAMILLE.id, "Camille", VOIRIE, ConsentMethod.SPOKEN)
    sent = attach_consent(submission(), consent)
    assert sent.assisted is True
    back = Submission.from_json(sent.to_json())
    assert dict(back.consent) == consent.to_metadata()
    assert back.assisted is True
    assert PIN not in sent.to_json().decode()


def test_a_refused_or_mismatched_consent_is_not_attached() -> None:
    refused = Consent(False, AT.isoformat(), CAMILLE.id, "Camille", VOIRIE, ConsentMethod.TOUCH)
    with pytest.raises(ValueError, match="guide"):
        attach_consent(submission(), refused)
    other = Consent(True, AT.isoformat(), CAMILLE.id, "Camille", "etat-civil",
                    ConsentMethod.TOUCH)
    with pytest.raises(ValueError, match="etat-civil"):
        attach_consent(submission(), other)


def test_the_prompt_names_the_mediator_the_demarche_and_this_visit() -> None:
    prompt = consent_prompt("Camille", "Signaler un problème de voirie")
    spoken = prompt.spoken()
    assert "Camille" in prompt.sentences[0]
    assert "Signaler un problème de voirie" in prompt.sentences[0]
    assert "aujourd'hui" in spoken
    assert spoken.endswith(prompt.refuse_label)
    assert prompt.accept_label in spoken


# ---------------------------------------------------------------- the visit


def test_a_visit_starts_pending_and_consent_lets_the_mediator_fill(visit, recorded) -> None:
    assert visit.consent_state(VOIRIE) is ConsentState.PENDING
    assert not visit.may_fill(VOIRIE)
    assert visit.banner_text() == "Accompagné par Camille"
    consent = visit.give_consent(VOIRIE, ConsentMethod.TOUCH)
    assert consent.given
    assert consent.at == "2025-06-15T10:30:00+02:00"
    assert visit.consent_state(VOIRIE) is ConsentState.GIVEN
    assert visit.may_fill(VOIRIE)
    assert not visit.is_guide_only(VOIRIE)
    assert visit.consent_state("etat-civil") is ConsentState.PENDING  # per démarche
    sent = visit.submit(submission())
    assert sent.assisted
    assert dict(sent.consent) == consent.to_metadata()
    assert recorded.entries == [
        ("consent_given", CAMILLE.id, {"demarche": VOIRIE, "method": "touch"}),
        ("submission_created", CAMILLE.id,
         {"reference": "VOI-7K3-Q9P", "demarche": VOIRIE, "assisted": True}),
    ]


def test_a_refused_consent_keeps_the_mediator_guiding_only(visit, recorded) -> None:
    visit.refuse_consent(VOIRIE, ConsentMethod.SPOKEN)
    assert visit.consent_state(VOIRIE) is ConsentState.REFUSED
    assert visit.is_guide_only(VOIRIE)
    assert not visit.may_fill(VOIRIE)
    assert visit.banner_text(VOIRIE) == "Camille vous guide. Vous remplissez vous-même."
    sent = visit.submit(submission())
    assert sent.assisted is False
    assert dict(sent.consent) == {}
    assert recorded.entries[0] == ("consent_refused", CAMILLE.id,
                                   {"demarche": VOIRIE, "method": "spoken"})
    assert recorded.entries[1][2]["assisted"] is False


def test_a_withdrawn_consent_switches_to_guide_only(visit) -> None:
    visit.give_consent(VOIRIE, ConsentMethod.TOUCH)
    visit.refuse_consent(VOIRIE, ConsentMethod.TOUCH)
    assert not visit.may_fill(VOIRIE)
    assert visit.submit(submission()).assisted is False


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.booleans()), max_size=12))
def test_the_state_of_a_demarche_is_its_latest_answer(answers) -> None:
    visit = MediatorVisit(CAMILLE, Recorded(), clock=lambda: AT)
    latest: dict[str, bool] = {}
    for demarche, given_ in answers:
        if given_:
            visit.give_consent(demarche, ConsentMethod.TOUCH)
        else:
            visit.refuse_consent(demarche, ConsentMethod.TOUCH)
        latest[demarche] = given_
    for demarche in ["a", "b", "c"]:
        if demarche not in latest:
            expected = ConsentState.PENDING
        else:
            expected = ConsentState.GIVEN if latest[demarche] else ConsentState.REFUSED
        assert visit.consent_state(demarche) is expected
        assert visit.may_fill(demarche) is (expected is ConsentState.GIVEN)


def test_end_logs_out_once_and_forgets_everything(visit, recorded) -> None:
    visit.give_consent(VOIRIE, ConsentMethod.TOUCH)
    visit.end(EndReason.IDLE)
    visit.end(EndReason.FINISHED)
    assert not visit.active
    assert recorded.entries[-1] == ("mediator_logout", CAMILLE.id, {"reason": "idle"})
    assert [e[0] for e in recorded.entries].count("mediator_logout") == 1
    for call in (lambda: visit.may_fill(VOIRIE), visit.banner_text,
                 lambda: visit.give_consent(VOIRIE, ConsentMethod.TOUCH),
                 lambda: visit.submit(submission())):
        with pytest.raises(VisitEndedError):
            call()


def test_panel_actions_are_journaled_in_the_mediators_name(visit, recorded) -> None:
    visit.record(EntryKind.QUEUE_RETRY, {"item": "0c8f3a52", "reference": "VOI-7K3-Q9P"})
    assert recorded.entries == [("queue_retry", CAMILLE.id,
                                 {"item": "0c8f3a52", "reference": "VOI-7K3-Q9P"})]


def test_only_a_successful_login_opens_a_visit(recorded) -> None:
    with pytest.raises(ValueError, match="locked"):
        MediatorVisit.from_login(AuthResult(AuthOutcome.LOCKED, locked_seconds=300), recorded)
    visit = MediatorVisit.from_login(AuthResult(AuthOutcome.OK, CAMILLE), recorded)
    assert visit.mediator == CAMILLE


def test_a_whole_visit_leaves_a_verifiable_journal(registry, journal: Journal) -> None:
    camille = registry.add("Camille", PIN)
    visit = MediatorVisit.from_login(registry.authenticate(camille.id, PIN), journal)
    visit.give_consent(VOIRIE, ConsentMethod.TOUCH)
    visit.submit(submission())
    visit.end(EndReason.VISIT_OVER)
    assert [e.kind for e in journal.entries()] == [
        "mediator_added", "mediator_login", "consent_given", "submission_created",
        "mediator_logout"]
    assert journal.verify().ok
    assert "12 rue des Lilas" not in "".join(e.details_json for e in journal.entries())
