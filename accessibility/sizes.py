"""Physical sizes: millimetres on the real screen, text size levels, touch targets.

Everything a resident sees is sized in millimetres of the actual panel, not in pixels:
a 15 mm button is 15 mm on a 15-inch or a 27-inch terminal. See docs/accessibility.md.
"""

from __future__ import annotations

import enum
import math
from typing import NamedTuple

MM_PER_INCH = 25.4
# A 21.5-inch 1920x1080 panel, the usual kiosk screen, when the screen does not say.
DEFAULT_MM_PER_PIXEL = 0.248
# Below 50 or above 400 dots per inch, a reported density is a placeholder, not a fact.
_PLAUSIBLE_DPI = (50.0, 400.0)

TOUCH_TARGET_MM = 15.0  # studies of older users: errors rise below 10 mm, best near 16 mm
TOUCH_SPACING_MM = 3.0
FOCUS_OUTLINE_MM = 1.2  # a thick, visible focus ring


class TextSize(enum.Enum):
    """The text size levels a resident can choose; the value is the body cap height in mm.

    NORMAL already meets ADA 707's 4.8 mm characters; LARGEST meets EN 301 549 5.1.4 at
    600 mm (cap height >= 0.0122 x distance = 7.32 mm).
    """

    NORMAL = 4.8
    LARGE = 6.0
    LARGEST = 7.4

    @property
    def cap_height_mm(self) -> float:
        return self.value


# Relative cap heights of the text roles, as multiples of the body text.
TITLE_SCALE = 1.45
SMALL_SCALE = 0.85  # secondary lines; ui.style never lets them go below NORMAL's body


def mm_per_pixel_from_dpi(dpi: float) -> float:
    """Millimetres per pixel for a reported density, or the default panel's when implausible."""
    if not math.isfinite(dpi) or not _PLAUSIBLE_DPI[0] <= dpi <= _PLAUSIBLE_DPI[1]:
        return DEFAULT_MM_PER_PIXEL
    return MM_PER_INCH / dpi


class ScreenMetrics(NamedTuple):
    """Conversion between millimetres and pixels for one screen (a named tuple: cheaper to
    build at start than a frozen dataclass)."""

    mm_per_pixel: float = DEFAULT_MM_PER_PIXEL

    def px(self, mm: float) -> int:
        """Whole pixels covering at least ``mm`` millimetres."""
        return math.ceil(mm / self.mm_per_pixel - 1e-9)

    def mm(self, px: float) -> float:
        return px * self.mm_per_pixel

    @property
    def touch_target_px(self) -> int:
        return self.px(TOUCH_TARGET_MM)

    @property
    def touch_spacing_px(self) -> int:
        return self.px(TOUCH_SPACING_MM)

    def cap_height_px(self, size: TextSize, scale: float = 1.0) -> float:
        return size.cap_height_mm * scale / self.mm_per_pixel
