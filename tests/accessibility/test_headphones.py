"""Headphone detection: reading ALSA's recorded output, and the watcher end to end with
stand-ins for amixer and alsactl (the machine running the tests has no sound card)."""

from __future__ import annotations

import os
import queue
import stat
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from accessibility.headphones import (
    AlsaHeadphoneJack,
    FakeHeadphoneJack,
    parse_cards,
    parse_controls,
    parse_event,
)
from accessibility.qt_headphones import HeadphoneWatcher

RECORDED = Path(__file__).parent / "alsa"
CARDS = """\
 0 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf7f10000 irq 33
 1 [NVidia         ]: HDA-Intel - HDA NVidia
                      HDA NVidia at 0xf7080000 irq 17
"""


def recorded(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


def test_the_headphone_jack_of_an_hda_card_is_found_among_its_controls():
    controls = parse_controls(0, recorded("contents-hda.txt"))
    assert len(controls) == 10
    [jack] = [c for c in controls if c.is_headphone_jack]
    assert (jack.numid, jack.name, jack.on) == (21, "Headphone Jack", False)
    # Microphones, phantom jacks and mixer switches are not headphone jacks.
    assert not any(c.is_headphone_jack for c in controls if c.numid != 21)
    indexed = [c for c in controls if c.numid == 20]
    assert indexed[0].name == "Internal Mic Phantom Jack"
    automute = next(c for c in controls if c.name == "Auto-Mute Mode")
    assert automute.items == ("Disabled", "Enabled")
    assert automute.values == ("1",)


def test_cget_says_whether_headphones_are_in():
    [unplugged] = parse_controls(0, recorded("cget-unplugged.txt"))
    [plugged] = parse_controls(0, recorded("cget-plugged.txt"))
    assert (unplugged.is_headphone_jack, unplugged.on) == (True, False)
    assert (plugged.is_headphone_jack, plugged.on) == (True, True)


def test_each_line_of_alsactl_monitor_names_the_card_and_the_control():
    events = [parse_event(line) for line in recorded("monitor.txt").splitlines()]
    found = [(e.card, e.numid, e.iface, e.name, e.changes) for e in events if e is not None]
    assert found == [
        (0, 60, 3, "ELD", {"VALUE", "INFO"}),
        (0, 55, 0, "HDMI/DP,pcm=7 Jack", {"VALUE"}),
        (0, 12, 0, "Headphone Jack", {"VALUE"}),
        (0, 13, 0, "Headset Mic Jack", {"VALUE"}),
        (0, 2, 2, "Master Playback Volume", {"VALUE"}),
    ]


def test_cards_are_read_from_proc_asound():
    assert parse_cards(CARDS) == [0, 1]
    assert parse_cards("--- no soundcards ---\n") == []


@given(st.text())
def test_any_text_is_read_without_crashing(text):
    parse_controls(0, text)
    parse_cards(text)
    for line in text.splitlines():
        parse_event(line)


NAMES = st.text(st.characters(blacklist_characters="\n\r'", blacklist_categories=("Cs",)),
                min_size=1, max_size=44)


@given(card=st.integers(0, 31), numid=st.integers(1, 9999), name=NAMES,
       changes=st.sets(st.sampled_from(["VALUE", "INFO", "ADD", "TLV"]), min_size=1))
def test_an_event_line_gives_back_what_alsactl_printed(card, numid, name, changes):
    order = [c for c in ("VALUE", "INFO", "ADD", "TLV") if c in changes]
    line = f"node hw:{card}, #{numid} (0,0,0,{name},0) {' '.join(order)}"
    event = parse_event(line)
    assert event is not None
    assert (event.card, event.numid, event.name, event.changes) == (card, numid, name, changes)


@given(numid=st.integers(1, 9999), name=NAMES, on=st.booleans())
def test_a_control_gives_back_what_amixer_printed(numid, name, on):
    text = (f"numid={numid},iface=CARD,name='{name}'\n"
            f"  ; type=BOOLEAN,access=r-------,values=1\n"
            f"  : values={'on' if on else 'off'}\n")
    [control] = parse_controls(3, text)
    assert (control.card, control.numid, control.name, control.on) == (3, numid, name, on)


def test_the_fake_jack_calls_back_on_each_change_only():
    jack = FakeHeadphoneJack()
    seen: list[bool] = []
    assert jack.start(seen.append)
    jack.plug()
    jack.plug()
    jack.unplug()
    assert seen == [True, False]
    assert not FakeHeadphoneJack(detectable=False).start(seen.append)


# ---------------------------------------------------------------- the watcher, end to end


def script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + textwrap.dedent(body), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@dataclass
class StandIns:
    """amixer answers from a state file; alsactl monitor prints what is written to a FIFO."""

    jack: AlsaHeadphoneJack
    state: Path
    events: Path

    def event(self, monitor: TextIO, plugged: bool) -> None:
        self.state.write_text("on" if plugged else "off", encoding="utf-8")
        monitor.write("node hw:0, #2 (2,0,0,Master Playback Volume,0) VALUE\n")  # not a jack
        monitor.write("node hw:0, #12 (0,0,0,Headphone Jack,0) VALUE\n")
        monitor.flush()


@pytest.fixture
def alsa(tmp_path: Path) -> Iterator[StandIns]:
    (tmp_path / "cards").write_text(CARDS, encoding="utf-8")
    state = tmp_path / "state"
    state.write_text("off", encoding="utf-8")
    events = tmp_path / "events"
    os.mkfifo(events)
    amixer = script(tmp_path / "amixer", f"""\
        case "$3" in
          contents) [ "$2" = 0 ] && cat {RECORDED / 'cget-unplugged.txt'} ;;
          cget) cat {RECORDED}/cget-$(cat {state} | sed 's/on/plugged/;s/off/unplugged/').txt ;;
        esac
        """)
    alsactl = script(tmp_path / "alsactl", f"exec cat {events}\n")
    jack = AlsaHeadphoneJack(cards_file=tmp_path / "cards", amixer=amixer, alsactl=alsactl)
    yield StandIns(jack, state, events)
    jack.stop()


def test_the_alsa_watcher_follows_plugging_and_unplugging(alsa: StandIns) -> None:
    assert [c.numid for c in alsa.jack.jacks()] == [12]
    changes: queue.Queue[bool] = queue.Queue()
    assert alsa.jack.start(changes.put)
    with alsa.events.open("w", encoding="utf-8") as monitor:
        assert not alsa.jack.plugged
        alsa.event(monitor, plugged=True)
        assert changes.get(timeout=30) is True
        assert alsa.jack.plugged
        alsa.event(monitor, plugged=False)
        assert changes.get(timeout=30) is False
    alsa.jack.stop()
    assert changes.empty()
    assert not alsa.jack.plugged


def test_the_qt_watcher_signals_in_the_gui_thread(alsa: StandIns, qtbot: QtBot) -> None:
    watcher = HeadphoneWatcher(alsa.jack)
    threads: list[bool] = []
    watcher.changed.connect(
        lambda plugged: threads.append(QThread.currentThread() is watcher.thread()))
    assert watcher.start()
    with alsa.events.open("w", encoding="utf-8") as monitor:
        with qtbot.waitSignal(watcher.changed, timeout=30_000) as plugged:
            alsa.event(monitor, plugged=True)
        assert plugged.args == [True]
        assert watcher.plugged
    watcher.stop()
    assert threads == [True]
    assert not watcher.detecting


def test_without_a_jack_control_nothing_is_watched(tmp_path: Path) -> None:
    jack = AlsaHeadphoneJack(cards_file=tmp_path / "no-such-file")
    assert jack.jacks() == []
    assert not jack.start(lambda plugged: None)
    jack.stop()
