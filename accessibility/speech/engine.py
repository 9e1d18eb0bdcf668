"""The pyttsx3 (espeak-ng) engine, wrapped so that it renders one utterance to WAV bytes in memory.

Facts this module is built on (pyttsx3 2.99, see docs/speech.md): one engine per process,
one utterance per `runAndWait()`, a bad voice id fails silently, an empty text makes
`runAndWait()` loop forever. The espeak driver hands the file name of `save_to_file()` to
`wave.open()`, which also accepts a file object: rendering into an `io.BytesIO` keeps the audio
of personal text off every file system (not even a temp file exists).
"""

from __future__ import annotations

import atexit
import io
import logging
import shutil
import subprocess
import threading
import time
import wave
from dataclasses import replace
from functools import cache
from importlib import metadata
from typing import Any, Protocol

from accessibility.speech.utterance import EMBED_START, Utterance, segments

log = logging.getLogger(__name__)

# Every call into espeak goes through this lock: the library has one global state, whatever
# number of pyttsx3 Engine objects a process (or a test session) creates.
_ESPEAK_LOCK = threading.Lock()
RATE_RANGE = (80, 400)
IDLE_POLL_S = 0.0005
IDLE_TIMEOUT_S = 2.0
_engine: Any = None  # the process's one pyttsx3 Engine, see _shared_engine()


class SynthesisError(RuntimeError):
    """The engine could not render an utterance (missing library or voice, empty output)."""


class SpeechEngine(Protocol):
    """What the synthesizer needs from a text-to-speech engine (a fake one in tests)."""

    def voice_ids(self) -> frozenset[str]:
        """The voice ids this engine can speak with."""
        ...

    def render(self, utterance: Utterance) -> bytes:
        """The utterance as a complete WAV file in memory."""
        ...


def _discard_print(*_args: object, **_kwargs: object) -> None:
    """Replaces `print` inside the espeak driver only, which prints "Audio saved to ..."."""


@cache
def engine_version() -> str:
    """pyttsx3 and espeak-ng versions: part of the cache key, so an upgrade re-renders.

    Asks the `espeak-ng` command, not the library: calling espeak_Info() in the library
    resets the synthesis parameters of the running engine (rate and volume are then ignored).
    """
    espeak = "espeak-ng ?"
    program = shutil.which("espeak-ng")
    if program is not None:
        try:
            done = subprocess.run(  # noqa: S603  fixed program, no shell, no user input
                [program, "--version"], capture_output=True, text=True, timeout=5, check=False
            )
            espeak = done.stdout.strip().splitlines()[0] if done.stdout.strip() else espeak
        except (OSError, subprocess.SubprocessError):
            pass
    return f"pyttsx3 {metadata.version('pyttsx3')}; {espeak}"


def _shared_engine() -> Any:
    """The process's one pyttsx3 Engine, started on first use (caller holds _ESPEAK_LOCK).

    One for the whole process, never one per caller: each new espeak driver takes over the
    library's synthesis callback, and an older Engine would then wait forever for its audio.
    """
    global _engine  # noqa: PLW0603  the one engine espeak allows per process
    if _engine is None:
        try:
            # Imported here: importing pyttsx3's espeak driver raises without libespeak-ng.
            import pyttsx3.drivers.espeak as espeak_driver
            from pyttsx3.engine import Engine
        except Exception as error:  # OSError/RuntimeError when libespeak-ng is missing
            raise SynthesisError(f"pyttsx3/espeak-ng unavailable: {error}") from error
        # Scoped to the driver module: unlike redirect_stdout, this does not touch the
        # stdout of other threads.
        setattr(espeak_driver, "print", _discard_print)  # noqa: B010
        # Engine(), not pyttsx3.init(): init() keeps engines in a weak cache and would build
        # a second one once ours is collected.
        _engine = Engine("espeak")
        # Let it go while the interpreter is whole: pyttsx3's finalizer fails at shutdown.
        atexit.register(_forget_engine)
        log.debug("speech engine started: %s", engine_version())
    return _engine


def _forget_engine() -> None:
    global _engine  # noqa: PLW0603
    with _ESPEAK_LOCK:
        _engine = None


class Pyttsx3Engine:
    """Renders through the process's pyttsx3 engine on the espeak driver.

    Meant for the synthesis worker thread; every call holds a process-wide lock, so several
    instances (tests, `kiosk doctor`) can coexist safely.
    """

    def __init__(self) -> None:
        self._voice_ids: frozenset[str] | None = None

    def voice_ids(self) -> frozenset[str]:
        """The voice ids the installed espeak-ng offers (lower case, e.g. "roa/fr")."""
        if self._voice_ids is None:
            with _ESPEAK_LOCK:
                voices = _shared_engine().getProperty("voices")
            self._voice_ids = frozenset(str(voice.id).lower() for voice in voices)
        return self._voice_ids

    def render(self, utterance: Utterance) -> bytes:
        """Render one utterance to a 22,050 Hz mono 16-bit WAV held in memory.

        With an ``embedded_voice``, each part of the text is said with its own voice and
        the parts are joined into one WAV (espeak-ng cannot switch voice inside a text).
        """
        if utterance.embedded_voice is None or EMBED_START not in utterance.text:
            return self._render_one(utterance)
        parts = [
            replace(utterance, text=part, embedded_voice=None,
                    voice=utterance.embedded_voice if embedded else utterance.voice)
            for part, embedded in segments(utterance.text)
        ]
        if not parts:
            raise SynthesisError("empty text")
        return _join_wavs([self._render_one(part) for part in parts])

    def _render_one(self, utterance: Utterance) -> bytes:
        text = utterance.text.strip()
        if not text:
            raise SynthesisError("empty text")  # runAndWait() would never return
        if utterance.voice not in self.voice_ids():
            raise SynthesisError(f"voice {utterance.voice!r} is not installed")
        rate = min(max(int(utterance.rate_wpm), RATE_RANGE[0]), RATE_RANGE[1])
        volume = min(max(float(utterance.volume), 0.0), 1.0)
        target = io.BytesIO()
        global _engine  # noqa: PLW0603
        with _ESPEAK_LOCK:
            engine = _shared_engine()
            try:
                # espeak queues parameter changes behind the end of the previous utterance,
                # and runAndWait() cancels that queue if it is not empty yet: the voice, rate
                # and volume would then be silently dropped. So wait for an empty queue
                # before and after setting them.
                _wait_until_idle()
                engine.setProperty("voice", utterance.voice)
                engine.setProperty("rate", rate)
                engine.setProperty("volume", volume)
                _wait_until_idle()
                engine.save_to_file(text, target)
                engine.runAndWait()
            except Exception as error:
                _engine = None  # a failed run loop leaves the Engine unusable: start anew
                raise SynthesisError(f"espeak-ng failed: {type(error).__name__}") from error
        audio = target.getvalue()
        _check_wav(audio)
        return audio


def _wait_until_idle() -> None:
    """Poll espeak until its command queue is empty (usually at once; < 1 ms otherwise)."""
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(IDLE_POLL_S)


def _join_wavs(wavs: list[bytes]) -> bytes:
    """One WAV holding the frames of ``wavs`` one after the other (same format: one engine)."""
    target = io.BytesIO()
    with wave.open(io.BytesIO(wavs[0]), "rb") as first:
        params = first.getparams()
    with wave.open(target, "wb") as joined:
        joined.setparams(params)
        for audio in wavs:
            with wave.open(io.BytesIO(audio), "rb") as part:
                joined.writeframes(part.readframes(part.getnframes()))
    return target.getvalue()


def _check_wav(audio: bytes) -> None:
    """Raise SynthesisError unless `audio` is a WAV with at least one frame."""
    try:
        with wave.open(io.BytesIO(audio), "rb") as wav:
            frames = wav.getnframes()
    except (wave.Error, EOFError) as error:
        raise SynthesisError(f"engine produced no WAV: {error}") from error
    if frames == 0:
        raise SynthesisError("engine produced an empty WAV")
