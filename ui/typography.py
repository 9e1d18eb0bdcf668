"""French spacing that a line break cannot split: "?" never starts a line on its own.

French writes a space before "?", "!", ":", ";" and "»", and after "«". With an ordinary
space, a wrapping title at a large text size can leave "?" alone on the next line
("… sur l'acte" / "?"). Shown texts get a no-break space (U+00A0) there instead; the
catalog files keep ordinary spaces, and what screen readers and speech are given (the
accessible name) stays the text as written.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

NO_BREAK_SPACE = "\u00a0"
_BREAKABLE_SPACE = re.compile(r"[ \t]+(?=[?!:;»])|(?<=«)[ \t]+")


def unbreakable_punctuation(text: str) -> str:
    """``text`` with a no-break space before ``? ! : ; »`` and after ``«``."""
    return _BREAKABLE_SPACE.sub(NO_BREAK_SPACE, text)


def show_text(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` with unbreakable punctuation; its accessible name
    (what a screen reader says, and what tests look for) is ``text`` as written."""
    label.setText(unbreakable_punctuation(text))
    label.setAccessibleName(text)
