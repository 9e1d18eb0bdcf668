"""The receiver's terminals file: one secret per terminal id, as a fleet needs.

A text file, one terminal per line: its id, a space, its secret in base64 (as
``kiosk enroll terminal-secret`` writes it). Blank lines and lines starting with ``#``
are ignored. ``kiosk-receiver terminal add/list/remove`` edits it; ``serve --terminals``
reads it, and reads it again whenever it changes on disk, so a terminal added while
the receiver runs is accepted at once. A terminal that is not in the file is refused
with ``unknown_terminal``.
"""

from __future__ import annotations

import base64
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from kiosk.connectors.signing import decode_secret, valid_terminal_id

_log = logging.getLogger("kiosk.receiver")


class TerminalsFileError(ValueError):
    """The terminals file cannot be used; the message names the line and the problem."""


def parse_terminals(text: str) -> dict[str, bytes]:
    """The terminals of a file's text; ``TerminalsFileError`` for any malformed line."""
    terminals: dict[str, bytes] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split()
        if len(parts) != 2:
            raise TerminalsFileError(f"line {number}: expected 'TERMINAL-ID SECRET'")
        terminal_id, encoded = parts
        if not valid_terminal_id(terminal_id):
            raise TerminalsFileError(f"line {number}: invalid terminal id")
        if terminal_id in terminals:
            raise TerminalsFileError(f"line {number}: terminal {terminal_id} appears twice")
        try:
            terminals[terminal_id] = decode_secret(encoded)
        except ValueError as problem:
            raise TerminalsFileError(f"line {number}: {problem}") from None
    return terminals


def format_terminals(terminals: Mapping[str, bytes]) -> str:
    """The text of a terminals file holding ``terminals`` (sorted by id)."""
    lines = ["# kiosk-receiver terminals: TERMINAL-ID SECRET(base64); see docs/back-office.md"]
    lines += [
        f"{terminal_id} {base64.b64encode(secret).decode('ascii')}"
        for terminal_id, secret in sorted(terminals.items())
    ]
    return "\n".join(lines) + "\n"


def load_terminals(path: Path) -> dict[str, bytes]:
    """The terminals of the file at ``path`` (``TerminalsFileError`` if unreadable)."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as problem:
        raise TerminalsFileError(f"cannot read {path}: {problem}") from None
    return parse_terminals(text)


def save_terminals(path: Path, terminals: Mapping[str, bytes]) -> None:
    """Replace the file atomically, mode 0600 from its first byte."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(format_terminals(terminals))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class TerminalRegistry:
    """The secret of each terminal, from the file, re-read when it changes on disk.

    A file that became unreadable or malformed is logged and the last good terminals
    are kept.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._terminals = load_terminals(path)
        self._stamp = self._stat()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size, stat.st_ino

    def __len__(self) -> int:
        return len(self._terminals)

    def secret_for(self, terminal_id: str) -> bytes | None:
        """The terminal's secret, or None for a terminal that is not enrolled."""
        stamp = self._stat()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._terminals = load_terminals(self.path)
            except TerminalsFileError as problem:
                _log.warning("terminals file not reloaded, keeping the last good one: %s", problem)
        return self._terminals.get(terminal_id)
