"""Fixtures for the speech tests: WAV helpers, fake engine and synthesizer, stand-in players."""

from __future__ import annotations

import io
import math
import struct
import threading
import wave
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from accessibility.speech import SynthesisError, Utterance
from accessibility.voices import choose_voice

INSTALLED_VOICES = frozenset({"roa/fr", "gmw/en", "sem/ar"})
# A player that reads the WAV from stdin, then plays "silence" for a long time: only a kill
# ends it early. `exec` keeps it one process, as the Speaker requires.
SLOW_PLAYER = "sh -c 'cat >/dev/null; exec sleep 30'"
QUICK_PLAYER = "cat"  # reads the WAV ("-" is stdin) and ends


def make_wav(seconds: float = 0.2, payload: bytes = b"", rate: int = 22050) -> bytes:
    """A mono 16-bit WAV: a 440 Hz tone, then `payload` as raw frames (to trace leaks)."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    if len(payload) % 2:
        payload += b"\0"
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames + payload)
    return buffer.getvalue()


class FakeEngine:
    """An engine whose WAV carries the text (so a leak of it into a file can be searched for).

    `gate`, when set, makes each render wait for it: tests then control what is in flight.
    """

    def __init__(self, voices: frozenset[str] = INSTALLED_VOICES) -> None:
        self.voices = voices
        self.rendered: list[Utterance] = []
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self.fail_on: str | None = None

    def voice_ids(self) -> frozenset[str]:
        return self.voices

    def render(self, utterance: Utterance) -> bytes:
        self.started.set()
        if self.gate is not None:
            self.gate.wait(10)
        if utterance.text == self.fail_on:
            raise SynthesisError("boom")
        self.rendered.append(utterance)
        return make_wav(0.05, utterance.text.encode("utf-8"))


class BrokenEngine:
    """An engine whose library is missing."""

    def voice_ids(self) -> frozenset[str]:
        raise SynthesisError("libespeak-ng.so.1: cannot open shared object file")

    def render(self, utterance: Utterance) -> bytes:
        raise SynthesisError("unavailable")


class RecordingSynthesizer:
    """Stands in for the synthesis worker: records every request, answers from memory.

    With `resolve=False` the futures stay pending until the test resolves them.
    """

    def __init__(self, audio: bytes | None = None, resolve: bool = True) -> None:
        self.audio = audio if audio is not None else make_wav(0.1)
        self.resolve = resolve
        self.submitted: list[Utterance] = []
        self.futures: list[Future[bytes]] = []
        self.prerendered: list[Utterance] = []
        self.cache: dict[Utterance, bytes] = {}
        self.cancels = 0
        self.closed = False

    def voice_for(self, language: str) -> str | None:
        return choose_voice(language, INSTALLED_VOICES)

    def cached(self, utterance: Utterance) -> bytes | None:
        return None if utterance.personal else self.cache.get(utterance)

    def submit(self, utterance: Utterance) -> Future[bytes]:
        self.submitted.append(utterance)
        future: Future[bytes] = Future()
        future.set_running_or_notify_cancel()
        if self.resolve:
            future.set_result(self.audio)
        self.futures.append(future)
        return future

    def prerender(self, utterances: Iterable[Utterance]) -> int:
        wanted = list(utterances)
        self.prerendered.extend(wanted)
        return len(wanted)

    def cancel_pending(self) -> None:
        self.cancels += 1

    def close(self) -> None:
        self.closed = True

    @property
    def texts(self) -> list[str]:
        return [u.text for u in self.submitted]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def recording_synth() -> RecordingSynthesizer:
    return RecordingSynthesizer()


@pytest.fixture
def make_speaker(qtbot: object) -> Iterator[Callable[..., object]]:
    """Build Speakers (default: recording synthesizer, slow player); all closed at teardown."""
    from accessibility.qt_speech import Speaker

    speakers: list[Speaker] = []

    def build(**kwargs: object) -> Speaker:
        kwargs.setdefault("player", SLOW_PLAYER)
        if "synthesizer" not in kwargs and "cache_dir" not in kwargs:
            kwargs["synthesizer"] = RecordingSynthesizer()
        speaker = Speaker(**kwargs)  # type: ignore[arg-type]
        speakers.append(speaker)
        return speaker

    yield build
    for speaker in speakers:
        speaker.close()


def pid_alive(pid: int) -> bool:
    """True while a process with this id exists and is not a reaped zombie."""
    status = Path(f"/proc/{pid}/stat")
    try:
        return status.read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
