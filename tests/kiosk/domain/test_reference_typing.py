"""What a resident types from a receipt is read back as the reference, however copied;
anything else is refused (``normalise_reference`` parses outside input: hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.reference import _REFERENCE, ALPHABET, new_reference, normalise_reference

PREFIXES = st.from_regex(r"[A-Z]{2,5}", fullmatch=True)
SEPARATORS = st.sampled_from(["", "-", " ", "  ", ".", " - "])


@given(st.text())
def test_anything_typed_is_a_written_reference_or_refused(typed: str) -> None:
    result = normalise_reference(typed)
    assert result is None or _REFERENCE.fullmatch(result)


@given(PREFIXES, st.data())
def test_a_reference_copied_by_hand_reads_back_as_itself(prefix: str, data: st.DataObject) -> None:
    reference = new_reference(prefix)
    characters = list(reference.replace("-", ""))
    copied = "".join(
        data.draw(st.sampled_from([c, c.lower()])) + data.draw(SEPARATORS) for c in characters
    )
    assert normalise_reference(copied) == reference


@given(PREFIXES, st.data())
def test_look_alikes_are_read_as_the_alphabet_defines_them(
    prefix: str, data: st.DataObject
) -> None:
    reference = new_reference(prefix)
    head, first, second = reference.split("-")
    typed_head = head.replace("O", "0").replace("I", "1")
    assert normalise_reference(f"{typed_head}{first}{second}") == reference
    if "V" in first + second:
        typed = (first + second).replace("V", data.draw(st.sampled_from(["U", "u"])))
        assert normalise_reference(head + typed) == reference


@given(PREFIXES, st.sampled_from("01ILO"), st.integers(0, 5))
def test_a_character_the_code_never_holds_is_refused_not_guessed(
    prefix: str, wrong: str, position: int
) -> None:
    code = list(new_reference(prefix).split("-", 1)[1].replace("-", ""))
    code[position] = wrong
    assert normalise_reference(prefix + "".join(code)) is None
    assert wrong not in ALPHABET
