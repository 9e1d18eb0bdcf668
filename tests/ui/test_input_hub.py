"""The InputHub calls filters in a known order: those added ``first`` in the order they
came (the tap guard, then speech's interruption), then the others."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject

from ui.input_hub import InputHub

PRESS = QEvent.Type.MouseButtonPress


class Noting(QObject):
    def __init__(self, name: str, calls: list[str], swallow: bool = False) -> None:
        super().__init__()
        self.name, self.calls, self.swallow = name, calls, swallow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.calls.append(self.name)
        return self.swallow


def test_first_filters_run_in_the_order_added_before_the_others(qapp):
    calls: list[str] = []
    hub = InputHub()
    keypad, guard, speech = Noting("keypad", calls), Noting("guard", calls), Noting("speech", calls)
    hub.add(keypad, [PRESS])
    hub.add(guard, [PRESS], first=True)
    hub.add(speech, [PRESS], first=True)
    hub.eventFilter(hub, QEvent(PRESS))
    assert calls == ["guard", "speech", "keypad"]

    hub.remove(guard)
    calls.clear()
    hub.eventFilter(hub, QEvent(PRESS))
    assert calls == ["speech", "keypad"]


def test_a_filter_that_swallows_hides_the_event_from_those_after_it(qapp):
    calls: list[str] = []
    hub = InputHub()
    hub.add(Noting("keypad", calls), [PRESS])
    hub.add(Noting("guard", calls, swallow=True), [PRESS], first=True)
    assert hub.eventFilter(hub, QEvent(PRESS))
    assert calls == ["guard"]


def test_detached_the_hub_sees_nothing_and_it_is_back_after_even_after_an_error(qapp):
    calls: list[str] = []
    hub = InputHub()
    hub.add(Noting("keypad", calls), [PRESS])
    target = QObject()
    qapp.installEventFilter(hub)
    try:
        with hub.detached(qapp):
            qapp.sendEvent(target, QEvent(PRESS))
        assert calls == []
        with pytest.raises(RuntimeError), hub.detached(qapp):
            raise RuntimeError("a restyle that failed")
        qapp.sendEvent(target, QEvent(PRESS))
        assert calls == ["keypad"]
    finally:
        qapp.removeEventFilter(hub)
