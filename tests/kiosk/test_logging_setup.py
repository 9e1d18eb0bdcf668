"""Uncaught errors are logged by type and place, never with their message."""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import qInstallMessageHandler, qWarning

from kiosk.logging_setup import install_exception_hooks, route_qt_messages


def test_an_uncaught_error_is_logged_without_its_message(caplog, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_exception_hooks()
    try:
        raise ValueError("Jeanne Martin, 12 rue des Lilas")
    except ValueError as error:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(type(error), error, error.__traceback__)
    logged = caplog.text
    assert "ValueError" in logged
    assert "test_logging_setup.py" in logged
    assert "Jeanne" not in logged
    assert "Lilas" not in logged


def test_qt_messages_reach_the_log_with_their_level_and_offscreen_notes_stay_quiet(
    caplog, qapp
):
    previous = route_qt_messages()
    try:
        with caplog.at_level(logging.DEBUG, logger="qt"):
            qWarning("QPainter::begin: Paint device returned engine == 0")
            qWarning("This plugin does not support propagateSizeHints()")
            qWarning("This plugin does not support application fonts")
    finally:
        qInstallMessageHandler(previous)
    levels = {record.getMessage(): record.levelno for record in caplog.records}
    assert levels["QPainter::begin: Paint device returned engine == 0"] == logging.WARNING
    assert levels["This plugin does not support propagateSizeHints()"] == logging.DEBUG
    # Only that note: a platform that cannot load the kiosk's fonts is news.
    assert levels["This plugin does not support application fonts"] == logging.WARNING
    assert {record.name for record in caplog.records} == {"qt"}
