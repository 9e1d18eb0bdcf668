"""Headphones in the terminal's jack: plugged in or not, and told when that changes.

Qt-free. EN 301 549 5.1.3.2 and 5.1.3.9: plugging headphones in starts audio mode with
private listening (what a resident typed may then be read back); pulling them out stops
any personal text at once. The kiosk depends on ``HeadphoneJack`` only; tests use
``FakeHeadphoneJack``; a terminal uses ``AlsaHeadphoneJack``.

Why ALSA, through alsa-utils: the image plays speech straight to ALSA (``aplay``, no
PipeWire or PulseAudio), and alsa-utils is already installed for it. The kernel's sound
drivers expose each jack as a read-only control of the card (``iface=CARD``), such as
``'Headphone Jack'`` on HD-audio codecs, which is ``on`` while a plug is in; with
HD-audio's "Auto-Mute Mode" the codec itself mutes the loudspeaker then. Changes are
events on the card's control device: ``alsactl monitor`` prints one line per event
(``node hw:0, #18 (0,0,0,Headphone Jack,0) VALUE``), and ``amixer -c 0 cget numid=18``
reads the new value. A USB headset is a sound card of its own, not a jack: it is not
seen here.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

_log = logging.getLogger(__name__)

CARDS_FILE = Path("/proc/asound/cards")
COMMAND_TIMEOUT_S = 5.0
CARD_INTERFACE = 0  # SND_CTL_ELEM_IFACE_CARD: where drivers put their jack controls

OnChange = Callable[[bool], None]


class HeadphoneJack(Protocol):
    """Whether headphones are plugged in, and a call whenever that changes."""

    @property
    def plugged(self) -> bool: ...

    def start(self, on_change: OnChange) -> bool:
        """Watch the jack, calling ``on_change(plugged)`` (from any thread) on each change.

        False when this terminal cannot tell (no jack control): nothing is watched then.
        """
        ...

    def stop(self) -> None: ...


class FakeHeadphoneJack:
    """A jack that tests (and demonstrations) plug and unplug by hand."""

    def __init__(self, *, detectable: bool = True, plugged: bool = False) -> None:
        self.detectable = detectable
        self._plugged = plugged
        self._on_change: OnChange | None = None

    @property
    def plugged(self) -> bool:
        return self._plugged

    def start(self, on_change: OnChange) -> bool:
        if self.detectable:
            self._on_change = on_change
        return self.detectable

    def stop(self) -> None:
        self._on_change = None

    def plug(self, plugged: bool = True) -> None:
        changed = plugged != self._plugged
        self._plugged = plugged
        if changed and self._on_change is not None:
            self._on_change(plugged)

    def unplug(self) -> None:
        self.plug(False)


# ---------------------------------------------------------------- ALSA: what amixer prints


@dataclass(frozen=True)
class Control:
    """One control of a sound card, as ``amixer contents`` / ``amixer cget`` print it."""

    card: int
    numid: int
    iface: str  # CARD, MIXER, PCM...
    name: str
    values: tuple[str, ...] = ()  # "on"/"off" for a switch; item numbers for an enumeration
    items: tuple[str, ...] = ()  # the names of an enumeration's items

    @property
    def is_headphone_jack(self) -> bool:
        """A jack a headphone plug goes into (a headset's microphone jack is not one)."""
        words = self.name.split()
        return (self.iface == "CARD" and words[-1:] == ["Jack"] and "Mic" not in words
                and any(word in ("Headphone", "Headphones", "Headset") for word in words))

    @property
    def on(self) -> bool:
        return bool(self.values) and self.values[0] == "on"


_HEADER = re.compile(r"numid=(\d+),iface=(\w+),name='(.*)'(?:,index=\d+)?$")
_ITEM = re.compile(r";\s*Item #\d+ '(.*)'$")


def parse_controls(card: int, text: str) -> list[Control]:
    """The controls in ``amixer -c CARD contents`` (or ``cget``) output; unknown lines are
    skipped, so a newer amixer that adds lines is still read."""
    found: list[Control] = []
    for raw in text.split("\n"):  # amixer ends lines with \n only
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            numid, iface, name = header.groups()
            found.append(Control(card, int(numid), iface, name))
        elif found and line.startswith(": values="):
            values = tuple(line.removeprefix(": values=").split(","))
            found[-1] = replace(found[-1], values=values)
        elif found and (item := _ITEM.match(line)):
            found[-1] = replace(found[-1], items=(*found[-1].items, item.group(1)))
    return found


def parse_cards(text: str) -> list[int]:
    """The card numbers in ``/proc/asound/cards`` (`` 0 [PCH   ]: HDA-Intel - ...``)."""
    return [int(m.group(1)) for m in re.finditer(r"^\s*(\d+) \[", text, re.MULTILINE)]


# ---------------------------------------------------------------- ALSA: what alsactl prints


@dataclass(frozen=True)
class ControlEvent:
    """One line of ``alsactl monitor``: which control of which card changed, and how."""

    card: int
    numid: int
    iface: int
    name: str
    changes: frozenset[str]  # VALUE, INFO, ADD, TLV, REMOVE


# The name may hold commas ("HDMI/DP,pcm=3 Jack"): it is everything between the third
# comma and the last one inside the brackets.
_EVENT = re.compile(
    r"^node hw:(\d+), #(\d+) \((\d+),\d+,\d+,(.*),\d+\)((?: [A-Z]+)*)$"
)


def parse_event(line: str) -> ControlEvent | None:
    """The event on one line of ``alsactl monitor`` (alsa-utils 1.2), None for any other."""
    found = _EVENT.match(line.rstrip("\n"))
    if found is None:
        return None
    card, numid, iface, name, changes = found.groups()
    return ControlEvent(int(card), int(numid), int(iface), name, frozenset(changes.split()))


# ---------------------------------------------------------------- ALSA: the watcher


class AlsaHeadphoneJack:
    """The headphone jacks of every ALSA card, watched through ``alsactl monitor``.

    ``start`` reads the jacks once (``amixer -c N contents`` per card), then runs
    ``alsactl monitor`` (line-buffered through ``stdbuf``) and a thread that reads its
    lines; each change of a headphone jack is read back with ``amixer cget`` and, when
    the answer to "is any headphone plugged in?" changes, ``on_change`` is called from
    that thread.
    """

    def __init__(self, *, cards_file: Path = CARDS_FILE, amixer: str = "amixer",
                 alsactl: str = "alsactl") -> None:
        self._cards_file = cards_file
        self._amixer = amixer
        self._alsactl = alsactl
        self._states: dict[tuple[int, int], bool] = {}
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    @property
    def plugged(self) -> bool:
        with self._lock:
            return any(self._states.values())

    def cards(self) -> list[int]:
        try:
            return parse_cards(self._cards_file.read_text(encoding="utf-8"))
        except OSError:
            return []  # no ALSA at all (a container, a machine without sound)

    def controls(self, card: int, *selector: str) -> list[Control]:
        """``amixer -c CARD contents`` (or ``cget SELECTOR``), parsed; [] when it fails."""
        command = [self._amixer, "-c", str(card), *(("cget", *selector) if selector
                                                    else ("contents",))]
        try:
            done = subprocess.run(  # noqa: S603 - alsa-utils' amixer, no shell
                command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            _log.warning("%s cannot run: %s", self._amixer, error)
            return []
        return parse_controls(card, done.stdout) if done.returncode == 0 else []

    def jacks(self) -> list[Control]:
        """Every headphone jack of every card, with its current value."""
        return [c for card in self.cards() for c in self.controls(card) if c.is_headphone_jack]

    def start(self, on_change: OnChange) -> bool:
        jacks = self.jacks()
        if not jacks:
            _log.info("no headphone jack control: headphones cannot be detected")
            return False
        with self._lock:
            self._states = {(jack.card, jack.numid): jack.on for jack in jacks}
        stdbuf = shutil.which("stdbuf")  # alsactl's stdout is a pipe: line by line, please
        command = [*([stdbuf, "-oL"] if stdbuf else []), self._alsactl, "monitor"]
        try:
            self._process = subprocess.Popen(  # noqa: S603 - alsa-utils' alsactl, no shell
                command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )
        except OSError as error:
            _log.warning("%s monitor cannot run: %s", self._alsactl, error)
            return False
        self._thread = threading.Thread(
            target=self._follow, args=(self._process.stdout, on_change),
            name="headphone-jack", daemon=True,
        )
        self._thread.start()
        _log.info("watching %d headphone jack(s)", len(jacks))
        return True

    def _follow(self, lines: Iterable[str], on_change: OnChange) -> None:
        for line in lines:
            event = parse_event(line)
            if event is None or "VALUE" not in event.changes:
                continue
            key = (event.card, event.numid)
            with self._lock:
                if key not in self._states:
                    continue
            read = self.controls(event.card, f"numid={event.numid}")
            if not read:
                continue
            with self._lock:
                before = any(self._states.values())
                self._states[key] = read[0].on
                after = any(self._states.values())
            if after != before:
                _log.info("headphones %s", "plugged in" if after else "unplugged")
                on_change(after)
        _log.info("alsactl monitor ended: headphones are no longer watched")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=COMMAND_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=COMMAND_TIMEOUT_S)  # the pipe has ended: so has the thread
        if process is not None and process.stdout is not None:
            process.stdout.close()
