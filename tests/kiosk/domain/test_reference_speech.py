"""A reference said aloud can be written down: every character passes through espeak-ng's
phonemes (the real synthesizer, ``espeak-ng -q --ipa``) in every language, and two
characters that sound alike, or a character that sounds different inside a group, fail.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from functools import cache

import pytest

from kiosk.domain.reference import ALPHABET, spell_reference
from kiosk.domain.spelling import LETTERS, spell, spoken_character

pytestmark = [
    pytest.mark.speech,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]
LANGUAGES = ("fr", "en", "ar")
# Two characters must differ by at least this many sounds: one sound apart is B/D, M/N.
MIN_DISTANCE = 2
_SWITCH = re.compile(r"\([a-z-]+\)")  # espeak-ng's "(en)…(ar)" voice switches
_NOT_SOUNDS = str.maketrans("", "", "ˈˌ_ \n-")  # stress, word and clause boundaries
_ATTACHED = {"ː", "ʲ", "ʰ", "ʷ", "ˤ"}


def ipa(text: str, language: str) -> str:
    done = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", language, text],
        capture_output=True, text=True, timeout=30, check=True,
    )
    return done.stdout


@cache
def sounds(text: str, language: str) -> tuple[str, ...]:
    """The phonemes espeak-ng says for ``text``, one per item (a vowel with its length,
    a nasal vowel with its tilde), without stress marks or pauses."""
    flat = _SWITCH.sub("", ipa(text, language)).translate(_NOT_SOUNDS)
    phonemes: list[str] = []
    for char in flat:
        if phonemes and (unicodedata.combining(char) or char in _ATTACHED):
            phonemes[-1] += char
        else:
            phonemes.append(char)
    return tuple(phonemes)


def distance(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many sounds must change to hear ``b`` instead of ``a`` (Levenshtein)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def alike(characters: str, language: str, *, spoken: bool = True) -> list[str]:
    """The pairs of ``characters`` that sound alike, each said as the kiosk says it
    (``spoken``) or by its bare written form."""
    said = {c: sounds(spoken_character(c, language) if spoken else c, language)
            for c in characters}
    return [
        f"{a}/{b}: {''.join(said[a])} ~ {''.join(said[b])}"
        for a, b in itertools.combinations(characters, 2)
        if distance(said[a], said[b]) < MIN_DISTANCE
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_characters_of_a_reference_sound_alike(language: str) -> None:
    assert alike(ALPHABET, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_letters_of_a_commune_prefix_sound_alike(language: str) -> None:
    # The prefix (ADM…) may hold any capital letter, I, L, O and U too.
    assert alike(LETTERS, language) == []


@pytest.mark.parametrize(
    ("language", "pairs"),
    [
        ("fr", ["B/D", "B/P", "B/T", "B/V", "D/P", "D/T", "M/N"]),
        ("en", ["B/D", "B/P", "B/T", "B/V", "M/N", "F/S"]),
    ],
)
def test_bare_letter_names_are_refused(language: str, pairs: list[str]) -> None:
    """The check catches what a listener confuses: the letters said by their names alone."""
    found = {pair.split(":")[0] for pair in alike(ALPHABET, language, spoken=False)}
    assert set(pairs) <= found


def test_a_bare_y_inside_a_group_is_heard_as_i_and_refused() -> None:
    # The old spelling "Y K 3.": espeak-ng's French voice says "i" unless Y ends the group.
    assert sounds("Y K 3.", "fr")[:1] == ("i",)
    assert distance(sounds("Y K 3.", "fr"), sounds("I K 3.", "fr")) < MIN_DISTANCE


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_character_sounds_the_same_wherever_it_is_in_a_group(language: str) -> None:
    """Said inside a group, before or after any other character, a character keeps its
    sounds (no "Y" read as "i" before a letter). One espeak-ng run per order of pairs."""
    for first, second in ((ALPHABET, ALPHABET), (LETTERS, LETTERS)):
        pairs = [a + b for a, b in itertools.product(first, second)]
        alone = tuple(itertools.chain.from_iterable(
            sounds(spoken_character(a, language), language)
            + sounds(spoken_character(b, language), language)
            for a, b in pairs
        ))
        together = sounds(spell(pairs, language), language)
        at = next((i for i, (x, y) in enumerate(zip(together, alone, strict=False)) if x != y),
                  min(len(together), len(alone)))
        assert together == alone, (
            f"in a group: …{''.join(together[at - 20:at + 20])}… "
            f"alone: …{''.join(alone[at - 20:at + 20])}…"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reference_is_spelled_in_groups_with_a_pause_after_each(language: str) -> None:
    spelled = spell_reference("ADM-7K3-Q9P", language)
    assert spelled.count(".") == 3
    assert "ADM" not in spelled
    assert "7K3" not in spelled
    for group in ("ADM", "7K3", "Q9P"):
        assert all(spoken_character(c, language) in spelled for c in group)


def test_the_french_spelling_reads_like_the_telephone() -> None:
    assert spell_reference("ADM-7K3-Y9P", "fr") == (
        "A comme Anatole, D comme Désiré, M comme Marcel. 7, K comme Kléber, 3. "
        "i grec comme Yvonne, 9, P comme Pierre."
    )
