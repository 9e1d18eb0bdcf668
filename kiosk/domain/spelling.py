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

# Each letter with its word in the French spelling alphabet and in the international one.
_WORDS: dict[str, tuple[str, str]] = {
    "A": ("Anatole", "Alpha"), "B": ("Bernard", "Bravo"), "C": ("Célestin", "Charlie"),
    "D": ("Désiré", "Delta"), "E": ("Eugène", "Echo"), "F": ("François", "Foxtrot"),
    "G": ("Gaston", "Golf"), "H": ("Henri", "Hotel"), "I": ("Irma", "India"),
    "J": ("Joseph", "Juliet"), "K": ("Kléber", "Kilo"), "L": ("Louis", "Lima"),
    "M": ("Marcel", "Mike"), "N": ("Nicolas", "November"), "O": ("Oscar", "Oscar"),
    "P": ("Pierre", "Papa"), "Q": ("Quintal", "Quebec"), "R": ("Raoul", "Romeo"),
    "S": ("Suzanne", "Sierra"), "T": ("Thérèse", "Tango"), "U": ("Ursule", "Uniform"),
    "V": ("Victor", "Victor"), "W": ("William", "Whiskey"), "X": ("Xavier", "X-ray"),
    "Y": ("Yvonne", "Yankee"), "Z": ("Zoé", "Zulu"),
}
# Letters whose written capital espeak-ng's French voice may read as a word ("y").
_FRENCH_NAMES = {"Y": "i grec"}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

SPOKEN_LETTERS: dict[str, dict[str, str]] = {
    "fr": {c: f"{_FRENCH_NAMES.get(c, c)} comme {_WORDS[c][0]}" for c in LETTERS},
    # The comma keeps "A" a letter: "A as in" is read with the article "a".
    "en": {c: f"{c}, as in {_WORDS[c][1]}" for c in LETTERS},
    "ar": {c: f"{c} كما في {_WORDS[c][1]}" for c in LETTERS},
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
