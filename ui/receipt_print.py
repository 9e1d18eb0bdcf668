"""The receipt on paper: what the screen shows, large, with the QR code (QtPrintSupport).

The application chooses where it goes (a printer, or a PDF file); this module only lays
the page out. Nothing personal is on it: reference, démarche, service, what happens next.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRect, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from ui.fonts import load_fonts
from ui.widgets.qr_code import QUIET_ZONE_MODULES, paint_qr, qr_matrix

# Sizes in points on paper (1 pt = 0.353 mm): body 16 pt is large print.
TITLE_PT, REFERENCE_PT, BODY_PT = 22, 34, 16
QR_MM = 40.0


def _font(points: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(load_fonts()))
    font.setPointSize(points)
    font.setBold(bold)
    return font


def pdf_printer(path: str) -> QPrinter:
    """A printer that writes an A4 PDF file (the test of the printing path, and archives)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    return printer


def print_receipt(
    printer: QPrinter,
    *,
    title: str,
    reference_caption: str,
    reference: str,
    lines: list[str],
    tracking: str,
) -> bool:
    """Lay the receipt out on one A4 page; False when the printer cannot start."""
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        return False
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    width = page.width()
    y = 0
    for text, font in (
        (title, _font(TITLE_PT, bold=True)),
        (reference_caption, _font(BODY_PT)),
        (reference, _font(REFERENCE_PT, bold=True)),
        *((line, _font(BODY_PT)) for line in lines if line),
    ):
        painter.setFont(font)
        box = painter.boundingRect(
            QRect(0, y, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        painter.drawText(box, int(Qt.TextFlag.TextWordWrap), text)
        y = box.bottom() + printer.resolution() // 6
    if not tracking:
        painter.end()
        return True
    matrix = qr_matrix(tracking)
    side_modules = len(matrix) + 2 * QUIET_ZONE_MODULES
    module = max(1, int(QR_MM / 25.4 * printer.resolution()) // side_modules)
    side = module * side_modules
    paint_qr(painter, matrix, QRect(0, y, side, side), module)
    painter.end()
    return True
