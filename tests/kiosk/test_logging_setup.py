"""Uncaught errors are logged by type and place, never with their message."""

from __future__ import annotations

import logging
import sys
import threading

from kiosk.logging_setup import install_exception_hooks


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
