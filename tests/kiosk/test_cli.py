"""``kiosk``'s global options: where a technician may put them, and what they change."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiring.cli import build_parser, main


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\nlog_level = "INFO"\n')
    return path


@pytest.mark.parametrize(
    "words",
    [
        ["--config", "X", "queue", "status"],
        ["queue", "--config", "X", "status"],
        ["queue", "status", "--config", "X"],
        ["--config", "X", "doctor"],
        ["doctor", "--config", "X"],
    ],
)
def test_config_is_read_before_or_after_the_command(words: list[str]) -> None:
    args = build_parser(words).parse_args(words)
    assert args.config == Path("X")


def test_without_config_the_default_is_none_on_every_command() -> None:
    for words in (["doctor"], ["queue", "status"], []):
        assert build_parser(words).parse_args(words).config is None


def test_routine_log_lines_need_verbose(config_file: Path, capsys) -> None:
    """The keyring backend line is INFO: a technician sees it with -v only."""
    assert main(["--config", str(config_file), "queue", "status"]) == 0
    assert "INFO" not in capsys.readouterr().err
    assert main(["queue", "status", "-v", "--config", str(config_file)]) == 0
    assert "INFO kiosk.secrets" in capsys.readouterr().err
