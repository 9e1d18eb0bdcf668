"""The on-screen keyboard's layouts as data: which key sits where, what it types, its name.

Kept free of widgets so the arrangement can be read (and changed) at a glance. Layouts are
grids: each row lists its keys left to right, a key may span several columns.

Languages: French AZERTY for French and English (what is typed on a French kiosk is
mostly names and addresses in Latin letters). In Arabic, two pages and a key to go from
one to the other ("أ ب ت" / "ABC"): the Arabic letters come first for a message written
in the resident's own words (``KeyboardMode.LINES``); Latin letters come first for a
name, an address, a reference (``KeyboardMode.TEXT``), which the town hall must read as
they are written on papers. Both pages keep the grid left to right, as a physical
Arabic keyboard does (ض at the top left).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kiosk.i18n import N_


class KeyKind(enum.Enum):
    """What pressing a key does."""

    CHARACTER = "character"  # types ``text`` (its capital when the shift is on)
    BACKSPACE = "backspace"
    SHIFT = "shift"
    OK = "ok"
    SWITCH = "switch"  # shows the layout named by ``text`` (Arabic letters / Latin letters)
    GAP = "gap"  # an empty cell: keeps the grid aligned


class KeyboardMode(enum.Enum):
    """The kind of field being typed into; it picks the layout."""

    TEXT = "text"
    EMAIL = "email"
    NUMBER = "number"
    PHONE = "phone"
    DATE = "date"
    POSTCODE = "postcode"
    LINES = "lines"  # a message of several lines: letters and "À la ligne"


@dataclass(frozen=True)
class KeySpec:
    """One key of a layout."""

    kind: KeyKind
    text: str = ""
    span: int = 1


@dataclass(frozen=True)
class KeyboardLayout:
    """A named grid of keys; ``columns`` is the width of the grid in cells."""

    name: str
    columns: int
    rows: tuple[tuple[KeySpec, ...], ...]


# Names spoken for keys whose character is not a word on its own. Letters and digits are
# named by themselves.
CHARACTER_NAMES: dict[str, str] = {
    " ": N_("Espace"),
    "\n": N_("À la ligne"),
    "@": N_("Arobase"),
    ".": N_("Point"),
    "-": N_("Tiret"),
    "'": N_("Apostrophe"),
    ",": N_("Virgule"),
    "?": N_("Point d'interrogation"),
    # The Arabic comma and question mark, on the Arabic page only: the same names.
    "،": N_("Virgule"),
    "؟": N_("Point d'interrogation"),
    "_": N_("Tiret bas"),
}
# Shown on keys whose character is invisible.
CHARACTER_LABELS: dict[str, str] = {" ": N_("Espace"), "\n": N_("À la ligne")}
# Said after the letter, so "é" is not mistaken for "e" when heard.
ACCENT_DESCRIPTIONS: dict[str, str] = {
    "é": N_("e accent aigu"),
    "è": N_("e accent grave"),
    "ê": N_("e accent circonflexe"),
    "ë": N_("e tréma"),
    "à": N_("a accent grave"),
    "â": N_("a accent circonflexe"),
    "ç": N_("c cédille"),
    "ù": N_("u accent grave"),
    "û": N_("u accent circonflexe"),
    "ô": N_("o accent circonflexe"),
    "î": N_("i accent circonflexe"),
    "ï": N_("i tréma"),
}
SPECIAL_NAMES: dict[KeyKind, str] = {
    KeyKind.BACKSPACE: N_("Effacer"),
    KeyKind.SHIFT: N_("Majuscules"),
    KeyKind.OK: N_("Valider"),
}
ACCENTED_LETTERS = "éèêàâçùûôîïë"
# Layouts of the Arabic interface: Latin letters with a key to the Arabic ones, and back;
# for one line, or with "À la ligne" for a message.
LATIN_WITH_ARABIC, LATIN_LINES_WITH_ARABIC = "letters-ar", "lines-ar"
ARABIC, ARABIC_LINES = "arabic", "arabic-lines"
# The switch key, by the layout it shows: its label (the first letters of that alphabet)
# and its name.
_TO_ARABIC = ("أ ب ت", N_("Lettres arabes"))
_TO_LATIN = ("ABC", N_("Lettres latines"))
SWITCH_LABELS: dict[str, tuple[str, str]] = {
    ARABIC: _TO_ARABIC,
    ARABIC_LINES: _TO_ARABIC,
    LATIN_WITH_ARABIC: _TO_LATIN,
    LATIN_LINES_WITH_ARABIC: _TO_LATIN,
}


def _chars(characters: str) -> tuple[KeySpec, ...]:
    return tuple(KeySpec(KeyKind.CHARACTER, c) for c in characters)


def _letters_layout(
    name: str, punctuation: str, *, new_line: bool = False, switch_to: str | None = None
) -> KeyboardLayout:
    """French AZERTY letters, digits on top, the accented letters as a block on the right;
    ``punctuation`` after "n" (where AZERTY has "," and "?"), then "Effacer"; with
    ``new_line``, an "À la ligne" key beside the space bar (for a message).

    Everything is on one page: changing pages is a step many first-time users get lost in
    (only Arabic needs a second alphabet: ``switch_to`` adds the key to it, beside
    "Majuscules", where the Arabic page has it too).
    """
    accents = ACCENTED_LETTERS
    return KeyboardLayout(
        name=name,
        columns=14,
        rows=(
            _chars("1234567890" + accents[0:4]),
            _chars("azertyuiop" + accents[4:8]),
            _chars("qsdfghjklm" + accents[8:12]),
            (*_chars("wxcvbn" + punctuation), _erase(14 - 6 - len(punctuation))),
            _bottom_row(KeySpec(KeyKind.SHIFT, span=3), switch_to, new_line=new_line),
        ),
    )


def _erase(span: int) -> KeySpec:
    return KeySpec(KeyKind.BACKSPACE, span=span)


def _bottom_row(
    first: KeySpec, switch_to: str | None, *, new_line: bool
) -> tuple[KeySpec, ...]:
    """``first`` (3 columns), the key to the other alphabet (2), the space bar (the rest)
    or space and "À la ligne" side by side (3 each), "Valider" (4; 3 when all are there,
    so that the space bar stays at least as wide as "À la ligne")."""
    switch = () if switch_to is None else (KeySpec(KeyKind.SWITCH, switch_to, span=2),)
    ok = 3 if switch and new_line else 4
    space = 14 - first.span - 2 * len(switch) - ok
    keys: tuple[KeySpec, ...]
    if new_line:
        keys = (KeySpec(KeyKind.CHARACTER, " ", span=space - 3),
                KeySpec(KeyKind.CHARACTER, "\n", span=3))
    else:
        keys = (KeySpec(KeyKind.CHARACTER, " ", span=space),)
    return (first, *switch, *keys, KeySpec(KeyKind.OK, span=ok))


def _arabic_layout(name: str, switch_to: str, *, new_line: bool = False) -> KeyboardLayout:
    """The Arabic letters in the order of an Arabic keyboard, digits 0-9 on top (the digits
    of French papers), the hamza forms at the ends of the rows; no capitals."""
    return KeyboardLayout(
        name=name,
        columns=14,
        rows=(
            _chars("1234567890" + "أإآء"),
            _chars("ضصثقفغعهخحجد" + "ؤئ"),
            _chars("شسيبلاتنمكط" + "ىةذ"),
            (*_chars("رزوظ" + "،؟.-'"), _erase(5)),
            _bottom_row(KeySpec(KeyKind.GAP, span=3), switch_to, new_line=new_line),
        ),
    )


def _numeric_layout(name: str, extra: KeySpec) -> KeyboardLayout:
    """A telephone-style 12-key pad (1 2 3 on top), "Effacer" and "Valider"."""
    return KeyboardLayout(
        name=name,
        columns=3,
        rows=(
            _chars("123"),
            _chars("456"),
            _chars("789"),
            (extra, KeySpec(KeyKind.CHARACTER, "0"), KeySpec(KeyKind.BACKSPACE)),
            (KeySpec(KeyKind.OK, span=3),),
        ),
    )


# "," and "?" first: where an AZERTY keyboard has them, right after "n".
PUNCTUATION = ",?'-.@"
LETTERS = _letters_layout("letters", PUNCTUATION)
LINES = _letters_layout("lines", PUNCTUATION, new_line=True)
# An e-mail address rarely holds an apostrophe but often an underscore.
EMAIL = _letters_layout("email", "_-.@")
DIGITS = _numeric_layout("digits", KeySpec(KeyKind.GAP))
PHONE = _numeric_layout("phone", KeySpec(KeyKind.CHARACTER, " "))
LETTERS_WITH_ARABIC = _letters_layout(LATIN_WITH_ARABIC, PUNCTUATION, switch_to=ARABIC)
LINES_WITH_ARABIC = _letters_layout(
    LATIN_LINES_WITH_ARABIC, PUNCTUATION, new_line=True, switch_to=ARABIC_LINES
)
ARABIC_LETTERS = _arabic_layout(ARABIC, LATIN_WITH_ARABIC)
ARABIC_LINES_LETTERS = _arabic_layout(ARABIC_LINES, LATIN_LINES_WITH_ARABIC, new_line=True)

LAYOUTS: dict[str, KeyboardLayout] = {
    layout.name: layout
    for layout in (
        LETTERS, LINES, EMAIL, DIGITS, PHONE,
        LETTERS_WITH_ARABIC, LINES_WITH_ARABIC, ARABIC_LETTERS, ARABIC_LINES_LETTERS,
    )
}
MODE_LAYOUTS: dict[KeyboardMode, KeyboardLayout] = {
    KeyboardMode.TEXT: LETTERS,
    KeyboardMode.LINES: LINES,
    KeyboardMode.EMAIL: EMAIL,
    KeyboardMode.NUMBER: DIGITS,
    KeyboardMode.DATE: DIGITS,
    KeyboardMode.POSTCODE: DIGITS,
    KeyboardMode.PHONE: PHONE,
}


# Where a language needs other layouts than the French ones.
LANGUAGE_LAYOUTS: dict[str, dict[KeyboardMode, KeyboardLayout]] = {
    "ar": {KeyboardMode.TEXT: LETTERS_WITH_ARABIC, KeyboardMode.LINES: ARABIC_LINES_LETTERS},
}


def layout_for(mode: KeyboardMode | str, language: str = "fr") -> KeyboardLayout:
    """The first layout for a field mode in ``language``; an unknown mode name gets the
    full letters layout."""
    try:
        mode = KeyboardMode(mode)
    except ValueError:
        mode = KeyboardMode.TEXT
    return LANGUAGE_LAYOUTS.get(language, {}).get(mode, MODE_LAYOUTS[mode])
