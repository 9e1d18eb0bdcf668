"""An utterance's repr, as logs and tracebacks show it, never quotes personal text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accessibility.speech.utterance import Utterance, segments


def test_the_repr_of_personal_text_hides_it_and_public_text_is_cut_short() -> None:
    secret = Utterance("Martine Dupont, 3 rue des Lilas", "roa/fr", 135, 0.8, personal=True)
    assert "Martine" not in repr(secret)
    assert "<personal>" in repr(secret)
    public = Utterance("Votre demande est terminée. " * 5, "roa/fr", 135, 0.8)
    assert repr("Votre demande est terminée. " * 5)[:20] in repr(public)
    assert len(repr(public)) < 120


def test_embedded_parts_are_cut_out_in_order_and_silent_parts_dropped() -> None:
    text = "الشارع: \u2068Rue des Lilas\u2069. مختار. \u2068Gare\u2069"
    assert segments(text) == [
        ("الشارع: ", False), ("Rue des Lilas", True), (". مختار. ", False), ("Gare", True),
    ]
    assert segments("\u2068Rue\u2069, \u2068Gare\u2069.") == [("Rue", True), ("Gare", True)]
    assert segments("Bonjour") == [("Bonjour", False)]


@given(st.text(alphabet=st.sampled_from("ab \u2068\u2069.")))
def test_no_letter_is_lost_or_said_twice_whatever_the_marks(text: str) -> None:
    said = "".join(part for part, _embedded in segments(text))
    assert [c for c in said if c.isalnum()] == [c for c in text if c.isalnum()]
