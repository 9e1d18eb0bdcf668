"""What a resident types from a receipt is read back as the reference, however copied;
anything else is refused (``normalise_reference`` parses outside input: hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.reference import (
    _REFERENCE,
    ALPHABET,
    GROUP_SIZE,
    GROUPS,
    new_reference,
    normalise_reference,
)

PREFIXES = st.from_regex(r"[A-Z]{2,5}", fullmatch=True)
SEPARATORS = st.sampled_from(["", "-", " ", "  ", ".", " - "])
# References drawn by hypothesis (not by new_reference's random source, which would make
# the draws of a test differ from one run of an example to the next).
GROUP = st.text(alphabet=ALPHABET, min_size=GROUP_SIZE, max_size=GROUP_SIZE)
REFERENCES = st.builds(
    lambda prefix, groups: "-".join((prefix, *groups)),
    PREFIXES, st.lists(GROUP, min_size=GROUPS, max_size=GROUPS),
)


def test_new_references_have_the_written_form() -> None:
    assert all(_REFERENCE.fullmatch(new_reference("ADM")) for _ in range(200))


@given(st.text())
def test_anything_typed_is_a_written_reference_or_refused(typed: str) -> None:
    result = normalise_reference(typed)
    assert result is None or _REFERENCE.fullmatch(result)


@given(REFERENCES, st.data())
def test_a_reference_copied_by_hand_reads_back_as_itself(
    reference: str, data: st.DataObject
) -> None:
    characters = list(reference.replace("-", ""))
    copied = "".join(
        data.draw(st.sampled_from([c, c.lower()])) + data.draw(SEPARATORS) for c in characters
    )
    assert normalise_reference(copied) == reference


@given(REFERENCES, st.data())
def test_look_alikes_are_read_as_the_alphabet_defines_them(
    reference: str, data: st.DataObject
) -> None:
    head, first, second = reference.split("-")
    typed_head = head.replace("O", "0").replace("I", "1")
    assert normalise_reference(f"{typed_head}{first}{second}") == reference
    if "V" in first + second:
        typed = (first + second).replace("V", data.draw(st.sampled_from(["U", "u"])))
        assert normalise_reference(head + typed) == reference


@given(REFERENCES, st.sampled_from("01ILO"), st.integers(0, GROUP_SIZE * GROUPS - 1))
def test_a_character_the_code_never_holds_is_refused_not_guessed(
    reference: str, wrong: str, position: int
) -> None:
    prefix, code_text = reference.split("-", 1)
    code = list(code_text.replace("-", ""))
    code[position] = wrong
    assert normalise_reference(prefix + "".join(code)) is None
    assert wrong not in ALPHABET
