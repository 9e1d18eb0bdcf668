"""The command line of the audio player that plays a WAV given on its standard input.

The WAV is always piped to the player's stdin (argument "-"): personal audio then never needs
a file, and static audio takes the same path. `aplay`, `pw-play` and `paplay` all read "-" as
stdin. The player must be ONE process (no shell wrapper without `exec`): stopping speech kills
that process, and a child it spawned would keep talking.
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass

DEFAULT_PLAYER = "aplay -q"
STDIN_ARGUMENT = "-"
KNOWN_PLAYERS = ("aplay -q", "pw-play", "paplay")


@dataclass(frozen=True)
class PlayerCommand:
    """A parsed player command: program and arguments, to which "-" (stdin) is appended."""

    program: str
    arguments: tuple[str, ...] = ()

    @classmethod
    def parse(cls, command: str) -> PlayerCommand:
        """Split a command line like the config's `speech.player` ("aplay -q")."""
        words = shlex.split(command)
        if not words:
            raise ValueError("the player command is empty")
        return cls(words[0], tuple(words[1:]))

    def stdin_arguments(self) -> list[str]:
        """Arguments that make the player read the WAV from its standard input."""
        return [*self.arguments, STDIN_ARGUMENT]

    def file_arguments(self, path: str) -> list[str]:
        """Arguments that make the player read a WAV file (the bench's floor)."""
        return [*self.arguments, path]

    def available(self) -> bool:
        """True when the program exists and is executable (for `kiosk doctor`)."""
        return shutil.which(self.program) is not None


def player_available(command: str = DEFAULT_PLAYER) -> bool:
    """For `kiosk doctor`: whether the configured player command can be started."""
    try:
        return PlayerCommand.parse(command).available()
    except ValueError:
        return False
