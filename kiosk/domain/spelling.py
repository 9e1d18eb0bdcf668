"""How each character of a reference is said aloud, in each language, so it can be written down.

Letter names alone are not enough to write a reference from speech: in French B, D, P, T
and V differ by one sound, and so do M and N; and espeak-ng reads a lone "Y" as "i" (the
word "y") unless it ends a group. So every letter is said with a word that starts with it,
as on the telephone: the French spelling alphabet ("B comme Bernard"), the international
(NATO) one in English ("B, as in Bravo"). In Arabic the letter stays Latin (it is written
in Latin letters) and espeak-ng reads it, and the NATO word, with its English sounds; the
words around are Arabic ("B كما في Bravo"). Digits are said as numbers: their names differ
by at least two sounds in every language.

tests/kiosk/domain/test_reference_speech.py passes every form through espeak-ng's phonemes
and refuses two characters that sound alike, or a form that sounds different in a group.
The tables are data for the speech synthesizer, not translations: change them only with
that test (see docs/accessibility.md, "References said aloud").
"""

from __future__ import annotations

_FRENCH_WORDS = {
    "A": "Anatole", "B": "Bernard", "C": "Célestin", "D": "Désiré", "E": "Eugène",
    "F": "François", "G": "Gaston", "H": "Henri", "I": "Irma", "J": "Joseph",
    "K": "Kléber", "L": "Louis", "M": "Marcel", "N": "Nicolas", "O": "Oscar",
    "P": "Pierre", "Q": "Quintal", "R": "Raoul", "S": "Suzanne", "T": "Thérèse",
    "U": "Ursule", "V": "Victor", "W": "William", "X": "Xavier", "Y": "Yvonne",
    "Z": "Zoé",
}
# Letters whose written capital espeak-ng's French voice may read as a word ("y").
_FRENCH_NAMES = {"Y": "i grec"}
_NATO_WORDS = {
    "A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta", "E": "Echo",
    "F": "Foxtrot", "G": "Golf", "H": "Hotel", "I": "India", "J": "Juliet",
    "K": "Kilo", "L": "Lima", "M": "Mike", "N": "November", "O": "Oscar",
    "P": "Papa", "Q": "Quebec", "R": "Romeo", "S": "Sierra", "T": "Tango",
    "U": "Uniform", "V": "Victor", "W": "Whiskey", "X": "X-ray", "Y": "Yankee",
    "Z": "Zulu",
}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

SPOKEN_LETTERS: dict[str, dict[str, str]] = {
    "fr": {c: f"{_FRENCH_NAMES.get(c, c)} comme {_FRENCH_WORDS[c]}" for c in LETTERS},
    # The comma keeps "A" a letter: "A as in" is read with the article "a".
    "en": {c: f"{c}, as in {_NATO_WORDS[c]}" for c in LETTERS},
    "ar": {c: f"{c} كما في {_NATO_WORDS[c]}" for c in LETTERS},
}
# Between the characters of a group, and after a group: a short and a longer pause.
_SEPARATORS = {"fr": (", ", ". "), "en": (", ", ". "), "ar": ("، ", ". ")}


def spoken_character(character: str, language: str) -> str:
    """How ``character`` is said in ``language``: a letter with its word, a digit as is."""
    return SPOKEN_LETTERS.get(language, SPOKEN_LETTERS["fr"]).get(character, character)


def spell(groups: list[str], language: str) -> str:
    """``groups`` of characters said one by one, a pause after each group.

    ``spell(["ADM", "7K3"], "fr")`` ->
    ``"A comme Anatole, D comme Désiré, M comme Marcel. 7, K comme Kléber, 3."``
    """
    between, after = _SEPARATORS.get(language, _SEPARATORS["fr"])
    return after.join(
        between.join(spoken_character(c, language) for c in group) for group in groups
    ) + after.rstrip()
