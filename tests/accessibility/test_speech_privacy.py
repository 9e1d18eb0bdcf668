"""The privacy rules of speech, without Qt: what is spoken aloud, said again and cached."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from accessibility.speech.privacy import Said, SpeechPrivacy, focus_announcements, may_cache
from accessibility.speech.utterance import Utterance

NAME = Said("Votre nom. Zone de texte. Jeanne Martin", "fr", personal=True)
TITLE = Said("Un problème dans la rue", "fr")


def test_personal_text_is_spoken_only_with_private_listening() -> None:
    privacy = SpeechPrivacy()
    assert privacy.admits(personal=False)
    assert not privacy.admits(personal=True)
    with pytest.raises(ValueError, match="private listening"):
        privacy.remember(NAME)
    assert not privacy.set_private_listening(True)  # switching on stops nothing
    assert privacy.admits(personal=True)


def test_repeat_never_brings_personal_text_back_once_private_listening_is_off() -> None:
    privacy = SpeechPrivacy()
    privacy.remember(TITLE)
    privacy.set_private_listening(True)
    privacy.remember(NAME)
    assert privacy.to_repeat() == NAME
    assert privacy.set_private_listening(False)  # personal speech under way stops
    assert privacy.to_repeat() == TITLE
    privacy.set_private_listening(True)
    assert privacy.to_repeat() == TITLE  # forgotten, not merely hidden


def test_the_next_resident_can_replay_nothing() -> None:
    privacy = SpeechPrivacy()
    privacy.set_private_listening(True)
    privacy.remember(NAME)
    privacy.forget()
    assert (privacy.to_repeat(), privacy.private_listening) == (None, False)


def test_personal_text_never_reaches_the_cache_nor_a_repr() -> None:
    assert may_cache(Utterance(TITLE.text, "roa/fr", 160, 0.8))
    assert not may_cache(Utterance(NAME.text, "roa/fr", 160, 0.8, personal=True))
    assert "Jeanne" not in repr(NAME)
    assert "problème" in repr(TITLE)


def test_a_focused_field_says_its_label_aloud_and_its_personal_value_privately() -> None:
    assert focus_announcements("Votre nom", NAME.text, personal=True) == (
        ("Votre nom", False), (NAME.text, True)
    )
    assert focus_announcements("Rue", "Rue. Zone de texte.", personal=False) == (
        ("Rue. Zone de texte.", False),
    )
    assert focus_announcements("Chiffre 4", "Chiffre 4", personal=False, in_pin_pad=True) == ()


class Listening(RuleBasedStateMachine):
    """Any order of speech, headphones and visits: personal text is never admitted nor
    repeated without private listening, and never outlives the visit."""

    def __init__(self) -> None:
        super().__init__()
        self.privacy = SpeechPrivacy()
        self.heard: list[Said] = []

    @rule(text=st.text(min_size=1, max_size=20), personal=st.booleans())
    def say(self, text: str, personal: bool) -> None:
        said = Said(text, "fr", personal)
        if self.privacy.admits(personal):
            self.privacy.remember(said)
            self.heard.append(said)
        else:
            assert personal
            assert not self.privacy.private_listening

    @rule(on=st.booleans())
    def headphones(self, on: bool) -> None:
        self.privacy.set_private_listening(on)

    @rule()
    def repeat(self) -> None:
        again = self.privacy.to_repeat()
        if again is not None:
            assert again in self.heard
            assert self.privacy.admits(again.personal)

    @rule()
    def next_resident(self) -> None:
        self.privacy.forget()
        self.heard.clear()

    @invariant()
    def nothing_personal_is_repeated_aloud(self) -> None:
        again = self.privacy.to_repeat()
        if not self.privacy.private_listening:
            assert again is None or not again.personal


Listening.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_listening = Listening.TestCase
