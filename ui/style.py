"""The look of the kiosk: one stylesheet built from a theme, a text size and the screen.

Screens never pick colours or pixel sizes themselves; they mark widgets with a ``role``
property (``primary``, ``danger``, ``title``...) and this module styles every role. A
label with ``align="center"`` is centred: the welcome screen's way, since it may not use
``Qt.AlignmentFlag`` (see ``ui.screens.welcome``).
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtWidgets import QApplication, QWidget

from accessibility.sizes import (
    FOCUS_OUTLINE_MM,
    SMALL_SCALE,
    TITLE_SCALE,
    ScreenMetrics,
    TextSize,
)
from accessibility.themes import THEMES, Theme, ThemeName
from ui.fonts import kiosk_font, pixel_size_for_cap_height


class Appearance(NamedTuple):
    """What a resident chose for this visit (reset when the session is wiped).

    Named tuples here, not frozen dataclasses: as immutable, cheaper to build at start.
    """

    theme: ThemeName = ThemeName.DEFAULT
    text_size: TextSize = TextSize.NORMAL

    def with_theme(self, theme: ThemeName) -> Appearance:
        return self._replace(theme=theme)

    def with_text_size(self, size: TextSize) -> Appearance:
        return self._replace(text_size=size)


class FontSizes(NamedTuple):
    """Pixel sizes of the text roles for one appearance on one screen."""

    body: int
    title: int
    small: int

    @classmethod
    def for_appearance(cls, appearance: Appearance, metrics: ScreenMetrics) -> FontSizes:
        def size(scale: float) -> int:
            return pixel_size_for_cap_height(metrics.cap_height_px(appearance.text_size, scale))

        # Secondary lines are smaller than the body, but never below the NORMAL body
        # (ADA 707's 4.8 mm): in NORMAL they are simply body-sized.
        floor = TextSize.NORMAL.cap_height_mm / appearance.text_size.cap_height_mm
        return cls(
            body=size(1.0), title=size(TITLE_SCALE), small=size(max(SMALL_SCALE, floor))
        )


def build_stylesheet(appearance: Appearance, metrics: ScreenMetrics) -> str:
    t: Theme = THEMES[appearance.theme]
    fonts = FontSizes.for_appearance(appearance, metrics)
    target = metrics.touch_target_px
    outline = metrics.px(FOCUS_OUTLINE_MM)
    radius = metrics.px(2.0)
    pad = metrics.px(3.0)
    return f"""
* {{ font-size: {fonts.body}px; }}
QWidget#kioskRoot, QStackedWidget, QWidget[role="screen"] {{
    background: {t.background}; color: {t.on_background};
}}
QLabel {{ color: {t.on_background}; background: transparent; }}
QLabel[align="center"] {{ qproperty-alignment: AlignCenter; }}
QWidget[role="bar"] {{
    background: {t.surface}; border-bottom: {max(2, outline // 2)}px solid {t.border};
}}
QWidget[role="bar"] QLabel {{ color: {t.on_surface}; }}
QLabel[role="title"] {{ font-size: {fonts.title}px; font-weight: bold; }}
QLabel[role="reference"] {{
    font-size: {int(fonts.title * 1.5)}px; font-weight: bold; color: {t.on_surface};
    background: {t.surface}; border: {outline}px solid {t.border};
    border-radius: {radius}px; padding: {pad}px {pad * 2}px;
}}
QLabel[role="reference"]:focus {{ border-color: {t.focus}; }}
QLabel[role="answer"] {{
    font-size: {fonts.title}px; color: {t.on_surface}; background: {t.surface};
    border: {outline}px solid {t.border}; border-radius: {radius}px; padding: {pad * 2}px;
}}
QLabel[role="answer"]:focus {{ border-color: {t.focus}; }}
QLabel[role="heading"] {{ font-weight: bold; }}
QLabel[role="notice"] {{ border: {outline}px solid transparent; }}
QLabel[role="notice"]:focus {{ border-color: {t.focus}; }}
QLabel[role="muted"] {{ color: {t.muted}; font-size: {fonts.small}px; }}
QLabel[role="error"] {{
    background: {t.error_surface}; color: {t.on_error_surface};
    border: {outline}px solid {t.danger}; border-radius: {radius}px; padding: {pad}px;
}}
QLabel[role="banner"] {{
    background: {t.secondary}; color: {t.on_secondary}; padding: {pad}px;
}}
QFrame[role="card"] {{
    background: {t.surface}; color: {t.on_surface};
    border: {max(2, outline // 2)}px solid {t.border}; border-radius: {radius * 2}px;
}}
QFrame[role="card"] QLabel {{ color: {t.on_surface}; }}
QWidget[role="cardContent"] {{ background: {t.surface}; }}
QWidget[role="backdrop"] {{ background: rgba(0, 0, 0, 170); }}
QWidget[role="cover"] {{ background: {t.background}; }}
QPushButton {{
    min-height: {target}px; min-width: {target}px;
    padding: {pad // 2}px {pad}px;
    background: {t.secondary}; color: {t.on_secondary};
    border: {max(2, outline // 2)}px solid {t.border}; border-radius: {radius}px;
}}
QPushButton[role="primary"] {{
    background: {t.primary}; color: {t.on_primary}; font-weight: bold;
    border-color: {t.primary};
}}
QPushButton[role="danger"] {{
    background: {t.danger}; color: {t.on_danger}; border-color: {t.danger};
}}
QPushButton[sizing="hero"] {{
    min-height: {metrics.px(26.0)}px; min-width: {metrics.px(110.0)}px;
    font-size: {fonts.title}px;
}}
QPushButton[sizing="wide"] {{ min-width: {metrics.px(80.0)}px; }}
QPushButton[sizing="key"] {{ min-height: {metrics.px(17.0)}px; min-width: {metrics.px(24.0)}px; }}
QPushButton#keyboardKey {{
    min-width: 0; min-height: {target}px; padding: 0; border-width: {outline}px;
}}
QPushButton#keyboardKey[shiftState="once"], QPushButton#keyboardKey[shiftState="locked"] {{
    background: {t.primary}; color: {t.on_primary};
}}
/* A touched key (touch and confirm) looks like the keypad's highlighted key. Keys always
   have this border's width, so a highlight changes colours, never a key's size (a wider
   border made the key grow until it touched its neighbours). */
QPushButton#keyboardKey[highlighted="true"], QPushButton#keyboardKey[explored="true"] {{
    background: {t.on_background}; color: {t.background};
    border: {outline}px solid {t.focus}; font-weight: bold;
}}
QPushButton[role="tile"] {{
    background: {t.surface}; color: {t.on_surface}; text-align: left;
    border: {max(2, outline // 2)}px solid {t.border}; border-radius: {radius * 2}px;
}}
QPushButton[role="tile"] QLabel {{ color: {t.on_surface}; }}
QLabel[role="tileTitle"] {{ font-weight: bold; }}
QLabel[role="tileDescription"] {{ font-size: {fonts.small}px; }}
QLabel[role="tileTitle"][checked="true"], QLabel[role="tileDescription"][checked="true"] {{
    color: {t.on_primary};
}}
QPushButton:checked {{
    background: {t.primary}; color: {t.on_primary}; border-color: {t.on_background};
}}
QPushButton:focus, QLineEdit:focus, QPlainTextEdit:focus {{
    border: {outline}px solid {t.focus};
}}
QPushButton:disabled {{
    color: {t.muted}; background: {t.background}; border-style: dashed;
}}
QLineEdit, QPlainTextEdit {{
    min-height: {target}px; padding: 0 {pad}px;
    background: {t.surface}; color: {t.on_surface};
    border: {max(2, outline // 2)}px solid {t.border}; border-radius: {radius}px;
    selection-background-color: {t.primary}; selection-color: {t.on_primary};
}}
QProgressBar {{
    min-height: {metrics.px(4.0)}px; border: 2px solid {t.border};
    border-radius: {radius}px; background: {t.surface}; text-align: center;
    color: {t.on_surface};
}}
QProgressBar::chunk {{ background: {t.primary}; }}
QScrollBar:vertical {{ width: {target}px; background: {t.surface}; }}
QScrollBar::handle:vertical {{ background: {t.border}; min-height: {target}px; }}
QLabel[role="logo"] {{ background: #ffffff; border-radius: {radius}px; }}
QLabel[role="more"] {{
    background: {t.secondary}; color: {t.on_secondary}; font-weight: bold; padding: {pad // 2}px;
}}
QPushButton[explored="true"], QLineEdit[explored="true"], QPlainTextEdit[explored="true"],
QLabel[explored="true"] {{
    border: {outline * 2}px solid {t.focus}; border-radius: {radius}px;
}}
"""


def apply_appearance(
    app: QApplication, window: QWidget, appearance: Appearance, metrics: ScreenMetrics
) -> None:
    """Restyle the whole kiosk at once: every screen, every overlay.

    The stylesheet goes on the kiosk's window, not on the application: every widget of
    the kiosk is inside it (overlays and cards are its children), and Qt restyles a
    window's tree more than twice as fast as the same sheet set on the application
    (bench/restyle.py). A widget shown as a window of its own would not be styled. The
    font (its families; the sizes come from the stylesheet) stays the application's:
    changing it costs under a millisecond.
    """
    fonts = FontSizes.for_appearance(appearance, metrics)
    app.setFont(kiosk_font(fonts.body))
    window.setStyleSheet(build_stylesheet(appearance, metrics))
