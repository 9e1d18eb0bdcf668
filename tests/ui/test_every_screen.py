"""Every screen of the kiosk, in each text size, in French and in Arabic (right to left):
nothing clipped or cut short, every button a finger can hit (>= 15 mm, >= 3 mm from the
next one), every control inside the window (docs/accessibility.md; EN 301 549 5.1.4, 5.5.1).

One kiosk serves the whole module; all failures are collected and reported together,
each with its scene, size, language, widget and problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from accessibility.sizes import TextSize
from tests.e2e.module_kiosk import shared_kiosk
from tests.e2e.resident import scroll_area_of, settle
from ui.overlays import Overlay
from ui.screens.frame import AnswerScrollArea
from ui.style import Appearance
from ui.widgets.keyboard import OnScreenKeyboard
from ui.widgets.pictogram_button import PictogramButton
from wiring.app import KioskApp
from wiring.screenshots import Scene, all_scenes

LANGUAGES = ("fr", "ar")
TOLERANCE_PX = 2  # rounding of fonts and layouts
INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit)


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    yield from shared_kiosk(qapp, tmp_path_factory.mktemp("every-screen-data"))


@dataclass(frozen=True)
class Shown:
    """A widget as the resident sees it: where it is in the window, and how to call it."""

    widget: QWidget
    rect: QRect  # in window coordinates
    visible: QRect  # the part not scrolled away (the part a finger can touch)

    @property
    def name(self) -> str:
        w = self.widget
        text = w.text() if isinstance(w, QLabel | QAbstractButton | QLineEdit) else ""
        return f"{type(w).__name__} {(w.accessibleName() or text)[:50]!r}"


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def inside_overlay(widget: QWidget, overlay: Overlay) -> bool:
    return widget is overlay or overlay.isAncestorOf(widget)


def seen_widgets(window: QWidget) -> list[Shown]:
    """The widgets the resident can see: shown, not hidden under an open overlay, and in
    the visible part of their scroll area (a control scrolled away is seen once scrolled)."""
    overlays = [o for o in window.findChildren(Overlay) if o.isVisible()]
    top = overlays[-1] if overlays else None
    seen = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or (top is not None and not inside_overlay(widget, top)):
            continue
        rect = window_rect(widget, window)
        visible = rect
        area = scroll_area_of(widget)
        if area is not None:
            viewport = window_rect(area.viewport(), window)
            if not viewport.intersects(rect):
                continue
            visible = viewport.intersected(rect)
        seen.append(Shown(widget, rect, visible))
    return seen


def label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if text.rstrip().endswith(("…", "...")):
        return "text is elided"
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + TOLERANCE_PX:
            return f"wrapped text needs {needed} px high, has {label.height()}"
        return None
    needed = label.sizeHint().width()
    if needed > label.width() + TOLERANCE_PX:
        return f"text needs {needed} px wide, has {label.width()}"
    return None


def button_text_problem(button: QAbstractButton) -> str | None:
    if isinstance(button, PictogramButton) or not isinstance(button, QPushButton):
        return None  # its labels inside are checked as labels
    hint = button.sizeHint()
    if hint.width() > button.width() + TOLERANCE_PX:
        return f"text needs {hint.width()} px wide, has {button.width()}"
    return None


def gap(a: QRect, b: QRect) -> float:
    dx = max(0, b.left() - a.right() - 1, a.left() - b.right() - 1)
    dy = max(0, b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
    return math.hypot(dx, dy)


def problems(kiosk: KioskApp) -> list[str]:
    window = kiosk.window
    metrics = kiosk.metrics
    target = metrics.px(15) - 1
    spacing = metrics.px(3) - 1
    whole = window.rect()
    found = []
    seen = seen_widgets(window)
    buttons = [s for s in seen if isinstance(s.widget, QAbstractButton)]
    for shown in seen:
        widget = shown.widget
        if isinstance(widget, QLabel) and (problem := label_problem(widget)):
            found.append(f"{shown.name}: {problem}")
        if isinstance(widget, INTERACTIVE) and not whole.contains(shown.visible):
            found.append(f"{shown.name}: outside the window at {shown.rect.getRect()}")
    for shown in buttons:
        button = shown.widget
        assert isinstance(button, QAbstractButton)
        if button.width() < target or button.height() < target:
            found.append(
                f"{shown.name}: {metrics.mm(button.width()):.1f} x "
                f"{metrics.mm(button.height()):.1f} mm, under 15 mm"
            )
        if problem := button_text_problem(button):
            found.append(f"{shown.name}: {problem}")
    for index, first in enumerate(buttons):
        for second in buttons[index + 1 :]:
            distance = gap(first.visible, second.visible)
            if distance < spacing:
                found.append(
                    f"{first.name} and {second.name}: {metrics.mm(distance):.1f} mm apart"
                )
    return found


def sizes_for(index: int) -> tuple[TextSize, ...]:
    """Every scene at the largest size; the smaller ones in turn (keeps the run short)."""
    smaller = (TextSize.NORMAL, TextSize.LARGE)
    return (TextSize.LARGEST, smaller[index % len(smaller)])


# Every scene in every language at two sizes: about 50 s alone, several minutes on a
# loaded 2-core machine with coverage on; the global 120 s would cut it there.
@pytest.mark.timeout(1200)
def test_nothing_is_clipped_and_every_button_is_big_enough_on_every_screen(kiosk):
    scenes: list[Scene] = all_scenes(kiosk)
    failures = []
    shots = 0
    for index, scene in enumerate(scenes):
        for language in LANGUAGES:
            for size in sizes_for(index):
                scene.enter(kiosk)
                kiosk.set_language(language)
                kiosk.set_appearance(Appearance(text_size=size))
                settle()
                shots += 1
                failures.extend(
                    f"{scene.name} {size.name} {language}: {problem}"
                    for problem in problems(kiosk)
                )
    assert shots >= len(scenes) * len(LANGUAGES) * 2
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


# A common kiosk panel smaller than the reference one. Every scene there at the largest
# text takes about 10 minutes on the loaded 2-core development machine: checked below are
# the scenes that did not fit it (docs/accessibility.md, "Smaller panels"), among them
# every question shown with the keyboard up (letters, lines, digits, a date, a phone, the
# address's boxes).
SMALL_PANEL = (1280, 800)
WITH_THE_KEYBOARD_UP = (
    "status",  # "Où en est ma demande ?": 853 px
    "touch-keyboard",  # and "Arrêter la voix" in the top bar: its buttons were cut short
    "acte-etat-civil-04",  # letters: 877 px
    "acte-etat-civil-05",  # a date and the digits: 879 px
    "acte-etat-civil-07",  # the address, three boxes one under the other: 1027 px
    "demande-logement-02",
    "demande-logement-03",
    "demande-logement-06",  # a message of several lines
    "demande-logement-07",  # a phone number
    "reclamation-suggestion-03",
    "reclamation-suggestion-05",
    "reclamation-suggestion-06",
    "signalement-rue-03",
    "signalement-rue-06",
    "portail-famille-02",
    "portail-famille-03",
    "portail-famille-05",
    "portail-famille-06",
    "quel-service-03",
    "quel-service-05",
    "quel-service-06",
)
TIGHT_ON_A_SMALL_PANEL = (
    "welcome",  # its sentence lacked 18 px
    "touch-welcome",
    "mediator-consent",  # the mediator's banner: 869 px, the top bar's buttons cut short
    "mediator-banner",
    "mediator-panel",
    "gdpr-from-consent",
    *WITH_THE_KEYBOARD_UP,
)


def enter_on_small_panel(kiosk: KioskApp, scene_name: str, language: str) -> None:
    """The scene at the largest text, then the window brought back to the panel's size:
    a window grows to what its layout needs, and does not shrink by itself."""
    scene = next(s for s in all_scenes(kiosk) if s.name == scene_name)
    kiosk.window.resize(*SMALL_PANEL)
    scene.enter(kiosk)
    kiosk.set_language(language)
    kiosk.set_appearance(Appearance(text_size=TextSize.LARGEST))
    settle()
    for _ in range(2):  # the first resize of a grown window may be undone by its layout
        kiosk.window.resize(*SMALL_PANEL)
        settle()


@pytest.fixture
def small_panel(kiosk: KioskApp) -> Iterator[None]:
    reference = kiosk.window.size()
    yield
    kiosk.window.resize(reference)
    settle()


# The screens with "La suite est plus bas": a line as wide as the sentence made the window
# 1289 px wide in Arabic, and every screen with it (the stack takes its widest page).
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scene_name", ["demarches", "acte-etat-civil-09"])
def test_a_screen_that_scrolls_fits_the_width_of_a_1280_pixel_panel(
    kiosk, small_panel, scene_name, language
):
    enter_on_small_panel(kiosk, scene_name, language)
    assert (kiosk.window.width(), kiosk.window.height()) == SMALL_PANEL
    assert problems(kiosk) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scene_name", TIGHT_ON_A_SMALL_PANEL)
def test_a_tight_screen_fits_a_1280_by_800_panel_at_the_largest_text(
    kiosk, small_panel, scene_name, language
):
    """The window did not have to grow, and nothing in it is clipped, squeezed under
    15 mm or closer than 3 mm to its neighbour."""
    enter_on_small_panel(kiosk, scene_name, language)
    window = kiosk.window
    keyboards = [k for k in window.findChildren(OnScreenKeyboard) if k.isVisible()]
    assert bool(keyboards) == (scene_name in WITH_THE_KEYBOARD_UP)
    assert (window.width(), window.height()) == SMALL_PANEL, window.minimumSizeHint()
    assert problems(kiosk) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_on_a_1280_by_800_panel_scrolls_and_keeps_terminer_in_reach(
    kiosk, small_panel, language
):
    enter_on_small_panel(kiosk, "acte-etat-civil-10", language)
    window = kiosk.window
    receipt = kiosk.guide.receipt
    assert window.screens.currentWidget() is receipt
    assert (window.width(), window.height()) == SMALL_PANEL  # it did not grow
    assert problems(kiosk) == []
    shown = {s.widget: s for s in seen_widgets(window)}
    for widget in (receipt.finish, receipt.reference):  # both wholly in sight
        assert widget in shown, widget.accessibleName()
        assert shown[widget].visible == shown[widget].rect, widget.accessibleName()
        assert window.rect().contains(shown[widget].rect), widget.accessibleName()
    area = receipt.findChild(AnswerScrollArea)
    assert area is not None
    assert area.isAncestorOf(receipt.next_steps)
    assert area.more_below.isVisible()  # "La suite est plus bas": the rest is below


def test_more_below_is_hidden_once_all_fits_even_if_it_came_while_the_screen_was_hidden(
    qtbot,
):
    """A screen is laid out before it is shown (the receipt, filled before the switch):
    the hint shown then must go when the content fits."""
    screen = QWidget()
    qtbot.addWidget(screen)
    area = AnswerScrollArea(screen)
    content = QLabel("\n".join(["Une ligne"] * 40))
    area.setWidget(content)
    area.setGeometry(0, 0, 400, 200)  # the screen is not shown: the content is taller
    area.verticalScrollBar().setRange(0, 500)
    assert not area.more_below.isHidden()
    content.setText("Une ligne")
    area.verticalScrollBar().setRange(0, 0)
    screen.show()
    qtbot.waitExposed(screen)
    assert not area.more_below.isVisible()


def test_the_check_finds_a_clipped_label_and_a_small_button(kiosk, qtbot):
    """The checks above can fail."""
    kiosk.wipe_session()
    label = QLabel("Un texte bien trop long pour sa petite place", kiosk.welcome)
    label.setGeometry(10, 10, 40, 40)
    small = QPushButton("Ok", kiosk.welcome)
    small.ensurePolished()
    small.setFixedSize(20, 20)  # under the stylesheet's minimum
    small.move(100, 10)
    label.show()
    small.show()
    try:
        found = problems(kiosk)
    finally:
        label.deleteLater()
        small.deleteLater()
        settle()
    assert any("Un texte bien trop long" in p and "px wide" in p for p in found), found
    assert any("'Ok'" in p and "under 15 mm" in p for p in found), found
