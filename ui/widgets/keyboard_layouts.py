"""The on-screen keyboard's layouts as data: which key sits where, what it types, its name.

Kept free of widgets so the arrangement can be read (and changed) at a glance. Layouts are
grids: each row lists its keys left to right, a key may span several columns.
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


def _chars(characters: str) -> tuple[KeySpec, ...]:
    return tuple(KeySpec(KeyKind.CHARACTER, c) for c in characters)


def _letters_layout(
    name: str, punctuation: str, *, new_line: bool = False
) -> KeyboardLayout:
    """French AZERTY letters, digits on top, the accented letters as a block on the right;
    with ``new_line``, an "À la ligne" key beside the space bar (for a message).

    Everything is on one page: changing pages is a step many first-time users get lost in.
    """
    accents = ACCENTED_LETTERS
    space = (
        (KeySpec(KeyKind.CHARACTER, " ", span=4), KeySpec(KeyKind.CHARACTER, "\n", span=3))
        if new_line
        else (KeySpec(KeyKind.CHARACTER, " ", span=7),)
    )
    return KeyboardLayout(
        name=name,
        columns=14,
        rows=(
            _chars("1234567890" + accents[0:4]),
            _chars("azertyuiop" + accents[4:8]),
            _chars("qsdfghjklm" + accents[8:12]),
            (*_chars("wxcvbn" + punctuation), KeySpec(KeyKind.BACKSPACE, span=4)),
            (
                KeySpec(KeyKind.SHIFT, span=3),
                *space,
                KeySpec(KeyKind.OK, span=4),
            ),
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


LETTERS = _letters_layout("letters", "'-.@")
LINES = _letters_layout("lines", "'-.@", new_line=True)
# An e-mail address rarely holds an apostrophe but often an underscore.
EMAIL = _letters_layout("email", "_-.@")
DIGITS = _numeric_layout("digits", KeySpec(KeyKind.GAP))
PHONE = _numeric_layout("phone", KeySpec(KeyKind.CHARACTER, " "))

LAYOUTS: dict[str, KeyboardLayout] = {
    layout.name: layout for layout in (LETTERS, LINES, EMAIL, DIGITS, PHONE)
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


def layout_for(mode: KeyboardMode | str) -> KeyboardLayout:
    """The layout for a field mode; an unknown mode name gets the full letters layout."""
    try:
        return MODE_LAYOUTS[KeyboardMode(mode)]
    except ValueError:
        return LETTERS
