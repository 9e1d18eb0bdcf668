"""Moving through a session: back, "Modifier" from the review, hidden answers, wipe."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalog import bundled_catalog_path, load_catalog
from kiosk.domain import DemarcheSession, SessionIncompleteError

TODAY = dt.date(2025, 6, 15)
CATALOG = load_catalog(bundled_catalog_path())

STREET = [("probleme", "tags"), ("lieu", "devant la gare"),
          ("description", "Un grand tag sur le mur."), ("danger", False), ("rappel", True),
          ("telephone", "0611223344"), ("accord", True)]


def filled(answers: list[tuple[str, Any]], demarche_id: str = "signalement-rue") -> DemarcheSession:
    session = DemarcheSession.start(CATALOG, demarche_id, today=lambda: TODAY)
    for field_id, raw in answers:
        session.answer(field_id, raw)
        assert session.next().ok
    return session


def test_modifier_returns_to_the_question_then_to_the_review() -> None:
    session = filled(STREET)
    assert session.at_review
    session.go_to("description")
    assert session.returning_to_review
    question = session.question()
    assert question is not None
    assert question.raw == "Un grand tag sur le mur."
    session.answer("description", "Deux grands tags sur le mur.")
    assert session.next().ok
    assert session.at_review
    assert not session.returning_to_review
    review = {i.field_id: i.answer for i in session.review_items()}
    assert review["description"] == "Deux grands tags sur le mur."


def test_modifier_that_opens_a_branch_asks_the_new_question_first() -> None:
    session = filled([*STREET[:4], ("rappel", False), ("accord", True)])
    assert session.at_review
    session.go_to("rappel")
    session.answer("rappel", True)
    session.next()
    assert session.current is not None
    assert session.current.id == "telephone"
    session.answer("telephone", "0611223344")
    session.next()
    assert session.at_review


def test_an_invalid_change_from_the_review_keeps_the_session_on_it() -> None:
    session = filled(STREET)
    session.go_to("telephone")
    session.answer("telephone", "06")
    assert not session.next().ok
    assert session.current is not None
    assert session.current.id == "telephone"
    with pytest.raises(SessionIncompleteError, match="telephone"):
        session.build_submission()


def test_hidden_answers_are_dropped_from_the_submission() -> None:
    session = filled(STREET)
    session.go_to("rappel")
    session.answer("rappel", False)
    session.next()
    submission = session.build_submission()
    assert "telephone" not in submission.answers
    assert "telephone" not in {i.field_id for i in session.review_items()}
    assert b"0611223344" not in submission.to_json()


def test_back_walks_to_the_first_question_and_stops() -> None:
    session = filled(STREET[:2])
    assert session.current is not None
    assert session.current.id == "description"
    assert session.back()
    assert session.back()
    assert session.current is not None
    assert session.current.id == "probleme"
    assert not session.back()
    review_session = filled(STREET)
    assert review_session.back()
    assert review_session.current is not None
    assert review_session.current.id == "accord"


def test_consent_refused_blocks_sending() -> None:
    session = filled(STREET[:-1])
    session.answer("accord", False)
    result = session.next()
    assert result.error == "Pour envoyer votre demande, vous devez accepter."
    with pytest.raises(SessionIncompleteError):
        session.build_submission()


def test_wipe_leaves_nothing_typed() -> None:
    session = filled(STREET)
    session.go_to("telephone")
    session.answer("telephone", "06 99")  # a refused answer is kept until the wipe
    session.wipe()
    state = json.dumps({k: repr(v) for k, v in vars(session).items()})
    for secret in ("devant la gare", "Un grand tag", "0611223344", "06 99"):
        assert secret not in state
    assert session.current is not None
    assert session.current.id == "probleme"
    assert session.step_number == 1
    assert not session.at_review
    assert all(i.answer == "Pas de réponse" for i in session.review_items())


def test_submission_needs_an_aware_clock() -> None:
    session = filled(STREET)
    with pytest.raises(ValueError, match="time zone"):
        session.build_submission(clock=lambda: dt.datetime(2025, 1, 1))


def test_the_question_is_given_in_the_session_language() -> None:
    session = DemarcheSession.start(CATALOG, "signalement-rue", language="en")
    question = session.question()
    assert question is not None
    assert question.label == "What is the problem?"
    assert question.choices[0].label == "Damaged pavement or road"
    assert question.choices[0].pictogram is not None
    assert question.choices[0].pictogram.is_file()
    assert not question.personal
    session.next()
    assert session.error() == "Choisissez une réponse pour continuer."


# A resident pressing anything in any order never breaks the session's invariants.
actions = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(STREET)),
        st.tuples(st.just("wrong"), st.sampled_from([("telephone", "12"), ("description", "")])),
        st.tuples(st.sampled_from(["next", "back", "review"]), st.none()),
    ),
    max_size=40,
)


@given(actions)
def test_any_sequence_of_actions_keeps_the_session_consistent(steps: list[Any]) -> None:
    session = DemarcheSession.start(CATALOG, "signalement-rue", today=lambda: TODAY)
    for action, argument in steps:
        if action in ("answer", "wrong"):
            field_id, raw = argument
            session.answer(field_id, raw)
        elif action == "next":
            session.next()
        elif action == "back":
            session.back()
        elif session.at_review and session.fields:
            session.go_to(session.fields[0].id)
        assert 1 <= session.step_number <= session.step_total
        assert session.at_review == (session.question() is None)
        if session.current is not None:
            assert session.current in session.fields
        if session.first_incomplete() is None:
            submission = session.build_submission()
            assert set(submission.answers) <= {f.id for f in session.fields}
