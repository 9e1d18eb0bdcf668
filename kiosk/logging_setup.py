"""Logging to stderr in a journald-friendly form. Never log personal data."""

from __future__ import annotations

import logging
import sys

_FORMAT = "%(levelname)s %(name)s: %(message)s"


def setup_logging(level: str) -> None:
    """One stderr handler; journald adds the time, so the line does not repeat it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
