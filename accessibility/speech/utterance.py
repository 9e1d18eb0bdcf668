"""What to say and how: the value every part of the speech service passes around."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A text in another language inside this one is wrapped in FIRST STRONG ISOLATE ... POP
# DIRECTIONAL ISOLATE (the marks that also keep its direction on screen): a French street
# name inside an Arabic sentence. It is said with ``Utterance.embedded_voice``.
EMBED_START, EMBED_END = "\u2068", "\u2069"
_EMBEDDED = re.compile(f"{EMBED_START}([^{EMBED_START}{EMBED_END}]*){EMBED_END}")


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into its parts, each with whether it is embedded (another language);
    parts without a sound (spaces, punctuation only) are left out."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _EMBEDDED.finditer(text):
        parts += [(text[position:match.start()], False), (match.group(1), True)]
        position = match.end()
    parts.append((text[position:], False))
    return [(part, embedded) for part, embedded in parts if any(c.isalnum() for c in part)]


@dataclass(frozen=True)
class Utterance:
    """One piece of text to render, with the voice and settings it is rendered with.

    `personal` marks text a resident typed or chose (name, address, answers marked personal
    in the catalog): it is rendered in memory only and never reaches the WAV cache.
    """

    text: str
    voice: str
    rate_wpm: int
    volume: float
    personal: bool = False
    embedded_voice: str | None = None  # says the embedded parts of ``text`` (see segments)

    def __repr__(self) -> str:
        # Personal text must not leak into logs or tracebacks through a repr.
        shown = "<personal>" if self.personal else repr(self.text[:40])
        return (
            f"Utterance({shown}, voice={self.voice!r}, rate_wpm={self.rate_wpm}, "
            f"volume={self.volume}, personal={self.personal}"
            + (f", embedded_voice={self.embedded_voice!r})" if self.embedded_voice else ")")
        )
