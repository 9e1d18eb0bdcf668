"""Logging to stderr in a journald-friendly form. Never log personal data."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

_FORMAT = "%(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "kiosk-stderr"


def setup_logging(level: str) -> None:
    """One stderr handler; journald adds the time, so the line does not repeat it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)


def _log_without_message(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """An unexpected error, logged by type and place only: its message could quote what a
    resident typed (a ValueError built from an answer), and logs never hold personal data."""
    places = " < ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in reversed(traceback.extract_tb(trace))
    )
    logging.getLogger("kiosk").error("unexpected %s at %s", kind.__name__, places or "?")


def install_exception_hooks() -> None:
    """Route uncaught exceptions (Qt slots included, and threads) to the log, message-free."""
    sys.excepthook = _log_without_message

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            _log_without_message(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = thread_hook


# Qt's offscreen platform (screenshots, tests) says it cannot do what a window manager
# does, once per window: true, harmless, and not for the journal's warnings.
QT_OFFSCREEN_NOTES = ("This plugin does not support",)


def route_qt_messages() -> Callable[..., Any] | None:
    """Send Qt's own messages to the log under the name "qt", at their level.

    Without this they reach stderr bare, without a level or a name. Returns the handler
    that was installed before (tests put it back).
    """
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    log = logging.getLogger("qt")

    def handle(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        level = logging.DEBUG if message.startswith(QT_OFFSCREEN_NOTES) else levels[kind]
        log.log(level, "%s", message)

    previous: Callable[..., Any] | None = qInstallMessageHandler(handle)
    return previous
