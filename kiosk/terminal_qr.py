"""A QR code drawn with characters on a text terminal, for ``kiosk enroll``: the console
(or a technician's phone) scans the terminal's id and fingerprint from the screen instead
of copying them by hand. Never the secret itself.

Each character is two modules stacked (the half blocks ▀ ▄ █), so the symbol stays square
on a terminal whose cells are twice as tall as wide. Light modules are drawn, white on
black set explicitly: a scanner needs dark modules on light, whatever the terminal's own
colours, and the four-module light margin around the symbol.
"""

from __future__ import annotations

import qrcode

QUIET_ZONE_MODULES = 4
_COLOURS = "\x1b[38;5;255m\x1b[48;5;232m"  # white characters on black
_RESET = "\x1b[0m"
# (top module dark, bottom module dark) -> the character drawing the light ones.
_CELLS = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}


def qr_modules(text: str) -> list[list[bool]]:
    """The symbol for ``text`` with its quiet zone (True is dark), error correction M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                         border=QUIET_ZONE_MODULES)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def terminal_qr(text: str) -> str:
    """The QR code of ``text`` as lines of half blocks with their colours, one string."""
    rows = qr_modules(text)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))  # a light row under the last one
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        cells = "".join(_CELLS[pair] for pair in zip(top, bottom, strict=True))
        lines.append(f"{_COLOURS}{cells}{_RESET}")
    return "\n".join(lines)
