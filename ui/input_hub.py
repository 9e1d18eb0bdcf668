"""One application-wide event filter that hands each event only to those who want it.

Qt calls every application event filter for every event — paints, timers, layout
requests: hundreds of thousands in a visit. Five Python filters each asking
``event.type()`` made that a measurable share of the CPU (bench/navigation.py). The hub
asks once and calls a filter only for the event types it declared.

Even so, each event still crosses into Python once: a restyle of the kiosk sends Qt's
own events (style, font, palette, polish) by the thousand in one synchronous call, and
half of an appearance change went to the hub saying no (bench/restyle.py). ``detached``
takes it off the application for such a call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEvent, QObject


class InputHub(QObject):
    """Dispatches application events to filters registered per event type.

    A filter is any QObject with ``eventFilter(watched, event) -> bool``; returning True
    swallows the event, as with ``installEventFilter``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filters: defaultdict[QEvent.Type, list[QObject]] = defaultdict(list)
        self._first: list[QObject] = []

    def add(
        self, event_filter: QObject, event_types: Iterable[QEvent.Type], *, first: bool = False
    ) -> None:
        """Register ``event_filter``; ``first`` puts it before the other filters, after
        those added ``first`` before it (the tap guard drops a press before speech stops
        on it; speech must stop on a key the keypad then consumes)."""
        if first:
            self._first.append(event_filter)
        for kind in event_types:
            filters = self._filters[kind]
            if first:
                filters.insert(sum(f in self._first for f in filters), event_filter)
            else:
                filters.append(event_filter)

    def remove(self, event_filter: QObject) -> None:
        for filters in self._filters.values():
            if event_filter in filters:
                filters.remove(event_filter)
        if event_filter in self._first:
            self._first.remove(event_filter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        filters = self._filters.get(event.type())
        if not filters:
            return False
        return any(f.eventFilter(watched, event) for f in filters)

    @contextmanager
    def detached(self, app: QCoreApplication) -> Iterator[None]:
        """Off ``app``'s event filters meanwhile; back on after, first of them.

        Only around a synchronous call that makes no input event (no filter of the hub
        wants anything else): no touch or key can arrive before it returns.
        """
        app.removeEventFilter(self)
        try:
            yield
        finally:
            app.installEventFilter(self)
