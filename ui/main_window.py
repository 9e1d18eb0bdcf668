"""The kiosk window: frameless, full screen, impossible to close for a resident.

It holds a top bar (commune, and the buttons every screen offers), a stack of screens,
and overlays drawn inside the window (idle question, PIN pad): nothing opens a separate
window that could escape the kiosk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _, with_commune
from ui.idle import IdleOverlay
from ui.widgets.pin_pad import PinPad


class TopBar(QWidget):
    """The commune's logo and name, and the buttons offered on every screen."""

    def __init__(
        self, commune_name: str, logo: Path, metrics: ScreenMetrics, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self._commune_name = commune_name
        self.logo = QSvgWidget(str(logo), self)
        side = metrics.px(14)
        self.logo.setFixedSize(QSize(side, side))
        self._name = QLabel(self)
        self._name.setProperty("role", "muted")
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(metrics.touch_spacing_px * 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(metrics.px(4), metrics.px(3), metrics.px(4), metrics.px(3))
        layout.setSpacing(metrics.px(4))
        layout.addWidget(self.logo)
        layout.addWidget(self._name)
        layout.addStretch(1)
        layout.addLayout(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        text = with_commune(_("Mairie de {commune}"), self._commune_name)
        self._name.setText(text)
        self.logo.setAccessibleName(text)


class PinOverlay(QWidget):
    """A PIN pad centred on a darkened window."""

    def __init__(self, pad: PinPad, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("role", "backdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.pad = pad
        pad.setParent(self)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(pad, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()

    def open(self) -> None:
        self.pad.clear()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)


class KioskWindow(QWidget):
    """The one window of the kiosk.

    Signals:
        close_refused: someone tried to close the window (logged, nothing else happens).
    """

    close_refused = Signal()

    def __init__(
        self,
        commune_name: str,
        logo: Path,
        metrics: ScreenMetrics,
        idle_countdown_seconds: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setWindowTitle(_("Borne citoyenne"))
        self.metrics = metrics
        self._may_close = False

        self.top_bar = TopBar(commune_name, logo, metrics, self)
        self.screens = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.screens, 1)

        self.idle_overlay = IdleOverlay(idle_countdown_seconds, self)
        self.technician_pad = PinPad(_("Code du technicien"), metrics, min_length=4)
        self.technician_overlay = PinOverlay(self.technician_pad, self)

    def show_screen(self, screen: QWidget) -> None:
        if self.screens.indexOf(screen) < 0:
            self.screens.addWidget(screen)
        self.screens.setCurrentWidget(screen)

    def allow_close(self) -> None:
        """Only the technician exit calls this, after a right PIN."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            event.accept()
            return
        event.ignore()
        self.close_refused.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (self.idle_overlay, self.technician_overlay):
            overlay.setGeometry(self.rect())

    def retranslate(self) -> None:
        self.top_bar.retranslate()
        self.idle_overlay.retranslate()
