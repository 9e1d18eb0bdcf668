"""A QR code painted with QPainter from qrcode's matrix (no Pillow needed).

Always dark modules on white, whatever the theme: scanners need that contrast and the
white quiet zone around the symbol. Modules are whole pixels, without antialiasing, so
every edge is sharp.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _

QUIET_ZONE_MODULES = 4  # ISO/IEC 18004: four modules of white on every side
MINIMUM_SIDE_MM = 35.0
PREFERRED_SIDE_MM = 50.0
MINIMUM_MODULE_MM = 0.5
DARK = QColor(0, 0, 0)
LIGHT = QColor(255, 255, 255)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol's modules for ``text`` (True is dark), without the quiet zone.

    Error correction M (15 %), the smallest version that holds the text: the side is
    21 + 4 x (version - 1) modules.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def paint_qr(painter: QPainter, matrix: list[list[bool]], area: QRect, module: int) -> None:
    """Paint ``matrix`` with its white quiet zone into ``area`` (screen or paper)."""
    origin_x = area.x() + QUIET_ZONE_MODULES * module
    origin_y = area.y() + QUIET_ZONE_MODULES * module
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(area, LIGHT)
    for row_index, row in enumerate(matrix):
        y = origin_y + row_index * module
        # One rectangle per run of dark modules: fewer calls, no seams between them.
        start: int | None = None
        for column, dark in enumerate([*row, False]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                painter.fillRect(
                    origin_x + start * module, y, (column - start) * module, module, DARK
                )
                start = None


class QrCodeWidget(QWidget):
    """Shows one QR code, square, centred, at least ``MINIMUM_SIDE_MM`` wide on screen.

    Its accessible name says what it is; its description carries the encoded text (or
    the ``description`` given), so a screen reader can read out what the code holds.
    """

    def __init__(
        self,
        metrics: ScreenMetrics | None = None,
        *,
        accessible_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._metrics = metrics or ScreenMetrics()
        self._matrix: list[list[bool]] = []
        self._text = ""
        self.setObjectName("qrCode")
        self.setAccessibleName(accessible_name or _("Code QR du suivi"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._update_minimum()

    @property
    def text(self) -> str:
        return self._text

    @property
    def matrix(self) -> list[list[bool]]:
        return self._matrix

    def set_data(self, text: str, description: str | None = None) -> None:
        """Encode ``text``; the accessible description is ``description`` or the text."""
        self._text = text
        self._matrix = qr_matrix(text) if text else []
        self.setAccessibleDescription(text if description is None else description)
        self._update_minimum()
        self.updateGeometry()
        self.update()

    def side_in_modules(self) -> int:
        """Modules across, quiet zone included (0 when there is nothing to show)."""
        return len(self._matrix) + 2 * QUIET_ZONE_MODULES if self._matrix else 0

    def module_size_px(self) -> int:
        """Whole pixels per module at the current size."""
        side = self.side_in_modules()
        if not side:
            return 0
        return max(1, min(self.width(), self.height()) // side)

    def code_rect(self) -> QRect:
        """Where the white square (symbol and quiet zone) is painted, centred."""
        side = self.side_in_modules() * self.module_size_px()
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def sizeHint(self) -> QSize:
        side = max(self._metrics.px(PREFERRED_SIDE_MM), self.minimumWidth())
        return QSize(side, side)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        paint_qr(painter, self._matrix, self.code_rect(), self.module_size_px())
        painter.end()

    def _update_minimum(self) -> None:
        # At least 35 mm across, and never a module under half a millimetre.
        side = max(
            self._metrics.px(MINIMUM_SIDE_MM),
            self.side_in_modules() * self._metrics.px(MINIMUM_MODULE_MM),
        )
        self.setMinimumSize(side, side)
