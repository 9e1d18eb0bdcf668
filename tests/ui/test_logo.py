"""The commune's logo is seen on every theme (issue 12, item 8): its outline stands out
from the top bar by at least 3:1 (WCAG 1.4.11, graphical objects)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from accessibility.themes import THEMES, ThemeName, contrast_ratio
from ui.style import Appearance

DISTINCT = 1.5  # where the logo (or its plate) starts, seen from the bar


def outline_contrast(image: QImage, bar: str) -> float:
    """From the left edge, at mid-height, the first colour that differs from the bar's:
    the logo's outline (two pixels in, past the smoothing); its contrast with the bar."""
    y = image.height() // 2
    for x in range(image.width() // 2):
        if contrast_ratio(image.pixelColor(x, y).name(), bar) >= DISTINCT:
            return contrast_ratio(image.pixelColor(x + 2, y).name(), bar)
    return 1.0


@pytest.mark.parametrize("theme", list(ThemeName))
def test_the_logo_stands_out_from_the_bar(make_kiosk, theme: ThemeName) -> None:
    kiosk = make_kiosk()
    kiosk.set_appearance(Appearance(theme=theme))
    image = kiosk.window.top_bar.logo.grab().toImage()
    assert outline_contrast(image, THEMES[theme].surface) >= 3.0
