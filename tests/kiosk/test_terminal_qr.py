"""The pairing QR code drawn with characters (`kiosk enroll` on a screen)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kiosk.terminal_qr import QUIET_ZONE_MODULES, qr_modules, terminal_qr

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The light modules each character draws: top, bottom.
LIGHT = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}


def read_back(drawn: str) -> list[list[bool]]:
    """The modules (True is dark) the characters show."""
    rows: list[list[bool]] = []
    for line in drawn.splitlines():
        cells = [LIGHT[char] for char in ANSI.sub("", line)]
        rows.append([not top for top, _bottom in cells])
        rows.append([not bottom for _top, bottom in cells])
    return rows


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=80))
def test_the_drawing_shows_exactly_the_symbol_and_its_quiet_zone(text):
    modules = qr_modules(text)
    shown = read_back(terminal_qr(text))
    assert shown[:len(modules)] == modules
    assert not any(any(row) for row in shown[len(modules):])  # a light row at most


def test_light_on_dark_is_set_explicitly_and_the_margin_is_light():
    drawn = terminal_qr("admiville-demo-01 sha256:0123456789ab")
    lines = drawn.splitlines()
    assert all(line.startswith("\x1b[38;5;255m\x1b[48;5;232m") for line in lines)
    assert all(line.endswith("\x1b[0m") for line in lines)
    margin = QUIET_ZONE_MODULES // 2
    assert all(set(ANSI.sub("", line)) == {"█"} for line in lines[:margin])
