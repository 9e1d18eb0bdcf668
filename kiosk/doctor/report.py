"""What a check gives back (a level, a name, a detail with what to do) and the helpers every
family of checks shares."""

from __future__ import annotations

import enum
import logging
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.config import Config

COMMAND_TIMEOUT_S = 10.0

_log = logging.getLogger(__name__)


class Level(enum.Enum):
    """How bad a finding is. Any FAIL makes ``kiosk doctor`` exit with 1."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: a level, the check's name and a one-line detail."""

    level: Level
    name: str
    detail: str

    def line(self) -> str:
        """``OK    name: detail``: the level padded so that the names line up."""
        return f"{self.level.value:<4}  {self.name}: {self.detail}"


Check = Callable[[Config], CheckResult]


def check_name(check: Check) -> str:
    """``check_data_dir`` -> ``data-dir``: the name of a check in messages about it."""
    return check.__name__.removeprefix("check_").replace("_", "-")


def ok(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.OK, name, detail)


def warn(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.WARN, name, detail)


def fail(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.FAIL, name, detail)


def run_command(argv: Sequence[str]) -> subprocess.CompletedProcess[str] | None:
    """Run a fixed system program and capture its output; None when it cannot run."""
    try:
        return subprocess.run(  # noqa: S603 - fixed system programs, no shell
            list(argv), capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        _log.debug("%s could not run: %s", argv[0], error)
        return None

