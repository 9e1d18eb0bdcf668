"""The synthesis worker: one thread owns the only engine and renders utterances to WAV bytes.

Two queues feed it. Foreground requests (what must be said now) always go first, and a new
one cancels the older ones still waiting (what was on the previous screen is stale). Background
pre-rendering of static text fills the cache when nothing else is asked. Results come back as
`concurrent.futures.Future` objects; their done-callbacks run on the worker thread, so a Qt
caller turns them into a queued signal (see accessibility.qt_speech).

Audio is rendered in memory. Static text is then written to the cache; personal text never
is, and nothing of it exists on disk at any moment.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Protocol

from accessibility.speech.cache import SpeechCache
from accessibility.speech.engine import Pyttsx3Engine, SpeechEngine, SynthesisError
from accessibility.speech.privacy import may_cache
from accessibility.speech.utterance import Utterance
from accessibility.voices import choose_voice

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 5.0


class SynthesizerLike(Protocol):
    """What the Qt Speaker needs; tests inject a recording fake."""

    def voice_for(self, language: str) -> str | None:
        """The voice id for a language, or None when the engine has none for it."""
        ...

    def cached(self, utterance: Utterance) -> bytes | None:
        """The cached WAV of a static utterance, read on the caller's thread, or None."""
        ...

    def submit(self, utterance: Utterance) -> Future[bytes]:
        """Render now (before any pre-rendering); cancels older pending requests."""
        ...

    def prerender(self, utterances: Iterable[Utterance]) -> int:
        """Queue static utterances for the cache in the background; returns how many."""
        ...

    def cancel_pending(self) -> None:
        """Cancel foreground requests not started yet."""
        ...

    def close(self) -> None:
        """Stop the worker."""
        ...


class Synthesizer:
    """The one synthesis worker thread of the process (see module docstring)."""

    def __init__(
        self,
        engine: SpeechEngine | None = None,
        *,
        cache: SpeechCache | None = None,
        name: str = "speech-synthesis",
    ) -> None:
        self.cache = cache
        self._engine: SpeechEngine = engine if engine is not None else Pyttsx3Engine()
        self._condition = threading.Condition()
        self._foreground: deque[tuple[Utterance, Future[bytes]]] = deque()
        self._background: deque[Utterance] = deque()
        self._busy = False
        self._closed = False
        self._ready = threading.Event()
        self._voice_ids: frozenset[str] = frozenset()
        self.failure: str | None = None  # why the engine could not start, for doctor/logs
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ caller side (any thread)

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> bool:
        """Wait until the worker has started the engine and listed its voices."""
        return self._ready.wait(timeout)

    def voice_ids(self) -> frozenset[str]:
        """The engine's voices (empty when it could not start)."""
        self.wait_ready()
        return self._voice_ids

    def voice_for(self, language: str) -> str | None:
        """The voice id chosen for `language` among the engine's voices, or None."""
        return choose_voice(language, self.voice_ids())

    def cached(self, utterance: Utterance) -> bytes | None:
        """The cached WAV of a static utterance, or None (always None for personal text)."""
        return self.cache.get(utterance) if self.cache is not None else None

    def submit(self, utterance: Utterance) -> Future[bytes]:
        """Render `utterance` next; older foreground requests still waiting are cancelled."""
        future: Future[bytes] = Future()
        with self._condition:
            if self._closed:
                future.cancel()
                return future
            self._cancel_foreground()
            self._foreground.append((utterance, future))
            self._condition.notify_all()
        return future

    def prerender(self, utterances: Iterable[Utterance]) -> int:
        """Queue static utterances for the cache, after any foreground work. Personal ones
        and those already cached are skipped. Returns how many were queued."""
        if self.cache is None:
            return 0
        wanted = [u for u in utterances if may_cache(u) and u.text.strip()]
        with self._condition:
            self._background.extend(wanted)
            self._condition.notify_all()
        return len(wanted)

    def cancel_pending(self) -> None:
        """Cancel foreground requests not started yet (the one rendering finishes)."""
        with self._condition:
            self._cancel_foreground()

    def cancel_background(self) -> None:
        """Drop the pre-rendering still queued."""
        with self._condition:
            self._background.clear()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until both queues are empty and nothing renders (tests, bench, shutdown)."""
        with self._condition:
            return self._condition.wait_for(
                lambda: not (self._busy or self._foreground or self._background), timeout
            )

    def close(self, timeout: float = 2.0) -> None:
        """Stop the worker after the utterance it is rendering, cancelling the rest."""
        with self._condition:
            self._closed = True
            self._cancel_foreground()
            self._background.clear()
            self._condition.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _cancel_foreground(self) -> None:
        while self._foreground:
            _, stale = self._foreground.popleft()
            stale.cancel()

    # ------------------------------------------------------------ worker thread

    def _run(self) -> None:
        try:
            self._voice_ids = self._engine.voice_ids()
        except Exception as error:  # no libespeak-ng: the kiosk works, silently
            self.failure = f"{type(error).__name__}: {error}"
            log.warning("speech engine unavailable, the kiosk will be silent: %s", self.failure)
        finally:
            self._ready.set()
        while True:
            with self._condition:
                self._condition.wait_for(
                    lambda: self._closed or bool(self._foreground or self._background)
                )
                if self._closed:
                    return
                future: Future[bytes] | None = None
                if self._foreground:
                    utterance, future = self._foreground.popleft()
                else:
                    utterance = self._background.popleft()
                self._busy = True
            try:
                if future is not None:
                    self._render_foreground(utterance, future)
                else:
                    self._render_background(utterance)
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()

    def _render_foreground(self, utterance: Utterance, future: Future[bytes]) -> None:
        if not future.set_running_or_notify_cancel():
            return  # cancelled while waiting
        try:
            audio = self._engine.render(utterance)
        except Exception as error:
            future.set_exception(
                error if isinstance(error, SynthesisError) else SynthesisError(repr(error))
            )
            return
        # Not stored: what is said on demand may quote a resident's answers (the review,
        # a text box read on focus). Only the static texts given to prerender() reach the
        # cache on disk.
        future.set_result(audio)

    def _render_background(self, utterance: Utterance) -> None:
        if self.cache is None or utterance in self.cache:
            return
        try:
            audio = self._engine.render(utterance)
        except Exception as error:  # logged once per text would flood: debug is enough
            log.debug("pre-rendering failed: %s", type(error).__name__)
            return
        self._store(utterance, audio)

    def _store(self, utterance: Utterance, audio: bytes) -> None:
        if self.cache is None or not may_cache(utterance):
            return
        try:
            self.cache.put(utterance, audio)
        except OSError as error:  # full disk: speech still works, uncached
            log.warning("speech cache write failed: %s", error)
