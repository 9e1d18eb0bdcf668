"""The player command line and what an utterance shows of itself in logs."""

from __future__ import annotations

import pytest

from accessibility.speech.player import PlayerCommand, player_available
from accessibility.speech.utterance import Utterance


def test_the_wav_goes_to_the_players_stdin_or_as_a_file():
    player = PlayerCommand.parse("pw-play --volume 0.8")
    assert player == PlayerCommand("pw-play", ("--volume", "0.8"))
    assert player.stdin_arguments() == ["--volume", "0.8", "-"]
    assert player.file_arguments("/tmp/a.wav") == ["--volume", "0.8", "/tmp/a.wav"]


@pytest.mark.parametrize("command", ["", "   "])
def test_an_empty_player_command_is_refused(command):
    with pytest.raises(ValueError, match="empty"):
        PlayerCommand.parse(command)
    assert player_available(command) is False


def test_a_player_is_available_only_when_its_program_is_on_the_path():
    assert player_available("sh -c") is True  # /bin/sh is on every machine
    assert player_available("no-such-player-here --quiet") is False


def test_personal_text_never_shows_in_a_repr():
    """Logs and tracebacks print reprs: what a resident typed must not reach them."""
    typed = Utterance("Jeanne Dupont, 12 rue des Lilas", "fr", 150, 1.0, personal=True)
    assert "Jeanne" not in repr(typed)
    assert "<personal>" in repr(typed)
    static = Utterance("Bienvenue à la mairie", "fr", 150, 1.0)
    assert "Bienvenue" in repr(static)
