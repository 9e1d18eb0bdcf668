"""Mediator mode on screen: who is helping, the resident's consent, the mediator's panel.

These cards only draw what the application gives them and report what was pressed; who
may log in, what consent means and what the queue does are decided in kiosk.mediator
and wiring.mediation.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.overlays import Card


def _button(parent: QWidget, text: str, role: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text)
    if role:
        button.setProperty("role", role)
    return button


def _discard(widget: QWidget) -> None:
    """Off the screen (and out of the accessibility tree) now, deleted later."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class MediatorNamesCard(Card):
    """"Qui êtes-vous ?": the active mediators' names; the PIN pad comes next.

    Signals:
        mediator_chosen(str): a mediator id.
        cancelled.
    """

    mediator_chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self.metrics = metrics
        self._names = QWidget(self)
        self._grid = QGridLayout(self._names)
        self._grid.setSpacing(metrics.touch_spacing_px * 2)
        self._empty = QLabel(self)
        self._empty.setWordWrap(True)
        self._cancel = _button(self, "", "danger")
        self._cancel.clicked.connect(self.cancelled)
        self.body.addWidget(self._names)
        self.body.addWidget(self._empty)
        self.body.addWidget(self._cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Qui êtes-vous ?"))
        self._empty.setText(_("Aucun médiateur n'est inscrit sur cette borne."))
        self._cancel.setText(_("Annuler"))
        self._cancel.setAccessibleName(_("Annuler"))

    def show_names(self, mediators: list[tuple[str, str]]) -> None:
        """``mediators``: (id, display name) pairs, in the order to show."""
        while (item := self._grid.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                _discard(widget)
        for index, (mediator_id, name) in enumerate(mediators):
            button = _button(self._names, name)
            button.clicked.connect(lambda _c=False, key=mediator_id: self.mediator_chosen.emit(key))
            self._grid.addWidget(button, index // 3, index % 3)
        self._empty.setVisible(not mediators)


class ConsentCard(Card):
    """The resident's consent, shown and spoken, answered with one of two big buttons;
    "Mes droits" opens the notice of what is done with their data.

    Signals:
        accepted, refused, rights_requested.
    """

    accepted = Signal()
    refused = Signal()
    rights_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.accept = _button(self, "", "primary")
        self.refuse = _button(self, "")
        self.accept.clicked.connect(self.accepted)
        self.refuse.clicked.connect(self.refused)
        self.rights = _button(self, "")
        self.rights.clicked.connect(self.rights_requested)
        row = QHBoxLayout()
        row.setSpacing(metrics.px(8))
        row.addWidget(self.refuse)
        row.addWidget(self.accept)
        self.body.addWidget(self.text)
        self.body.addLayout(row)
        self.body.addWidget(self.rights, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_prompt(self, title: str, sentences: tuple[str, ...], accept: str, refuse: str) -> None:
        self.title.setText(title)
        self.text.setText("\n".join(sentences))
        rights = _("Mes droits")
        for button, label in ((self.accept, accept), (self.refuse, refuse), (self.rights, rights)):
            button.setText(label)
            button.setAccessibleName(label)
        self.accept.setFocus(Qt.FocusReason.OtherFocusReason)


@dataclass(frozen=True)
class FailedItem:
    """A request the back office refused, as the panel lists it (no personal data)."""

    item_id: str
    reference: str
    reason: str


@dataclass(frozen=True)
class PanelView:
    """What the mediator panel shows."""

    mediator_name: str
    delivery_lines: tuple[str, ...]
    failed: tuple[FailedItem, ...]
    figures: tuple[str, ...]
    private_listening: bool
    demarche_in_progress: bool = False  # the resident's consent can be asked (again)


class MediatorPanelCard(Card):
    """The mediator's tools: deliveries, failed requests, today's figures, the visit.

    Signals:
        retry_requested(str): an item id to send again.
        sync_requested: "Envoyer maintenant".
        private_listening_toggled(bool): headphones on/off for personal answers.
        end_visit_requested: "Terminer la visite" (wipes everything).
        consent_requested: "Demander l'accord" (the resident may change their mind).
        close_requested: "Fermer".
    """

    consent_requested = Signal()
    retry_requested = Signal(str)
    sync_requested = Signal()
    private_listening_toggled = Signal(bool)
    end_visit_requested = Signal()
    close_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self.setMaximumWidth(metrics.px(380))
        self.delivery = QLabel(self)
        self.delivery.setWordWrap(True)
        self._failed = QWidget(self)
        self._failed_grid = QGridLayout(self._failed)
        self._failed_grid.setContentsMargins(0, 0, 0, 0)
        self.figures = QLabel(self)
        self.figures.setWordWrap(True)
        self.sync = _button(self, "")
        self.sync.clicked.connect(self.sync_requested)
        self.private = _button(self, "")
        self.private.setCheckable(True)
        self.private.toggled.connect(self.private_listening_toggled)
        self.consent = _button(self, "")
        self.consent.clicked.connect(self.consent_requested)
        self.end_visit = _button(self, "", "danger")
        self.end_visit.clicked.connect(self.end_visit_requested)
        self.close_button = _button(self, "", "primary")
        self.close_button.clicked.connect(self.close_requested)
        tools = QHBoxLayout()
        tools.setSpacing(metrics.px(6))
        for button in (self.sync, self.private, self.consent):
            tools.addWidget(button)
        endings = QHBoxLayout()
        endings.setSpacing(metrics.px(6))
        endings.addWidget(self.end_visit)
        endings.addStretch(1)
        endings.addWidget(self.close_button)
        for widget in (self.delivery, self._failed, self.figures):
            self.body.addWidget(widget)
        self.body.addLayout(tools)
        self.body.addLayout(endings)
        self.retranslate()

    def retranslate(self) -> None:
        for button, text in (
            (self.sync, _("Envoyer maintenant")),
            (self.private, _("Écoute privée (casque)")),
            (self.consent, _("Demander l'accord")),
            (self.end_visit, _("Terminer la visite")),
            (self.close_button, _("Fermer")),
        ):
            button.setText(text)
            button.setAccessibleName(text)

    def show_view(self, view: PanelView) -> None:
        self.title.setText(_("Espace médiateur : {name}").format(name=view.mediator_name))
        self.delivery.setText("\n".join(view.delivery_lines))
        self.figures.setText("\n".join(view.figures))
        self.private.blockSignals(True)
        self.private.setChecked(view.private_listening)
        self.private.blockSignals(False)
        self.consent.setVisible(view.demarche_in_progress)
        while (item := self._failed_grid.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                _discard(widget)
        for row, failed in enumerate(view.failed):
            label = QLabel(f"{failed.reference} : {failed.reason}", self._failed)
            label.setWordWrap(True)
            retry = _button(self._failed, _("Réessayer {reference}").format(
                reference=failed.reference))
            key = failed.item_id
            retry.clicked.connect(lambda _c=False, key=key: self.retry_requested.emit(key))
            self._failed_grid.addWidget(label, row, 0)
            self._failed_grid.addWidget(retry, row, 1)
        self._failed.setVisible(bool(view.failed))
