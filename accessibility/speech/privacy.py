"""What may be spoken aloud, said again and cached: the privacy rules of speech, free of Qt.

A kiosk speaks in a public room. Personal text (what a resident typed or chose: a name, an
address, an answer the catalog marks personal) is spoken only through private listening
(headphones, EN 301 549 5.1.3.9); a PIN pad says nothing of what is typed; "Répéter" never
brings personal text back once private listening is off; the next resident cannot replay
anything (5.1.3.13); and personal text never reaches the WAV cache. The Qt adapter
(``accessibility.qt_speech``) and the kiosk's narration ask these rules and only play.
"""

from __future__ import annotations

from dataclasses import dataclass

from accessibility.speech.utterance import Utterance


@dataclass(frozen=True)
class Said:
    """Text to speak in a language, and whether it is personal; kept in memory only."""

    text: str
    language: str
    personal: bool = False
    embedded_language: str | None = None  # the language of its marked parts (a street name)

    def __repr__(self) -> str:
        # Personal text must not leak into logs or tracebacks through a repr.
        shown = "<personal>" if self.personal else repr(self.text[:40])
        return f"Said({shown}, language={self.language!r}, personal={self.personal})"


def may_cache(utterance: Utterance) -> bool:
    """Only static text (labels, catalog texts) is written to the WAV cache."""
    return not utterance.personal


def focus_announcements(
    label: str, described: str, personal: bool, *, in_pin_pad: bool = False
) -> tuple[tuple[str, bool], ...]:
    """What to say, in order, when a field gets the focus: ``(text, personal)`` pairs.

    ``label`` is the field's accessible name and ``described`` what describes it with its
    content. Inside a PIN pad, nothing. A personal content is offered as personal after
    its label said publicly: without private listening the label alone is heard.
    """
    if in_pin_pad:
        return ()
    if personal:
        return ((label, False), (described, True))
    return ((described, False),)


class SpeechPrivacy:
    """The privacy state of one kiosk's speech: private listening, and what "Répéter" may
    say again.

        privacy = SpeechPrivacy()
        if privacy.admits(personal):          # else: say nothing at all
            privacy.remember(Said(text, "fr", personal))
        privacy.to_repeat()                   # the last text private listening allows
        if privacy.set_private_listening(False): stop any personal speech now
        privacy.forget()                      # end of the visit
    """

    def __init__(self) -> None:
        self._private_listening = False
        self._last: Said | None = None
        self._last_public: Said | None = None

    @property
    def private_listening(self) -> bool:
        """Private listening (headphones): only then is personal text spoken."""
        return self._private_listening

    def admits(self, personal: bool) -> bool:
        """Whether text may be spoken aloud now: static text always, personal text only
        with private listening."""
        return not personal or self._private_listening

    def remember(self, said: Said) -> None:
        """``said`` is being spoken: "Répéter" may say it again (personal text only while
        private listening lasts)."""
        if not self.admits(said.personal):
            raise ValueError("personal text is not spoken without private listening")
        self._last = said
        if not said.personal:
            self._last_public = said

    def to_repeat(self) -> Said | None:
        """What "Répéter" says: the last text said, or without private listening the last
        static one; None when there is nothing."""
        return self._last if self._private_listening else self._last_public

    def set_private_listening(self, on: bool) -> bool:
        """Switch private listening; True when personal speech under way must stop now."""
        self._private_listening = bool(on)
        if on:
            return False
        self._last = self._last_public  # "Répéter" must not bring personal text back
        return True

    def forget(self) -> None:
        """End of a resident's visit: nothing can be said again, private listening off."""
        self._last = self._last_public = None
        self._private_listening = False
