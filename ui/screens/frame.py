"""What the guide's screens share: margins, and the navigation bar at the bottom.

"Abandonner" is always at the start of the bar, "Retour" and "Suivant" always at its end,
so a resident finds them in the same place on every screen (mirrored in Arabic).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.keypad import BACK_PROPERTY


def screen_layout(screen: QWidget, metrics: ScreenMetrics) -> QVBoxLayout:
    layout = QVBoxLayout(screen)
    side, top = metrics.px(12), metrics.px(5)
    layout.setContentsMargins(side, top, side, top)
    layout.setSpacing(metrics.px(3))
    return layout


def drag_to_scroll(area: QScrollArea) -> None:
    """A finger (or a mouse held down) dragging the content scrolls it.

    Qt turns a touch no widget takes into a left-button press, so one left-button
    gesture serves fingers and mice alike. Presses reach the buttons inside at once (no
    delay) and a drag that starts on one cancels its click; no overshoot nor bounce
    (the kiosk has no animation).
    """
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    metric = QScrollerProperties.ScrollMetric
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    properties.setScrollMetric(metric.MousePressEventDelay, 0.0)
    properties.setScrollMetric(metric.HorizontalOvershootPolicy, off)
    properties.setScrollMetric(metric.VerticalOvershootPolicy, off)
    # A flick glides only a little after the finger lifts: the content stays where it
    # was left, a moment later.
    properties.setScrollMetric(metric.DecelerationFactor, 1.0)
    scroller.setScrollerProperties(properties)


class AnswerScrollArea(QScrollArea):
    """A frameless, resizable scroll area that keeps the focused control in view, scrolls
    by dragging (``drag_to_scroll``), and says when there is more below the fold.

    Qt only scrolls to a control when the focus moves from inside the area; coming from
    outside (Shift+Tab from "Retour", the keypad, ``setFocus``) it would stay hidden below
    the fold. The area itself is no focus stop: it would be an unnamed, invisible stop
    for keyboard and screen reader.

    While some content is below the fold, a line under the area says so (``more_below``:
    the screen puts it in its layout, under the area); screens add it to what audio mode
    says (``spoken_hint``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        drag_to_scroll(self)
        self.more_below = QLabel(parent)
        self.more_below.setProperty("role", "more")
        self.more_below.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # On two lines rather than wider than a 1280-pixel screen (Arabic, largest text).
        self.more_below.setWordWrap(True)
        self.more_below.hide()
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._update_hint)
        bar.valueChanged.connect(self._update_hint)
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.focusChanged.connect(self._focus_changed)

    def minimumSizeHint(self) -> QSize:
        """No taller than its content needs.

        Qt's own minimum is the scroll bar's (two arrows and a handle, each a 15 mm
        target: 3 targets high), even when the content is shorter. At the largest text,
        that minimum left no room for the keyboard under a short answer (a date), which
        the screen's layout then squeezed until its rows were under 3 mm apart.
        """
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        needed = content.minimumSizeHint().height() + 2 * self.frameWidth()
        return QSize(hint.width(), min(hint.height(), needed))

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new, 0, 0)

    def retranslate(self) -> None:
        text = "▼ " + _("La suite est plus bas. Faites glisser vers le haut.")
        self.more_below.setText(text)
        self.more_below.setAccessibleName(text)

    def _update_hint(self) -> None:
        bar = self.verticalScrollBar()
        below = bar.value() < bar.maximum()
        # isHidden, not isVisible: on a screen not shown yet, isVisible is always False,
        # and a hint shown then would never be hidden again.
        if below != self.more_below.isHidden():
            return
        if below:
            self.retranslate()
        self.more_below.setVisible(below)

    def spoken_hint(self) -> str:
        """The hint, when content is below the fold now (layouts brought up to date
        first: a screen is read the moment it is shown, before its first paint)."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        return self.more_below.text() if self.more_below.isVisible() else ""


def answer_scroll_area(parent: QWidget) -> AnswerScrollArea:
    """The scroll area of a screen's content (see ``AnswerScrollArea``)."""
    return AnswerScrollArea(parent)


def tab_stops(container: QWidget) -> list[QWidget]:
    """The widgets under ``container`` that can take the focus, in creation order.

    Options of a choice are all listed, even those Qt reaches by arrows rather than Tab
    (which ones changes with what is checked). A widget hidden on purpose is not (one
    waiting to be destroyed); one not shown yet is.
    """
    explicit = Qt.WidgetAttribute.WA_WState_ExplicitShowHide
    return [
        child
        for child in container.findChildren(QWidget)
        if child.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not (child.isHidden() and child.testAttribute(explicit))
    ]


def chain_focus(widgets: Iterable[QWidget]) -> None:
    """Put ``widgets`` one after the other in the tab order, in reading order.

    Content built after the navigation bar (an answer editor, the review's "Modifier"
    buttons, the tiles) would otherwise come after "Suivant" in the tab order.
    """
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


class NavigationBar(QWidget):
    """"Abandonner" … "Retour" "Suivant"."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.abandon = QPushButton(self)
        self.abandon.setProperty("role", "danger")
        self.back = QPushButton(self)
        self.back.setProperty(BACK_PROPERTY, True)  # keypad 1
        self.next = QPushButton(self)
        self.next.setProperty("role", "primary")
        self.next.setProperty("sizing", "wide")
        self._next_text = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, metrics.px(2), 0, 0)
        layout.setSpacing(metrics.px(8))
        layout.addWidget(self.abandon)
        layout.addStretch(1)
        layout.addWidget(self.back)
        layout.addWidget(self.next)
        self.retranslate()

    def buttons(self) -> tuple[QPushButton, ...]:
        """In reading (and tab) order."""
        return (self.abandon, self.back, self.next)

    def set_next_text(self, text: str) -> None:
        """A different word for the main action ("Envoyer" on the review); empty: "Suivant"."""
        self._next_text = text
        self.retranslate()

    def retranslate(self) -> None:
        for button, text in (
            (self.abandon, _("Abandonner")),
            (self.back, _("Retour")),
            (self.next, self._next_text or _("Suivant")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
