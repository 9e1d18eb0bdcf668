"""Speech latency: from `Speaker.say()` (a screen is shown) to the player process started (audio
starting), for cached and uncached text, and from a click to the player stopped; each next to
the floor measured in the same run: QProcess starting the same player command on a WAV file
that is already on disk.

    .venv/bin/python bench/speech.py                  # stand-in player unless a sound card works
    .venv/bin/python bench/speech.py --player "aplay -q" --n 100

Goals (issue 4): cached p95 < 50 ms, uncached p95 < 150 ms for a sentence, interruption < 30 ms.

Without a sound card `aplay` exits at once with an error, so the default player is then a
stand-in that reads the WAV from stdin and sleeps (one process, like aplay): starting it costs
what starting aplay costs (fork + exec), and only a kill ends it early.

Figures:
- floor: QProcess.start(player, [wav file]) -> `started` signal.
- cached: say() of prerendered static text -> `speaking_started` (cache read + start).
- uncached: say() of a new sentence -> `speaking_started` (worker synthesis + queued signal
  + start).
- say() call: time the GUI thread spends inside say() (it must never block).
- click -> stopped: a real mouse press on a widget, InterruptOnInput on the application ->
  the player's `finished` signal (process killed and reaped). "click -> kill sent" is the
  part on the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QProcess, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.qt_speech import InterruptOnInput, Speaker
from accessibility.speech import PlayerCommand

STAND_IN_PLAYER = "sh -c 'cat >/dev/null; exec sleep 30'"
SENTENCES = [
    "Bienvenue à la mairie. Touchez l'écran pour commencer.",
    "Quel est votre nom de famille ?",
    "Choisissez la démarche que vous voulez faire.",
    "Votre demande est enregistrée. Gardez ce ticket.",
    "Appuyez sur Suivant pour continuer.",
    "Vous pouvez revenir en arrière à tout moment.",
    "Indiquez votre date de naissance.",
    "Merci. La mairie vous répondra par courrier.",
]
GOALS_MS = {"cached": 50.0, "uncached": 150.0, "click -> stopped": 30.0}


def sound_card_works() -> bool:
    """True when `aplay -q` can open the default device (it fails at once without one)."""
    if shutil.which("aplay") is None:
        return False
    silence = b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00"
    silence += b"\x44\xac\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
    done = subprocess.run(
        ["aplay", "-q", "-"], input=silence, capture_output=True, timeout=5, check=False
    )
    return done.returncode == 0


def wait_for(app: QApplication, condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    """Run the event loop until `condition()` holds."""
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark step timed out")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def stats(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def floor_once(app: QApplication, command: PlayerCommand, wav: Path) -> float:
    """QProcess starting the player on a WAV already on disk, until `started`."""
    process = QProcess()
    process.setStandardOutputFile(QProcess.nullDevice())
    process.setStandardErrorFile(QProcess.nullDevice())
    started: list[float] = []
    process.started.connect(lambda: started.append(time.perf_counter()))
    begin = time.perf_counter()
    process.start(command.program, command.file_arguments(str(wav)))
    wait_for(app, lambda: bool(started))
    process.kill()
    process.waitForFinished(1000)
    return started[0] - begin


def say_once(app: QApplication, speaker: Speaker, text: str) -> tuple[float, float]:
    """say() -> speaking_started, and the time spent inside say()."""
    started: list[float] = []
    connection = speaker.speaking_started.connect(lambda: started.append(time.perf_counter()))
    begin = time.perf_counter()
    speaker.say(text, language="fr")
    in_call = time.perf_counter() - begin
    wait_for(app, lambda: bool(started))
    speaker.speaking_started.disconnect(connection)
    speaker.stop()
    wait_for(app, lambda: not speaker._dying)  # reaped before the next round
    return started[0] - begin, in_call


def interrupt_once(
    app: QApplication, speaker: Speaker, widget: QWidget, text: str
) -> tuple[float, float]:
    """A click on a widget while speech plays -> kill sent, and -> player finished."""
    speaker.say(text, language="fr")
    wait_for(app, lambda: speaker.current_process() is not None)
    process = speaker.current_process()
    assert process is not None
    wait_for(app, lambda: process.state() == QProcess.ProcessState.Running)
    QTest.qWait(5)  # speech is playing; the resident touches the screen
    finished: list[float] = []
    process.finished.connect(lambda *_: finished.append(time.perf_counter()))
    begin = time.perf_counter()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    killed = time.perf_counter() - begin
    wait_for(app, lambda: bool(finished))
    return killed, finished[0] - begin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--player", help="player command (default: aplay -q, or a stand-in)")
    parser.add_argument("--n", type=int, default=200, help="repetitions per measurement")
    args = parser.parse_args()
    player = args.player or ("aplay -q" if sound_card_works() else STAND_IN_PLAYER)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)

    with tempfile.TemporaryDirectory() as temp:
        cache_dir = Path(temp) / "speech-cache"
        speaker = Speaker(cache_dir=cache_dir, player=player)
        names = [
            "floor",
            "cached",
            "say() call, cached",
            "uncached",
            "say() call, uncached",
            "click -> kill sent",
            "click -> stopped",
        ]
        samples: dict[str, list[float]] = {name: [] for name in names}
        widget = QWidget()
        widget.resize(300, 200)
        widget.show()
        QTest.qWaitForWindowExposed(widget)
        event_filter = InterruptOnInput(speaker, parent=app)
        app.installEventFilter(event_filter)
        try:
            speaker.prerender(SENTENCES, "fr")
            speaker._synthesizer.wait_idle(60)  # type: ignore[attr-defined]
            wav = next(cache_dir.glob("*.wav"))
            command = PlayerCommand.parse(player)
            # Interleaved round by round, so that the noise of a shared machine hits all alike.
            for i in range(args.n):
                sentence = SENTENCES[i % len(SENTENCES)]
                samples["floor"].append(floor_once(app, command, wav))
                to_start, in_call = say_once(app, speaker, sentence)
                samples["cached"].append(to_start)
                samples["say() call, cached"].append(in_call)
                to_start, in_call = say_once(app, speaker, f"Démarche numéro {i}. {sentence}")
                samples["uncached"].append(to_start)
                samples["say() call, uncached"].append(in_call)
                killed, stopped = interrupt_once(app, speaker, widget, sentence)
                samples["click -> kill sent"].append(killed)
                samples["click -> stopped"].append(stopped)
        finally:
            app.removeEventFilter(event_filter)
            widget.close()
            speaker.close()

    floor50, floor95 = stats(samples.pop("floor"))
    print(f"player: {player!r}  repetitions: {args.n}  cores: {os.cpu_count()}")
    header = f"{'measurement':<24}{'p50 ms':>9}{'p95 ms':>9}{'goal p95':>10}"
    print(f"{header}{'p50/floor':>11}{'p95/floor':>11}")
    print(f"{'floor (start on WAV)':<24}{floor50:>9.2f}{floor95:>9.2f}{'':>10}{1:>11.2f}{1:>11.2f}")
    for name, values in samples.items():
        p50, p95 = stats(values)
        goal = GOALS_MS.get(name)
        goal_text = f"{goal:.0f}" if goal else ""
        verdict = "" if goal is None else (" ok" if p95 < goal else " MISSED")
        ratios = f"{p50 / floor50:>11.2f}{p95 / floor95:>11.2f}"
        print(f"{name:<24}{p50:>9.2f}{p95:>9.2f}{goal_text:>10}{ratios}{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
