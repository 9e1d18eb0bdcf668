"""Finding a widget's enclosing widget of a given kind (a scroll area, a PIN pad...)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def enclosing(widget: QWidget, kind: type[W], *, include_self: bool = False) -> W | None:
    """The nearest ancestor of ``widget`` that is a ``kind`` (or ``widget`` itself when
    ``include_self``), or None."""
    current = widget if include_self else widget.parentWidget()
    while current is not None:
        if isinstance(current, kind):
            return current
        current = current.parentWidget()
    return None
