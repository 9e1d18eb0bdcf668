"""Physical sizes: millimetres to pixels, and the real cap height of the kiosk's text at each
size level (ADA 707: 4.8 mm; EN 301 549 5.1.4: 0.0122 x 600 mm = 7.32 mm at the largest)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessibility.sizes import (
    DEFAULT_MM_PER_PIXEL,
    FOCUS_OUTLINE_MM,
    MM_PER_INCH,
    TOUCH_SPACING_MM,
    TOUCH_TARGET_MM,
    ScreenMetrics,
    TextSize,
    mm_per_pixel_from_dpi,
)

if TYPE_CHECKING:
    from ui.style import FontSizes

VIEWING_DISTANCE_MM = 600.0
EN_301_549_CAP_HEIGHT_MM = 0.0122 * VIEWING_DISTANCE_MM  # 0.7 degrees of visual angle
ADA_707_CHARACTER_MM = 4.8
# From a dense 15.6" full-HD panel to a coarse 32" one, and the default 21.5" panel.
DENSITIES = [0.179, DEFAULT_MM_PER_PIXEL, 0.364]

mm_per_pixel = st.floats(0.05, 0.6, allow_nan=False)
millimetres = st.floats(0.1, 500.0, allow_nan=False)


# ------------------------------------------------------------------ mm <-> px


def test_touch_targets_and_spacing_at_the_default_density() -> None:
    metrics = ScreenMetrics()
    assert metrics.mm_per_pixel == DEFAULT_MM_PER_PIXEL == 0.248
    assert TOUCH_TARGET_MM == 15.0
    assert TOUCH_SPACING_MM == 3.0
    assert metrics.touch_target_px == 61  # 60.48 px rounded up
    assert metrics.touch_spacing_px == 13  # 12.10 px rounded up
    assert metrics.px(FOCUS_OUTLINE_MM) == 5


def test_px_rounds_up_but_not_an_exact_whole_number() -> None:
    metrics = ScreenMetrics(0.25)
    assert metrics.px(1.0) == 4
    assert metrics.px(1.01) == 5
    assert metrics.px(0.25 * 3) == 3  # float noise does not add a pixel
    assert metrics.mm(4) == 1.0


@pytest.mark.parametrize("dpi", [0.0, -1.0, 10.0, 49.9, 400.1, 10_000.0, math.nan, math.inf])
def test_an_implausible_density_means_the_default_panel(dpi: float) -> None:
    assert mm_per_pixel_from_dpi(dpi) == DEFAULT_MM_PER_PIXEL


@pytest.mark.parametrize("dpi", [50.0, 96.0, 102.4, 141.2, 400.0])
def test_a_plausible_density_is_believed(dpi: float) -> None:
    assert mm_per_pixel_from_dpi(dpi) == pytest.approx(MM_PER_INCH / dpi)


@given(millimetres, mm_per_pixel)
def test_px_always_covers_the_millimetres_with_the_fewest_pixels(mm: float, scale: float) -> None:
    metrics = ScreenMetrics(scale)
    pixels = metrics.px(mm)
    assert pixels * scale >= mm - 1e-6
    assert (pixels - 1) * scale < mm


@given(st.integers(1, 4000), mm_per_pixel)
def test_whole_pixels_convert_back_exactly(pixels: int, scale: float) -> None:
    metrics = ScreenMetrics(scale)
    assert metrics.px(metrics.mm(pixels)) == pixels


def test_levels_grow_and_meet_their_standards() -> None:
    levels = [size.cap_height_mm for size in TextSize]
    assert levels == sorted(levels)
    assert len(levels) >= 3
    assert TextSize.NORMAL.cap_height_mm >= ADA_707_CHARACTER_MM
    assert TextSize.LARGEST.cap_height_mm >= EN_301_549_CAP_HEIGHT_MM


# ------------------------------------------------------------------ what Qt really draws


def _cap_height_mm(pixel_size: int, metrics: ScreenMetrics) -> float:
    from PySide6.QtGui import QFontMetricsF

    from ui.fonts import kiosk_font

    return QFontMetricsF(kiosk_font(pixel_size)).capHeight() * metrics.mm_per_pixel


def _font_sizes(size: TextSize, metrics: ScreenMetrics) -> FontSizes:
    from ui.style import Appearance, FontSizes

    return FontSizes.for_appearance(Appearance(text_size=size), metrics)


@pytest.mark.parametrize("scale", DENSITIES)
@pytest.mark.parametrize("size", list(TextSize), ids=[s.name for s in TextSize])
def test_the_body_text_really_has_the_cap_height_of_its_level(
    qapp: object, size: TextSize, scale: float
) -> None:
    metrics = ScreenMetrics(scale)
    measured = _cap_height_mm(_font_sizes(size, metrics).body, metrics)
    assert measured >= size.cap_height_mm, (
        f"{size.name} at {scale} mm/px: capital H is {measured:.2f} mm, "
        f"needs {size.cap_height_mm} mm"
    )
    # The smallest such size: one pixel less would be too small.
    assert _cap_height_mm(_font_sizes(size, metrics).body - 1, metrics) < size.cap_height_mm


def test_default_body_text_meets_ada_707(qapp: object) -> None:
    metrics = ScreenMetrics()
    measured = _cap_height_mm(_font_sizes(TextSize.NORMAL, metrics).body, metrics)
    assert measured >= ADA_707_CHARACTER_MM, f"{measured:.2f} mm"


def test_largest_body_text_meets_en_301_549_5_1_4_at_600_mm(qapp: object) -> None:
    metrics = ScreenMetrics()
    measured = _cap_height_mm(_font_sizes(TextSize.LARGEST, metrics).body, metrics)
    assert measured >= EN_301_549_CAP_HEIGHT_MM, f"{measured:.2f} mm < 7.32 mm"


@pytest.mark.parametrize("size", list(TextSize), ids=[s.name for s in TextSize])
def test_titles_are_larger_and_secondary_lines_never_larger_than_body_text(
    qapp: object, size: TextSize
) -> None:
    fonts = _font_sizes(size, ScreenMetrics())
    assert fonts.small <= fonts.body < fonts.title


@pytest.mark.parametrize("size", list(TextSize), ids=[s.name for s in TextSize])
def test_secondary_lines_are_never_below_ada_707(qapp: object, size: TextSize) -> None:
    metrics = ScreenMetrics()
    measured = _cap_height_mm(_font_sizes(size, metrics).small, metrics)
    assert measured >= ADA_707_CHARACTER_MM, f"{size.name}: secondary text {measured:.2f} mm"
