"""Fonts: Atkinson Hyperlegible (designed for low vision), DejaVu Sans as fallback.

Atkinson Hyperlegible has no Arabic letters; Qt then falls back to DejaVu Sans, which has.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

_log = logging.getLogger(__name__)
PRIMARY_FAMILY = "Atkinson Hyperlegible"
FALLBACK_FAMILIES = ("DejaVu Sans", "Sans Serif")
# Regular and bold only: the kiosk writes nothing in italics, and each face costs
# start-up time and memory.
FACES = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")


@functools.cache
def load_fonts() -> tuple[str, ...]:
    """Register the bundled fonts once; return the families to use, best first."""
    try:
        import fontpkg_atkinson_hyperlegible as atkinson

        for name in FACES:
            if QFontDatabase.addApplicationFont(str(atkinson.ROOT / "files" / name)) < 0:
                _log.warning("cannot load font file %s", name)
    except ImportError:
        _log.warning("Atkinson Hyperlegible is not installed; using %s", FALLBACK_FAMILIES[0])
    families = [f for f in (PRIMARY_FAMILY, *FALLBACK_FAMILIES) if f in QFontDatabase.families()]
    return tuple(families) or FALLBACK_FAMILIES


def kiosk_font(pixel_size: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(list(load_fonts()))
    font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    return font


@functools.cache
def cap_height_ratio() -> float:
    """Cap height of the kiosk font as a fraction of its pixel size (measured, not assumed)."""
    return QFontMetricsF(kiosk_font(200)).capHeight() / 200


def pixel_size_for_cap_height(cap_height_px: float) -> int:
    """The smallest whole pixel size whose capital letters are at least ``cap_height_px`` tall."""
    size = max(1, int(cap_height_px / cap_height_ratio()))
    while QFontMetricsF(kiosk_font(size)).capHeight() < cap_height_px:
        size += 1
    return size
