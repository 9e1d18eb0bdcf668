"""What to say and how: the value every part of the speech service passes around."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __repr__(self) -> str:
        # Personal text must not leak into logs or tracebacks through a repr.
        shown = "<personal>" if self.personal else repr(self.text[:40])
        return (
            f"Utterance({shown}, voice={self.voice!r}, rate_wpm={self.rate_wpm}, "
            f"volume={self.volume}, personal={self.personal})"
        )
