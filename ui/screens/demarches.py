"""The list of démarches: large tiles (pictogram + short title), grouped by category."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.screen_reader import Heading
from ui.screens.frame import NavigationBar, answer_scroll_area, chain_focus, screen_layout
from ui.typography import show_text
from ui.widgets.pictogram_button import PictogramButton

TILE_ICON_MM = 16.0
COLUMNS = 2


@dataclass(frozen=True)
class Tile:
    """One démarche as the list shows it, already in the resident's language."""

    demarche_id: str
    title: str
    description: str
    pictogram: Path


@dataclass(frozen=True)
class TileGroup:
    title: str
    tiles: tuple[Tile, ...]


class DemarchesScreen(QWidget):
    """Choose what to do.

    Signals:
        demarche_chosen(str): a démarche id.
        back_requested: "Retour" (to the welcome screen).
    """

    demarche_chosen = Signal(str)
    back_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.metrics = metrics
        self.title = Heading(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self._scroll = answer_scroll_area(self)
        self.navigation = NavigationBar(metrics, self)
        self.navigation.abandon.hide()  # nothing to abandon yet
        self.navigation.next.hide()
        self.navigation.back.clicked.connect(self.back_requested)
        layout = screen_layout(self, metrics)
        layout.addWidget(self.title)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._scroll.more_below)
        layout.addWidget(self.navigation)
        self.retranslate()

    def retranslate(self) -> None:
        show_text(self.title, _("Que voulez-vous faire ?"))
        self.setAccessibleName(self.title.accessibleName())
        self.navigation.retranslate()
        self._scroll.retranslate()

    def show_groups(self, groups: tuple[TileGroup, ...]) -> None:
        """Replace the tiles (on start, and when the language or the catalog changes)."""
        content = QWidget()
        content.setProperty("role", "screen")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self.metrics.px(4))
        for group in groups:
            heading = Heading(content)
            show_text(heading, group.title)
            heading.setWordWrap(True)
            column.addWidget(heading)
            grid = QGridLayout()
            grid.setSpacing(self.metrics.touch_spacing_px * 2)
            for index, tile in enumerate(group.tiles):
                grid.addWidget(self._tile(tile, content), index // COLUMNS, index % COLUMNS)
            for col in range(COLUMNS):
                grid.setColumnStretch(col, 1)
            column.addLayout(grid)
        column.addStretch(1)
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(content)
        chain_focus((*content.findChildren(PictogramButton), *self.navigation.buttons()))

    def _tile(self, tile: Tile, parent: QWidget) -> PictogramButton:
        button = PictogramButton(
            tile.title,
            tile.pictogram,
            self.metrics.px(TILE_ICON_MM),
            parent,
            description=tile.description,
        )
        button.setProperty("role", "tile")
        key = tile.demarche_id
        button.clicked.connect(lambda _c=False, key=key: self.demarche_chosen.emit(key))
        return button

    def focus_first(self) -> None:
        content = self._scroll.widget()
        tiles = content.findChildren(PictogramButton) if content else []
        if tiles:
            tiles[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def spoken_text(self) -> str:
        content = self._scroll.widget()
        tiles = content.findChildren(PictogramButton) if content else []
        title = self.title.accessibleName()
        parts = [title, *(t.text() for t in tiles), self._scroll.spoken_hint()]
        return ". ".join(part for part in parts if part)
