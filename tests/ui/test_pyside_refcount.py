"""Guards against the PySide6 6.12.0 reference-count bug on None (Python 3.11).

With it, every void call such as ``QLabel.setText`` releases one reference to None that
was never taken; after some thousands of screens the interpreter aborts. A kiosk runs for
weeks, so the pinned PySide6 must not have it.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("Bonjour")
        label.setAccessibleName("Bonjour")
    # A few references may come and go with the interpreter's own work; 400 lost would not.
    assert abs(sys.getrefcount(None) - before) < 50
