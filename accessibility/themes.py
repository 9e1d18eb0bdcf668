"""Colour themes and the contrast maths of WCAG 2.1 (1.4.3, 1.4.6, 1.4.11)."""

from __future__ import annotations

import enum
from typing import NamedTuple

AA_TEXT = 4.5
AAA_TEXT = 7.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected a colour like #1a2b3c, got {hex_colour!r}")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


class ThemeName(enum.Enum):
    DEFAULT = "default"
    HIGH_CONTRAST = "high_contrast"
    DARK = "dark"


class Theme(NamedTuple):
    """The colours of one theme; each ``on_x`` colour is the text drawn on ``x``.

    A named tuple, not a frozen dataclass: as immutable, and built in a tenth of the time
    at every start (docs/performance.md).
    """

    name: ThemeName
    background: str
    on_background: str
    surface: str  # cards, tiles, fields
    on_surface: str
    muted: str  # secondary text, on background
    primary: str  # main action buttons
    on_primary: str
    secondary: str  # other buttons
    on_secondary: str
    danger: str  # "Abandonner", errors
    on_danger: str
    error_surface: str  # behind an error message
    on_error_surface: str
    focus: str  # the thick focus outline, against background and surface
    border: str  # field and tile borders (non-text contrast >= 3:1)

    @property
    def minimum_text_contrast(self) -> float:
        return AAA_TEXT if self.name is ThemeName.HIGH_CONTRAST else AA_TEXT

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(name, foreground, background) of every text colour on its background."""
        pairs = []
        for name in self._fields:
            if name.startswith("on_"):
                base = name.removeprefix("on_")
                pairs.append((base, getattr(self, name), getattr(self, base)))
        pairs.append(("muted", self.muted, self.background))
        return pairs


THEMES: dict[ThemeName, Theme] = {
    ThemeName.DEFAULT: Theme(
        name=ThemeName.DEFAULT,
        background="#f4f1ea",
        on_background="#1b1b1b",
        surface="#ffffff",
        on_surface="#1b1b1b",
        muted="#4a4a4a",
        primary="#0b4f8a",
        on_primary="#ffffff",
        secondary="#e1e8f0",
        on_secondary="#0b2c4a",
        danger="#a4262c",
        on_danger="#ffffff",
        error_surface="#fde7e7",
        on_error_surface="#7a1116",
        focus="#c2410c",
        border="#5c6670",
    ),
    ThemeName.HIGH_CONTRAST: Theme(
        name=ThemeName.HIGH_CONTRAST,
        background="#000000",
        on_background="#ffffff",
        surface="#000000",
        on_surface="#ffffff",
        muted="#ffffff",
        primary="#ffff00",
        on_primary="#000000",
        secondary="#000000",
        on_secondary="#ffff00",
        danger="#ffffff",
        on_danger="#000000",
        error_surface="#000000",
        on_error_surface="#ffff00",
        focus="#00ffff",
        border="#ffffff",
    ),
    ThemeName.DARK: Theme(
        name=ThemeName.DARK,
        background="#16181d",
        on_background="#f2f2f2",
        surface="#23262d",
        on_surface="#f2f2f2",
        muted="#c7c9cf",
        primary="#8cc4ff",
        on_primary="#0a1a2b",
        secondary="#2f3540",
        on_secondary="#e8eefc",
        danger="#ff9a9a",
        on_danger="#2b0a0a",
        error_surface="#3a1d20",
        on_error_surface="#ffd0d0",
        focus="#ffb347",
        border="#9aa3ad",
    ),
}
