"""Which espeak-ng voice speaks which language, and the rate and volume steps a resident can pick.

Pure functions and constants (no Qt, no engine) except `available_voices()`, which asks the
engine for its voice list and is meant for `kiosk doctor` (EN 301 549 5.1.3.14: speech is in
the language shown on screen, so a missing voice is a fault a technician must see).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

# Preferred espeak-ng voice ids per language, best first. The ids are the voice file names
# that pyttsx3 2.99 reports in lower case (`espeak-ng --voices` column "File").
VOICE_PREFERENCES: dict[str, tuple[str, ...]] = {
    "fr": ("roa/fr", "roa/fr-be", "roa/fr-ch"),
    "en": ("gmw/en", "gmw/en-us", "gmw/en-gb-x-rp"),
    "ar": ("sem/ar",),
}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(VOICE_PREFERENCES)


def normalize_language(language: str) -> str:
    """The two-letter language code of a locale name: "fr_FR", "fr-FR", "FR" -> "fr"."""
    return language.strip().replace("_", "-").split("-", 1)[0].lower()


def choose_voice(language: str, available: Iterable[str]) -> str | None:
    """The best voice id for `language` among the `available` ids, or None when none fits.

    Never falls back to a voice of another language: French text read by an English voice
    is not understood, and a silent kiosk with a doctor warning is the honest failure.
    """
    ids = {voice_id.lower() for voice_id in available}
    for candidate in VOICE_PREFERENCES.get(normalize_language(language), ()):
        if candidate in ids:
            return candidate
    return None


def voices_by_language(available: Iterable[str]) -> dict[str, str | None]:
    """For each supported language, the voice chosen among `available`, or None."""
    ids = frozenset(available)
    return {language: choose_voice(language, ids) for language in SUPPORTED_LANGUAGES}


def available_voices() -> dict[str, str | None]:
    """For `kiosk doctor`: per supported language, the voice the installed engine will use.

    Starts the pyttsx3 engine of this process (cheap, ~30 ms). A value None means that
    language will be silent: install `espeak-ng-data` or the matching voice.
    """
    # Imported here: accessibility.speech imports this module (no import cycle at load time).
    from accessibility.speech.engine import Pyttsx3Engine

    return voices_by_language(Pyttsx3Engine().voice_ids())


# ------------------------------------------------------------------ rate and volume


class RateLevel(enum.IntEnum):
    """Speech rates in words per minute. Slow is the default for elderly listeners."""

    SLOWER = 115
    SLOW = 135
    NORMAL = 165


DEFAULT_RATE_WPM = int(RateLevel.SLOW)
RATE_LEVELS: tuple[int, ...] = tuple(sorted(int(level) for level in RateLevel))

# Five volume steps (EN 301 549 5.1.3.11/12). Never 0: a resident who cannot see the screen
# must not be able to silence the kiosk by accident; "Stop" is there to stop.
VOLUME_STEPS: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
DEFAULT_VOLUME = 0.8


def step_up(value: float, steps: Sequence[float]) -> float:
    """The first step strictly above `value`, or the highest step when there is none."""
    return next((step for step in sorted(steps) if step > value + 1e-9), max(steps))


def step_down(value: float, steps: Sequence[float]) -> float:
    """The first step strictly below `value`, or the lowest step when there is none."""
    return next((step for step in sorted(steps, reverse=True) if step < value - 1e-9), min(steps))


def faster(rate_wpm: int) -> int:
    """The next faster rate level."""
    return int(step_up(rate_wpm, RATE_LEVELS))


def slower(rate_wpm: int) -> int:
    """The next slower rate level."""
    return int(step_down(rate_wpm, RATE_LEVELS))


def louder(volume: float) -> float:
    """The next louder volume step."""
    return step_up(volume, VOLUME_STEPS)


def quieter(volume: float) -> float:
    """The next quieter volume step."""
    return step_down(volume, VOLUME_STEPS)


def volume_step_index(volume: float) -> int:
    """1..5: the step nearest to `volume`, to say "volume 4 sur 5" to a resident."""
    nearest = min(VOLUME_STEPS, key=lambda step: abs(step - volume))
    return VOLUME_STEPS.index(nearest) + 1
