"""Scrolling by touch (issue 12, item 8): a finger dragging a list scrolls it without
choosing what it started on, a tap still chooses, the scroll bar is a touch target wide,
and "there is more below" is shown and said while content is below the fold."""

from __future__ import annotations

from PySide6.QtCore import QDeadlineTimer, QPoint, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QScroller, QWidget

from accessibility.sizes import TOUCH_TARGET_MM, TextSize
from tests.e2e.resident import Resident, Role, scroll_area_of, settle, wait_until_settled
from ui.style import Appearance
from wiring.app import KioskApp

NO = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton
MORE = "▼ La suite est plus bas. Faites glisser vers le haut."
FIRST_PLACE = "Place de la Mairie"


def at_the_place_question(resident: Resident) -> QScrollArea:
    """The street report's place question (fifteen places) at the largest text."""
    resident.kiosk.set_appearance(Appearance(text_size=TextSize.LARGEST))
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    resident.choose("Déchets ou objets jetés")
    resident.next()
    resident.asked("Où est le problème ?")
    area = scroll_area_of(resident.element(FIRST_PLACE).object())
    assert area is not None
    wait_until_settled(resident.window)
    return area


def drag_up(kiosk: KioskApp, start: QPoint, distance: int) -> None:
    """A finger (here a mouse held down) slides from ``start`` up by ``distance``."""
    window = kiosk.window.windowHandle()
    QTest.mousePress(window, LEFT, NO, start)
    for step in range(1, 11):
        QTest.mouseMove(window, start - QPoint(0, distance * step // 10), 20)
    QTest.mouseRelease(window, LEFT, NO, start - QPoint(0, distance), 20)
    settle()


def wait_until_still(area: QScrollArea) -> None:
    """The content follows the finger a moment later (the scroller's own frames)."""
    scroller = QScroller.scroller(area.viewport())
    deadline = QDeadlineTimer(5_000)
    while scroller.state() != QScroller.State.Inactive and not deadline.hasExpired():
        QTest.qWait(20)
    assert scroller.state() == QScroller.State.Inactive, "the list never stops"


def centre_of(kiosk: KioskApp, widget: QWidget) -> QPoint:
    return widget.mapTo(kiosk.window, widget.rect().center())


def test_more_below_is_shown_and_said_until_the_end(resident: Resident) -> None:
    area = at_the_place_question(resident)
    assert resident.sees(MORE, (Role.StaticText,))
    assert resident.kiosk.guide.question.spoken_text().endswith(MORE)

    bar = area.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle()
    assert not resident.sees(MORE, (Role.StaticText,))
    assert MORE not in resident.kiosk.guide.question.spoken_text()


def test_a_finger_dragging_scrolls_without_choosing(resident: Resident) -> None:
    area = at_the_place_question(resident)
    kiosk = resident.kiosk
    option = resident.element(FIRST_PLACE).object()
    assert isinstance(option, QWidget)
    before = area.verticalScrollBar().value()

    drag_up(kiosk, centre_of(kiosk, option), area.viewport().height() // 2)
    wait_until_still(area)

    assert area.verticalScrollBar().value() > before
    assert not resident.is_chosen(FIRST_PLACE)


def test_a_tap_inside_a_draggable_list_still_chooses(resident: Resident) -> None:
    at_the_place_question(resident)
    kiosk = resident.kiosk
    option = resident.element(FIRST_PLACE).object()
    assert isinstance(option, QWidget)
    QTest.mouseClick(kiosk.window.windowHandle(), LEFT, NO, centre_of(kiosk, option))
    settle()
    assert resident.is_chosen(FIRST_PLACE)


def test_a_touch_screen_drag_scrolls(resident: Resident) -> None:
    area = at_the_place_question(resident)
    kiosk = resident.kiosk
    option = resident.element(FIRST_PLACE).object()
    assert isinstance(option, QWidget)
    screen = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    window = kiosk.window.windowHandle()
    start = centre_of(kiosk, option)
    QTest.touchEvent(window, screen).press(0, start, window)
    for step in range(1, 11):
        QTest.qWait(20)  # a finger's pace
        QTest.touchEvent(window, screen).move(0, start - QPoint(0, 30 * step), window)
    QTest.touchEvent(window, screen).release(0, start - QPoint(0, 300), window)
    settle()
    wait_until_still(area)
    assert area.verticalScrollBar().value() > 0
    assert not resident.is_chosen(FIRST_PLACE)


def test_the_scroll_bar_is_a_touch_target_wide(resident: Resident) -> None:
    area = at_the_place_question(resident)
    assert resident.kiosk.metrics.mm(area.verticalScrollBar().width()) >= TOUCH_TARGET_MM
