"""The Qt Speaker: playback through a killable player, interruption, repeat, privacy, settings.

A recording synthesizer stands in for espeak-ng (the real one is in test_speech_real.py and
test_speech_privacy); the player is a stand-in that reads the WAV and then sleeps 30 s, so
only a kill can end it early.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, QProcess, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from accessibility.qt_speech import InterruptOnInput, Speaker
from accessibility.voices import DEFAULT_RATE_WPM, RateLevel
from tests.accessibility.conftest import (
    QUICK_PLAYER,
    RecordingSynthesizer,
    make_wav,
    pid_alive,
)

MakeSpeaker = Callable[..., Speaker]
STOP_TIMEOUT_MS = 1000


class Ended:
    """Watches one player process: records its state when Qt reports it finished."""

    def __init__(self, process: QProcess) -> None:
        self.pid = process.processId()
        self.states: list[QProcess.ProcessState] = []
        process.finished.connect(lambda *_: self.states.append(process.state()))

    @property
    def stopped(self) -> bool:
        return self.states == [QProcess.ProcessState.NotRunning] and not pid_alive(self.pid)


def start_speaking(qtbot: QtBot, speaker: Speaker, text: str = "Bonjour") -> Ended:
    with qtbot.waitSignal(speaker.speaking_started, timeout=STOP_TIMEOUT_MS):
        assert speaker.say(text, language="fr")
    process = speaker.current_process()
    assert process is not None
    assert process.state() == QProcess.ProcessState.Running
    return Ended(process)


@pytest.fixture
def interrupt(qapp: QApplication, make_speaker: MakeSpeaker) -> Iterator[Speaker]:
    """A speaker whose InterruptOnInput filter is installed on the application."""
    speaker = make_speaker()
    event_filter = InterruptOnInput(speaker)
    qapp.installEventFilter(event_filter)
    yield speaker
    qapp.removeEventFilter(event_filter)


class PressCounter(QWidget):
    """A widget that counts the presses it receives (the filter must not swallow them)."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0
        self.resize(200, 100)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.presses += 1
        event.accept()


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# ------------------------------------------------------------------ playing and stopping


def test_say_starts_the_player_and_stop_kills_it(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    ended = start_speaking(qtbot, speaker)
    assert speaker.is_speaking
    with qtbot.waitSignal(speaker.speaking_finished, timeout=STOP_TIMEOUT_MS):
        speaker.stop()  # emitted at once, without waiting for the process
    assert not speaker.is_speaking
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)


def test_the_whole_wav_reaches_the_player_through_its_stdin(
    qtbot: QtBot, make_speaker: MakeSpeaker, tmp_path: Path
) -> None:
    audio = make_wav(3.0)  # 130 kB: more than a pipe buffer
    out = tmp_path / "played.wav"
    speaker = make_speaker(
        player=f"sh -c 'exec cat > {out}'", synthesizer=RecordingSynthesizer(audio)
    )
    with qtbot.waitSignal(speaker.speaking_finished, timeout=5000):
        speaker.say("Bonjour", language="fr")
    assert out.read_bytes() == audio
    assert not speaker.is_speaking


def test_new_speech_replaces_old(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    first = start_speaking(qtbot, speaker, "Écran 1")
    second = start_speaking(qtbot, speaker, "Écran 2")
    qtbot.waitUntil(lambda: first.stopped, timeout=STOP_TIMEOUT_MS)
    assert second.states == []
    assert pid_alive(second.pid)


def test_a_late_rendering_of_replaced_text_is_never_played(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    synth = RecordingSynthesizer(resolve=False)
    speaker = make_speaker(synthesizer=synth)
    speaker.say("Écran 1", language="fr")
    speaker.say("Écran 2", language="fr")
    synth.futures[0].set_result(make_wav(0.1))  # the old text arrives after the new was asked
    qtbot.wait(50)
    assert speaker.current_process() is None
    with qtbot.waitSignal(speaker.speaking_started, timeout=STOP_TIMEOUT_MS):
        synth.futures[1].set_result(make_wav(0.1))


def test_cached_text_plays_without_synthesis(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    speaker.prerender(["Suivant"], "fr")
    synth.cache[synth.prerendered[0]] = make_wav(0.1)
    with qtbot.waitSignal(speaker.speaking_started, timeout=STOP_TIMEOUT_MS):
        speaker.say("Suivant", language="fr")
    assert synth.submitted == []


def test_each_language_is_spoken_with_its_voice(make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    for language in ("fr_FR", "en", "ar"):
        speaker.say("1 2 3", language=language)
    assert [u.voice for u in synth.submitted] == ["roa/fr", "gmw/en", "sem/ar"]


def test_a_language_without_voice_is_silent_with_one_warning(
    make_speaker: MakeSpeaker, caplog: pytest.LogCaptureFixture
) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    with caplog.at_level(logging.WARNING):
        assert not speaker.say("Guten Tag", language="de")
        assert not speaker.say("Guten Tag", language="de")
    assert synth.submitted == []
    assert len([r for r in caplog.records if "no speech voice" in r.message]) == 1


# ------------------------------------------------------------------ interruption by input


def test_a_click_stops_speech_and_still_reaches_its_widget(
    qtbot: QtBot, interrupt: Speaker
) -> None:
    widget = shown(qtbot, PressCounter())
    ended = start_speaking(qtbot, interrupt)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert widget.presses == 1
    assert not interrupt.is_speaking


def test_a_mouse_event_sent_by_code_stops_speech(
    qapp: QApplication, qtbot: QtBot, interrupt: Speaker
) -> None:
    widget = shown(qtbot, PressCounter())
    for _ in range(2):  # each hand-made event counts, even with the same timestamp
        ended = start_speaking(qtbot, interrupt)
        press = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(10, 10),
            QPointF(10, 10),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        qapp.sendEvent(widget, press)
        qtbot.waitUntil(lambda ended=ended: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert widget.presses == 2


def test_a_key_press_stops_speech(qtbot: QtBot, interrupt: Speaker) -> None:
    field = shown(qtbot, QLineEdit())
    ended = start_speaking(qtbot, interrupt)
    qtbot.keyClick(field, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert field.text() == "a"  # the key went on to the field


class NamedField(QLineEdit):
    """Says its name when it gets the focus, like the screens' focus narration."""

    def __init__(self, name: str, speaker: Speaker) -> None:
        super().__init__()
        self.name, self.speaker = name, speaker

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self.speaker.say(self.name, language="fr")


def test_what_a_click_starts_saying_is_not_cut_by_that_click(
    qtbot: QtBot, interrupt: Speaker
) -> None:
    synth: RecordingSynthesizer = interrupt._synthesizer  # type: ignore[assignment]
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = NamedField("Prénom", interrupt), NamedField("Nom", interrupt)
    layout.addWidget(first)
    layout.addWidget(second)
    shown(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(first.hasFocus, timeout=STOP_TIMEOUT_MS)
    ended = start_speaking(qtbot, interrupt, "Une longue explication")
    qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert second.hasFocus()
    assert synth.texts[-1] == "Nom"
    qtbot.waitUntil(lambda: interrupt.current_process() is not None, timeout=STOP_TIMEOUT_MS)
    narration = interrupt.current_process()
    assert narration is not None
    qtbot.wait(50)
    assert narration.state() == QProcess.ProcessState.Running  # "Nom" goes on


# ------------------------------------------------------------------ repeat and privacy


def test_repeat_says_the_last_text_again(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    assert not speaker.repeat()  # nothing said yet
    speaker.say("Quel est votre nom ?", language="fr")
    speaker.stop()
    speaker.slower()
    assert speaker.repeat()
    assert synth.texts == ["Quel est votre nom ?"] * 2
    assert synth.submitted[-1].rate_wpm == RateLevel.SLOWER  # repeated at the new rate


def test_personal_text_never_reaches_the_synthesizer_without_private_listening(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    ended = start_speaking(qtbot, speaker, "Votre adresse")
    assert not speaker.say("12 rue des Lilas", language="fr", personal=True)
    assert synth.texts == ["Votre adresse"]
    assert ended.states == []  # the label goes on being spoken
    speaker.stop()
    speaker.repeat()
    assert synth.texts == ["Votre adresse"] * 2


def test_private_listening_speaks_and_repeats_personal_text(make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    speaker.private_listening = True
    speaker.say("Votre adresse", language="fr")
    speaker.say("12 rue des Lilas", language="fr", personal=True)
    assert synth.submitted[-1].personal
    speaker.repeat()
    assert synth.texts[-1] == "12 rue des Lilas"
    speaker.private_listening = False  # headphones unplugged: personal text is forgotten
    speaker.repeat()
    assert synth.texts[-1] == "Votre adresse"


def test_leaving_private_listening_stops_personal_speech(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker()
    speaker.private_listening = True
    with qtbot.waitSignal(speaker.speaking_started, timeout=STOP_TIMEOUT_MS):
        speaker.say("12 rue des Lilas", language="fr", personal=True)
    process = speaker.current_process()
    assert process is not None
    ended = Ended(process)
    speaker.private_listening = False
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)


def test_audio_mode_off_says_nothing(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth)
    ended = start_speaking(qtbot, speaker)
    speaker.enabled = False
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert not speaker.say("Bonjour", language="fr")
    assert synth.texts == ["Bonjour"]


# ------------------------------------------------------------------ settings and wipe


def test_rate_and_volume_steps_reach_the_synthesizer(make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth, default_volume=0.8)
    assert speaker.louder() == 1.0
    assert speaker.louder() == 1.0
    assert speaker.faster() == RateLevel.NORMAL
    speaker.say("Bonjour", language="fr")
    assert (synth.submitted[-1].rate_wpm, synth.submitted[-1].volume) == (165, 1.0)
    for _ in range(6):
        speaker.quieter()
    assert speaker.volume == 0.2
    assert speaker.volume_step == 1
    speaker.set_volume(0.0)
    assert speaker.volume == 0.2  # never silent by accident


def test_wipe_forgets_everything_of_the_last_resident(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth, default_volume=0.6)
    speaker.private_listening = True
    speaker.louder()
    speaker.slower()
    ended = start_speaking(qtbot, speaker, "Votre numéro de téléphone")
    speaker.say("06 12 34 56 78", language="fr", personal=True)
    speaker.wipe()
    qtbot.waitUntil(lambda: ended.stopped, timeout=STOP_TIMEOUT_MS)
    assert not speaker.is_speaking
    assert (speaker.rate_wpm, speaker.volume) == (DEFAULT_RATE_WPM, 0.6)
    assert not speaker.private_listening
    submitted = len(synth.submitted)
    assert not speaker.repeat()  # the next resident cannot replay anything
    assert len(synth.submitted) == submitted


def test_prerender_uses_the_default_settings(make_speaker: MakeSpeaker) -> None:
    synth = RecordingSynthesizer()
    speaker = make_speaker(synthesizer=synth, default_rate_wpm=140, default_volume=0.6)
    speaker.louder()
    assert speaker.prerender(["Suivant", "Précédent"], "en") == 2
    assert {(u.voice, u.rate_wpm, u.volume, u.personal) for u in synth.prerendered} == {
        ("gmw/en", 140, 0.6, False)
    }


# ------------------------------------------------------------------ player problems


def test_a_missing_player_is_reported_once_and_speech_goes_on_silently(
    qtbot: QtBot, make_speaker: MakeSpeaker, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = make_speaker(player="/nonexistent/kiosk-player -q")
    assert not speaker.player_available()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            assert speaker.say("Bonjour", language="fr")
            assert speaker.is_speaking
            qtbot.waitUntil(lambda: not speaker.is_speaking, timeout=STOP_TIMEOUT_MS)
    assert len([r for r in caplog.records if "cannot start" in r.message]) == 1


def test_a_failing_player_is_reported_once(
    qtbot: QtBot, make_speaker: MakeSpeaker, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = make_speaker(player="sh -c 'cat >/dev/null; echo no sound card >&2; exit 3'")
    assert speaker.player_available()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            with qtbot.waitSignal(speaker.speaking_finished, timeout=STOP_TIMEOUT_MS):
                speaker.say("Bonjour", language="fr")
    failures = [r.getMessage() for r in caplog.records if "exited with 3" in r.getMessage()]
    assert len(failures) == 1
    assert "no sound card" in failures[0]


def test_close_reaps_running_players(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    ended = start_speaking(qtbot, speaker)
    speaker.close()  # no "QProcess: Destroyed while process is still running" warning
    assert not pid_alive(ended.pid)
    assert not speaker.say("Bonjour", language="fr")


def test_quick_player_ends_by_itself(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker(player=QUICK_PLAYER)
    with qtbot.waitSignals([speaker.speaking_started, speaker.speaking_finished], timeout=2000):
        speaker.say("Bonjour", language="fr")
    assert not speaker.is_speaking


@pytest.mark.speech
def test_with_real_synthesis_personal_text_never_reaches_the_cache_dir(
    qtbot: QtBot, make_speaker: MakeSpeaker, tmp_path: Path
) -> None:
    cache_dir, out = tmp_path / "speech-cache", tmp_path / "played.wav"
    speaker = make_speaker(cache_dir=cache_dir, player=f"sh -c 'exec cat > {out}'")
    speaker.private_listening = True
    with qtbot.waitSignal(speaker.speaking_finished, timeout=5000):
        speaker.say("Votre nom", language="fr")
    public_audio = out.read_bytes()
    secret = "Martine Dupont"
    with qtbot.waitSignal(speaker.speaking_finished, timeout=5000):
        speaker.say(secret, language="fr", personal=True)
    personal_audio = out.read_bytes()
    assert personal_audio[:4] == b"RIFF"
    assert personal_audio != public_audio
    speaker.close()  # the worker has finished writing
    files = [path.read_bytes() for path in cache_dir.rglob("*") if path.is_file()]
    # Nothing said on demand is written: neither the personal text nor the public label
    # (only prerender() fills the cache, tested in test_speech_synthesizer.py).
    assert files == []
