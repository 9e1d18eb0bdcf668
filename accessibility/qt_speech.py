"""The Qt side of speech: a `Speaker` that plays rendered WAVs through a killable player process,
and an application event filter that stops speech on any user input.

The only module of `accessibility` that touches Qt for speech. Threads: the GUI thread calls
`Speaker`; synthesis happens on the worker of accessibility.speech.synthesizer, whose results
come back through a queued signal; playback is a child process (QProcess) fed on its stdin, so
stopping is one `kill()` and nothing waits on the GUI thread.

EN 301 549 clauses served here: 5.1.3.4 (stop, repeat), 5.1.3.5 (input and new speech interrupt
at once), 5.1.3.9 (personal data only through private listening), 5.1.3.11/12 (volume steps),
5.1.3.13 (defaults restored after each user), 5.1.3.14 (voice of the screen's language).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QProcess, Qt, QTimer, Signal

from accessibility import voices
from accessibility.speech.cache import DEFAULT_MAX_BYTES, SpeechCache
from accessibility.speech.engine import engine_version
from accessibility.speech.player import DEFAULT_PLAYER, PlayerCommand
from accessibility.speech.privacy import Said, SpeechPrivacy
from accessibility.speech.synthesizer import Synthesizer, SynthesizerLike
from accessibility.speech.utterance import EMBED_START, Utterance

log = logging.getLogger(__name__)

CLOSE_WAIT_MS = 500  # at shutdown only: reap killed players before their QProcess goes


class Speaker(QObject):
    """Speaks text in the screen's language; any new speech or `stop()` silences the old at once.

    Build one per application, on the GUI thread:

        speaker = Speaker(cache_dir=data_dir / "speech-cache", player=config.speech.player,
                          default_rate_wpm=config.speech.rate_wpm,
                          default_volume=config.speech.volume)

    `synthesizer` replaces the real worker (tests inject a recording fake); `cache_dir=None`
    disables the cache. Call `close()` before the application quits.
    """

    speaking_started = Signal()  # the player process started: audio is starting
    speaking_finished = Signal()  # the player ended, or speech was stopped or replaced
    settings_changed = Signal()  # rate or volume changed (to show or say the new level)
    _rendered = Signal(int, object)  # (request number, Future[bytes]) from the worker thread

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        player: str = DEFAULT_PLAYER,
        default_rate_wpm: int = voices.DEFAULT_RATE_WPM,
        default_volume: float = voices.DEFAULT_VOLUME,
        enabled: bool = True,
        synthesizer: SynthesizerLike | None = None,
        cache_max_bytes: int = DEFAULT_MAX_BYTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._player = PlayerCommand.parse(player)
        self._owns_synthesizer = synthesizer is None
        if synthesizer is None:
            cache = (
                SpeechCache(cache_dir, engine_version=engine_version(), max_bytes=cache_max_bytes)
                if cache_dir is not None
                else None
            )
            synthesizer = Synthesizer(cache=cache)
        self._synthesizer: SynthesizerLike = synthesizer
        self.default_rate_wpm = int(default_rate_wpm)
        self.default_volume = float(default_volume)
        self._rate_wpm = self.default_rate_wpm
        self._volume = self.default_volume
        self._enabled = enabled
        self._privacy = SpeechPrivacy()  # what may be said aloud and again (Qt-free rules)
        self._request = 0  # bumped by every say/stop: late results of older requests are dropped
        self._pending: Future[bytes] | None = None
        self._pending_personal = False
        self._process: QProcess | None = None
        self._process_started = False
        self._process_personal = False
        self._dying: set[QProcess] = set()  # killed, waiting for Qt to reap them
        self._warned: set[str] = set()
        self._fresh = False  # speech was asked for since control last returned to the loop
        self._closed = False
        self._rendered.connect(self._on_rendered, Qt.ConnectionType.QueuedConnection)
        application = QCoreApplication.instance()
        if application is not None:  # no running player may outlive the application
            application.aboutToQuit.connect(self.close)

    # ------------------------------------------------------------ speaking

    def say(
        self,
        text: str,
        *,
        language: str,
        personal: bool = False,
        embedded_language: str | None = None,
    ) -> bool:
        """Speak `text` with the voice of `language`, replacing any speech at once.

        `personal=True` marks what a resident typed or chose: it is spoken only when private
        listening is on; otherwise this call does nothing at all (the text never reaches the
        synthesizer, current speech goes on) and the caller speaks the label alone.
        Returns True when speech was started or requested.
        """
        if self._closed or not self._enabled or not text.strip():
            return False
        if not self._privacy.admits(personal):
            return False
        self.stop()
        voice = self._synthesizer.voice_for(language)
        if voice is None:
            self._warn_once(f"voice-{language}", "no speech voice for language %r", language)
            return False
        # Parts in another language (see utterance.segments) are said with its voice.
        embedded_voice = (
            self._synthesizer.voice_for(embedded_language)
            if embedded_language and EMBED_START in text
            else None
        )
        self._privacy.remember(Said(text, language, personal, embedded_language))
        self._speak(
            Utterance(text, voice, self._rate_wpm, self._volume, personal, embedded_voice)
        )
        if not self._fresh:
            self._fresh = True
            QTimer.singleShot(0, self._no_longer_fresh)
        return True

    def stop(self) -> None:
        """Stop speech at once: kill the player, drop pending synthesis. Never blocks."""
        self._request += 1
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._synthesizer.cancel_pending()
        process, was_started = self._process, self._process_started
        self._process = None
        self._process_started = self._process_personal = False
        if process is not None:
            self._kill(process)
            if was_started:
                self.speaking_finished.emit()

    def interrupt(self) -> None:
        """Stop speech because the resident did something (InterruptOnInput calls this).

        Speech asked for since control last returned to the event loop is spared: it is the
        answer to this very input. Qt shows one press to the application filter several
        times (its window, then the widget after moving the focus, then each parent that
        ignores it; an unaccepted touch comes back as a mouse press), and the field name that
        the focus change starts saying, or the error a handler says on Enter, must not be
        cut off by the rest of that same delivery.
        """
        if not self._fresh:
            self.stop()

    def repeat(self) -> bool:
        """Say again the last thing said ("Répéter", keypad 0) with the current rate and volume.

        Personal text is repeated only while private listening is on; otherwise the last
        non-personal text is. Returns False when there is nothing to repeat.
        """
        said = self._privacy.to_repeat()
        if said is None:
            return False
        return self.say(
            said.text,
            language=said.language,
            personal=said.personal,
            embedded_language=said.embedded_language,
        )

    def prerender(self, texts: Iterable[str], language: str) -> int:
        """Render static texts (UI strings, catalog) into the cache in the background, at the
        default rate and volume. Call at start and when the catalog changes. Never pass text a
        resident typed. Returns how many were queued."""
        voice = self._synthesizer.voice_for(language)
        if voice is None:
            return 0
        return self._synthesizer.prerender(
            Utterance(text, voice, self.default_rate_wpm, self.default_volume) for text in texts
        )

    @property
    def is_speaking(self) -> bool:
        """True while speech is being rendered or played."""
        return self._process is not None or self._pending is not None

    def current_process(self) -> QProcess | None:
        """The running player process (for tests and diagnostics)."""
        return self._process

    # ------------------------------------------------------------ modes

    @property
    def enabled(self) -> bool:
        """Audio mode. When off, `say()` does nothing."""
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = bool(on)
        if not on:
            self.stop()

    @property
    def private_listening(self) -> bool:
        """Private listening (headphones): only then is personal text spoken (5.1.3.9)."""
        return self._privacy.private_listening

    @private_listening.setter
    def private_listening(self, on: bool) -> None:
        if self._privacy.set_private_listening(on) and (
            self._process_personal or (self._pending is not None and self._pending_personal)
        ):
            self.stop()

    # ------------------------------------------------------------ rate and volume

    @property
    def rate_wpm(self) -> int:
        """Current rate in words per minute."""
        return self._rate_wpm

    @property
    def volume(self) -> float:
        """Current volume, 0.2..1.0."""
        return self._volume

    @property
    def volume_step(self) -> int:
        """Current volume as a step 1..5 ("volume 4 sur 5")."""
        return voices.volume_step_index(self._volume)

    def set_rate(self, rate_wpm: int) -> None:
        """Set the rate (a `voices.RateLevel` or words per minute); applies to the next speech."""
        self._rate_wpm = int(rate_wpm)
        self.settings_changed.emit()

    def set_volume(self, volume: float) -> None:
        """Set the volume (e.g. one of `voices.VOLUME_STEPS`), kept within 0.2..1.0."""
        lowest, highest = min(voices.VOLUME_STEPS), max(voices.VOLUME_STEPS)
        self._volume = min(max(float(volume), lowest), highest)
        self.settings_changed.emit()

    def slower(self) -> int:
        """One rate level slower; returns the new rate."""
        self.set_rate(voices.slower(self._rate_wpm))
        return self._rate_wpm

    def faster(self) -> int:
        """One rate level faster; returns the new rate."""
        self.set_rate(voices.faster(self._rate_wpm))
        return self._rate_wpm

    def louder(self) -> float:
        """One volume step louder; returns the new volume."""
        self.set_volume(voices.louder(self._volume))
        return self._volume

    def quieter(self) -> float:
        """One volume step quieter; returns the new volume."""
        self.set_volume(voices.quieter(self._volume))
        return self._volume

    def reset_to_defaults(self) -> None:
        """Default rate and volume (from the configuration)."""
        self._rate_wpm, self._volume = self.default_rate_wpm, self.default_volume
        self.settings_changed.emit()

    def wipe(self) -> None:
        """End of a resident's session: stop, drop pending synthesis, forget what was said (the
        next resident cannot replay it), private listening off, rate and volume back to the
        defaults (5.1.3.13). Audio mode (`enabled`) is left to the session's owner."""
        self.stop()
        self._privacy.forget()
        self.reset_to_defaults()

    # ------------------------------------------------------------ player

    def player_available(self) -> bool:
        """Whether the player command exists (for `kiosk doctor`)."""
        return self._player.available()

    def close(self) -> None:
        """Stop speech, reap player processes and stop the synthesis worker (at quit)."""
        if self._closed:
            return
        self.stop()
        self._closed = True
        for process in list(self._dying):
            process.waitForFinished(CLOSE_WAIT_MS)
        if self._owns_synthesizer:
            self._synthesizer.close()

    def _speak(self, utterance: Utterance) -> None:
        audio = self._synthesizer.cached(utterance)
        if audio is not None:
            self._play(audio, utterance.personal)
            return
        request = self._request
        future = self._synthesizer.submit(utterance)
        self._pending, self._pending_personal = future, utterance.personal
        future.add_done_callback(lambda done: self._deliver(request, done))

    def _deliver(self, request: int, future: Future[bytes]) -> None:
        """Runs on the worker thread: hand the result to the GUI thread."""
        if self._closed or future.cancelled():
            return
        with contextlib.suppress(RuntimeError):  # the C++ side is gone (application quit)
            self._rendered.emit(request, future)

    def _on_rendered(self, request: int, future: Future[bytes]) -> None:
        if request != self._request or self._closed or future.cancelled():
            return  # stale: stopped or replaced meanwhile
        personal = self._pending_personal
        self._pending, self._pending_personal = None, False
        error = future.exception()
        if error is not None:
            kind = type(error).__name__
            self._warn_once(f"synthesis-{kind}", "speech synthesis failed: %s", error)
            return
        self._play(future.result(), personal)

    def _play(self, audio: bytes, personal: bool) -> None:
        process = QProcess(self)
        process.setStandardOutputFile(QProcess.nullDevice())
        # Bound methods, not lambdas: a lambda holding the process and the Speaker makes a
        # reference cycle that outlives the C++ objects.
        process.started.connect(self._on_started)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process, self._process_started, self._process_personal = process, False, personal
        process.start(self._player.program, self._player.stdin_arguments())
        # Buffered by Qt and written as the pipe drains: the GUI thread does not wait.
        process.write(audio)
        process.closeWriteChannel()

    def _kill(self, process: QProcess) -> None:
        if process.state() == QProcess.ProcessState.NotRunning:
            process.deleteLater()
            return
        self._dying.add(process)
        process.kill()  # SIGKILL: silent now; Qt reaps it asynchronously (finished signal)

    def _on_started(self) -> None:
        process = self.sender()
        if process is self._process:
            self._process_started = True
            self.speaking_started.emit()

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process = self.sender()
        if not isinstance(process, QProcess):
            return
        if process in self._dying:
            self._dying.discard(process)
            process.deleteLater()
            return
        if status == QProcess.ExitStatus.NormalExit and code != 0:
            stderr = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            self._warn_once(
                "player-failed",
                "speech player %r exited with %d: %s",
                self._player.program,
                code,
                stderr.strip()[-300:],  # the last line says why (no sound card...)
            )
        process.deleteLater()
        if process is self._process:
            started = self._process_started
            self._process = None
            self._process_started = self._process_personal = False
            if started:
                self.speaking_finished.emit()

    def _on_error(self, error: QProcess.ProcessError) -> None:
        process = self.sender()
        if not isinstance(process, QProcess):
            return
        if error != QProcess.ProcessError.FailedToStart:
            return  # crashes and kills are followed by `finished`
        self._warn_once(
            "player-missing",
            "speech player %r cannot start; speech stays silent: %s",
            self._player.program,
            process.errorString(),
        )
        self._dying.discard(process)
        if process is self._process:
            self._process = None
            self._process_started = self._process_personal = False
        process.deleteLater()

    def _no_longer_fresh(self) -> None:
        self._fresh = False

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        """Technicians need one line in the journal, not one per sentence."""
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)


class InterruptOnInput(QObject):
    """Application event filter: any press of a mouse button, touch or key stops speech at
    once (EN 301 549 5.1.3.5) through `Speaker.interrupt()`. The event goes on untouched.

    Install with `app.installEventFilter(InterruptOnInput(speaker, parent=app))`.
    """

    _INPUT_EVENTS = frozenset(
        {
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.TouchBegin,
            QEvent.Type.TabletPress,
            QEvent.Type.KeyPress,
        }
    )

    EVENT_TYPES = _INPUT_EVENTS  # for dispatchers that pass only the events asked for

    def __init__(self, speaker: Speaker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speaker = speaker

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stop speech on input; never consume the event."""
        if event.type() in self._INPUT_EVENTS:
            self._speaker.interrupt()
        return False
