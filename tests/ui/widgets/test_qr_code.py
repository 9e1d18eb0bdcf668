"""The QR code: a well-formed symbol, painted sharp, black on white, with its quiet zone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QAccessible, QColor, QImage

from accessibility.sizes import ScreenMetrics
from ui.widgets.qr_code import QUIET_ZONE_MODULES, QrCodeWidget, qr_matrix

METRICS = ScreenMetrics(0.248)
URL = "https://admiville.fr/suivi/ADM-7K3-Q9P"
WHITE = QColor(255, 255, 255).rgb()
BLACK = QColor(0, 0, 0).rgb()


def _has_finder_at(matrix: list[list[bool]], top: int, left: int) -> bool:
    """A 7x7 finder pattern: dark ring, light ring, dark 3x3 centre."""
    for r in range(7):
        for c in range(7):
            ring = max(abs(r - 3), abs(c - 3))
            if matrix[top + r][left + c] != (ring != 2):
                return False
    return True


@given(st.text(max_size=300))
def test_any_text_gives_a_square_symbol_with_three_finder_patterns(text):
    matrix = qr_matrix(text)
    side = len(matrix)
    assert all(len(row) == side for row in matrix)
    assert side >= 21
    assert (side - 21) % 4 == 0  # version v is 21 + 4 (v - 1) modules
    assert _has_finder_at(matrix, 0, 0)
    assert _has_finder_at(matrix, 0, side - 7)
    assert _has_finder_at(matrix, side - 7, 0)


def test_a_short_reference_fits_version_1_and_a_url_needs_more():
    assert len(qr_matrix("ADM-7K3-Q9P")) == 21
    assert len(qr_matrix(URL)) > 21


def test_different_texts_give_different_symbols():
    assert qr_matrix("ADM-7K3-Q9P") != qr_matrix("ADM-7K3-Q9R")
    assert qr_matrix("ADM-7K3-Q9P") == qr_matrix("ADM-7K3-Q9P")


@pytest.fixture
def painted(qtbot) -> tuple[QrCodeWidget, QImage]:
    widget = QrCodeWidget(METRICS)
    qtbot.addWidget(widget)
    widget.set_data(URL)
    widget.resize(431, 457)  # not a multiple of the module count, not square
    widget.show()
    qtbot.waitExposed(widget)
    image = widget.grab().toImage()
    return widget, image


def test_quiet_zone_is_white_on_every_side(painted):
    widget, image = painted
    area = widget.code_rect()
    band = QUIET_ZONE_MODULES * widget.module_size_px()
    symbol = area.adjusted(band, band, -band, -band)
    assert area.width() == area.height() > 0
    assert symbol.width() == len(widget.matrix) * widget.module_size_px()
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            if not symbol.contains(x, y):
                assert image.pixel(x, y) == WHITE, (x, y)


def test_each_module_is_painted_as_the_matrix_says(painted):
    widget, image = painted
    module = widget.module_size_px()
    area = widget.code_rect()
    origin = QUIET_ZONE_MODULES * module
    for r, row in enumerate(widget.matrix):
        for c, dark in enumerate(row):
            x = area.left() + origin + c * module + module // 2
            y = area.top() + origin + r * module + module // 2
            assert image.pixel(x, y) == (BLACK if dark else WHITE), (r, c)


def test_the_code_is_centred_and_sharp(painted):
    widget, image = painted
    area = widget.code_rect()
    assert abs(area.left() - (widget.width() - area.right() - 1)) <= 1
    assert abs(area.top() - (widget.height() - area.bottom() - 1)) <= 1
    colours = {
        image.pixel(x, y)
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1, 3)
    }
    assert colours == {BLACK, WHITE}  # no grey edges: antialiasing is off


def test_minimum_size_is_35_mm_with_modules_of_half_a_millimetre(qtbot):
    widget = QrCodeWidget(METRICS)
    qtbot.addWidget(widget)
    widget.set_data(URL * 3)  # a long text: many small modules
    minimum = widget.minimumSize()
    assert METRICS.mm(minimum.width()) >= 35
    assert minimum.width() == minimum.height()
    widget.resize(minimum)
    assert METRICS.mm(widget.module_size_px()) >= 0.5


def test_screen_reader_hears_what_it_is_and_what_it_holds(qtbot):
    widget = QrCodeWidget(METRICS)
    qtbot.addWidget(widget)
    widget.set_data(URL)
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface.text(QAccessible.Text.Name) == "Code QR du suivi"
    assert URL in interface.text(QAccessible.Text.Description)

    widget.set_data(URL, description="Votre numéro de suivi : ADM-7K3-Q9P")
    assert interface.text(QAccessible.Text.Description) == "Votre numéro de suivi : ADM-7K3-Q9P"


def test_no_data_paints_nothing(qtbot):
    widget = QrCodeWidget(METRICS)
    qtbot.addWidget(widget)
    widget.resize(200, 200)
    assert widget.module_size_px() == 0
    assert not widget.grab().isNull()
