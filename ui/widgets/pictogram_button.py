"""Big buttons with a pictogram beside a text that wraps onto several lines.

A QPushButton cannot wrap its text: a long title ("Acte de naissance, de mariage ou de
décès") in a large font would be cut. This button draws its pictogram and text with
labels inside it instead; it keeps the button's role, name, focus and click for
screen readers and keyboards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.pictograms import pictogram_pixmap
from ui.typography import show_text


class PictogramButton(QPushButton):
    """A checkable-or-not button: pictogram, title and an optional line of description.

    The labels inside take the button's own text colour (checked, themes), and the
    pictogram is redrawn in it whenever the style or state changes.
    """

    def __init__(
        self,
        text: str,
        pictogram: Path | None,
        icon_px: int,
        parent: QWidget | None = None,
        *,
        description: str = "",
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(text)
        if description:
            self.setAccessibleDescription(description)
        self._pictogram = pictogram
        self._pictogram_colour = ""
        self._icon_px = icon_px
        self._text = text
        # Only the labels this tile shows: each widget made costs a polish under the
        # application's stylesheet (a choice of ten streets has neither pictograms nor
        # descriptions; bench/navigation.py).
        self._icon: QLabel | None = None
        if pictogram is not None:
            self._icon = QLabel(self)
            self._icon.setFixedSize(QSize(icon_px, icon_px))
        self.title = QLabel(self)
        show_text(self.title, text)
        self.title.setWordWrap(True)
        self.title.setProperty("role", "tileTitle")
        self.description: QLabel | None = None
        if description:
            self.description = QLabel(self)
            show_text(self.description, description)
            self.description.setWordWrap(True)
            self.description.setProperty("role", "tileDescription")
        for label in self._labels():
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row = QHBoxLayout(self)
        margin = max(8, icon_px // 5)
        row.setContentsMargins(margin, margin // 2, margin, margin // 2)
        row.setSpacing(margin)
        if self._icon is not None:
            row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        if self.description is None:
            row.addWidget(self.title, 1)
        else:
            texts = QVBoxLayout()
            texts.setSpacing(2)
            texts.addWidget(self.title)
            texts.addWidget(self.description)
            row.addLayout(texts, 1)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.toggled.connect(self._mark_checked)

    def text(self) -> str:
        return self._text

    def _labels(self) -> list[QLabel]:
        return [label for label in (self._icon, self.title, self.description) if label]

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.heightForWidth(width) if layout is not None else -1

    def _mark_checked(self, checked: bool) -> None:
        """Checked: a tick before the title (colour alone must not carry meaning, WCAG
        1.4.1) and the stylesheet's checked colours (``checked`` property)."""
        show_text(self.title, f"✓ {self._text}" if checked else self._text)
        for label in (self.title, self.description):
            if label is None:
                continue
            label.setProperty("checked", checked)
            label.style().unpolish(label)
            label.style().polish(label)
        self._refresh_pictogram()

    def _refresh_pictogram(self) -> None:
        """Draw the pictogram in the colour the stylesheet gives the title."""
        if self._pictogram is None or self._icon is None:
            return
        colour = self.title.palette().color(QPalette.ColorRole.WindowText).name()
        if colour != self._pictogram_colour:
            self._pictogram_colour = colour
            self._icon.setPixmap(pictogram_pixmap(self._pictogram, colour, self._icon_px))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self._refresh_pictogram()

    def showEvent(self, event: QShowEvent) -> None:
        self._refresh_pictogram()
        super().showEvent(event)
