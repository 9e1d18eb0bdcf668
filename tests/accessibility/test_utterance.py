"""An utterance's repr, as logs and tracebacks show it, never quotes personal text."""

from __future__ import annotations

from accessibility.speech.utterance import Utterance


def test_the_repr_of_personal_text_hides_it_and_public_text_is_cut_short() -> None:
    secret = Utterance("Martine Dupont, 3 rue des Lilas", "roa/fr", 135, 0.8, personal=True)
    assert "Martine" not in repr(secret)
    assert "<personal>" in repr(secret)
    public = Utterance("Votre demande est terminée. " * 5, "roa/fr", 135, 0.8)
    assert repr("Votre demande est terminée. " * 5)[:20] in repr(public)
    assert len(repr(public)) < 120
