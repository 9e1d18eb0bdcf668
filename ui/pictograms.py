"""Pictograms: the catalog's SVG files drawn in the theme's text colour.

The SVGs use ``currentColor``; Qt would draw it black, which vanishes on the dark and
high-contrast themes, so the colour is written into the SVG before rendering.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer


@functools.lru_cache(maxsize=256)
def _svg_bytes(path: Path) -> bytes:
    return path.read_bytes()


@functools.lru_cache(maxsize=512)
def pictogram_pixmap(path: Path, colour: str, side: int) -> QPixmap:
    """The pictogram at ``path`` as a square pixmap of ``side`` pixels in ``colour``."""
    pixmap = QPixmap(QSize(side, side))
    pixmap.fill(Qt.GlobalColor.transparent)
    try:
        svg = _svg_bytes(path).replace(b"currentColor", colour.encode("ascii"))
    except OSError:
        return pixmap  # a missing picture must not stop a démarche; the text is there
    renderer = QSvgRenderer(QByteArray(svg))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return pixmap


def pictogram_icon(path: Path, colour: str, side: int) -> QIcon:
    return QIcon(pictogram_pixmap(path, colour, side))
