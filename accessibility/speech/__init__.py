"""Qt-free speech core: one synthesis worker, a WAV cache of static text, the player command,
and the privacy rules (what may be spoken aloud, said again, cached: ``privacy``).

The Qt adapter that plays and interrupts speech is accessibility.qt_speech.
"""

from accessibility.speech.cache import PersonalTextError, SpeechCache
from accessibility.speech.engine import Pyttsx3Engine, SpeechEngine, SynthesisError, engine_version
from accessibility.speech.player import DEFAULT_PLAYER, PlayerCommand, player_available
from accessibility.speech.privacy import Said, SpeechPrivacy, focus_announcements, may_cache
from accessibility.speech.synthesizer import Synthesizer, SynthesizerLike
from accessibility.speech.utterance import Utterance

__all__ = [
    "DEFAULT_PLAYER",
    "PersonalTextError",
    "PlayerCommand",
    "Pyttsx3Engine",
    "Said",
    "SpeechCache",
    "SpeechEngine",
    "SpeechPrivacy",
    "SynthesisError",
    "Synthesizer",
    "SynthesizerLike",
    "Utterance",
    "engine_version",
    "focus_announcements",
    "may_cache",
    "player_available",
]
