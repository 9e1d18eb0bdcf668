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


# Qt's offscreen platform (screenshots, tests) says, once per window, that it cannot do
# what a window manager does: true, harmless there, and not a warning for the journal.
QT_OFFSCREEN_NOTE = "This plugin does not support propagateSizeHints()"


def route_qt_messages() -> Callable[..., Any] | None:
    """Send Qt's own messages to the log under the name "qt", at their level.

    Without this they reach stderr bare, without a level or a name. They are logged as Qt
    wrote them: Qt's messages name files, URLs and Qt objects, not what a resident typed.
    Returns the handler installed before, to be put back after ``QApplication.shutdown``.
    """
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    log = logging.getLogger("qt")

    def handle(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        offscreen_note = (
            message == QT_OFFSCREEN_NOTE and QGuiApplication.platformName() == "offscreen"
        )
        log.log(logging.DEBUG if offscreen_note else levels[kind], "%s", message)

    previous: Callable[..., Any] | None = qInstallMessageHandler(handle)
    return previous
