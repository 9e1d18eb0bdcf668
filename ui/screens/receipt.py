"""The receipt: a reference to keep, what was sent where, what happens next, a QR code.

"Terminer" waits ``FINISH_DELAY_MS`` before it can be pressed (greyed, and "unavailable"
to a screen reader, meanwhile): a visit never ends before its reference was seen. The
focus starts on the reference. The idle question and the mediator can still end it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.screen_reader import Heading
from ui.screens.frame import answer_scroll_area, screen_layout
from ui.widgets.qr_code import QrCodeWidget

QR_SIDE_MM = 50.0  # large enough for an old phone's camera at arm's length
FINISH_DELAY_MS = 3000  # enough to see that a number appeared, short enough not to wait


@dataclass(frozen=True)
class ReceiptView:
    """What the receipt shows; nothing personal (the answers are already wiped)."""

    reference: str
    demarche_title: str
    service_name: str
    next_steps: str
    tracking: str  # the tracking address (the QR code's), or "" when there is none
    delivered: bool
    on_phone: bool = False  # a draft the resident finishes on their phone (FranceConnect)


def phone_steps(*, ready: bool) -> str:
    """What a resident does to finish a FranceConnect démarche on their phone (FALC)."""
    first = _("Pour finir, connectez-vous avec FranceConnect sur votre téléphone.")
    if ready:
        # w.c.s.'s temporary access link lasts 5 minutes and is not single use
        # (docs/back-office.md, "How w.c.s. does it").
        return first + " " + _("Photographiez ce code avec votre téléphone. "
                               "Le code marche pendant 5 minutes.")
    return first + " " + _("Un code va apparaître ici quand la demande sera à la mairie. "
                           "Photographiez-le avec votre téléphone.")


class ReceiptScreen(QWidget):
    """The end of a démarche.

    Signals:
        finished: "Terminer" (the visit is wiped).
        print_requested: "Imprimer" (shown only when a printer is configured).
    """

    finished = Signal()
    print_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.view: ReceiptView | None = None
        self.title = Heading(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.reference_caption = QLabel(self)
        self.reference = QLabel(self)
        self.reference.setProperty("role", "reference")
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.reference.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # The first focus stop: where a keypad user lands while "Terminer" waits.
        self.reference.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.reference_hint = QLabel(self)
        self.reference_hint.setWordWrap(True)
        self.sent_to = QLabel(self)
        self.sent_to.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setProperty("role", "banner")
        self.next_steps = QLabel(self)
        self.next_steps.setWordWrap(True)
        self.phone_steps = QLabel(self)
        self.phone_steps.setWordWrap(True)
        self.phone_steps.setProperty("role", "banner")
        self.phone_steps.hide()
        self.qr = QrCodeWidget(metrics, parent=self)
        self.qr.setFixedSize(metrics.px(QR_SIDE_MM), metrics.px(QR_SIDE_MM))
        self.qr_caption = QLabel(self)
        self.qr_caption.setWordWrap(True)
        self.qr_caption.setProperty("role", "muted")
        self.finish = QPushButton(self)
        self.finish.setProperty("role", "primary")
        self.finish.setProperty("sizing", "wide")
        self.finish.clicked.connect(self.finished)
        self._finish_delay = QTimer(self)
        self._finish_delay.setSingleShot(True)
        self._finish_delay.setInterval(FINISH_DELAY_MS)
        self._finish_delay.timeout.connect(lambda: self.finish.setEnabled(True))
        self.print_button = QPushButton(self)
        self.print_button.setProperty("sizing", "wide")
        self.print_button.clicked.connect(self.print_requested)
        self.print_button.hide()
        self.print_status = QLabel(self)
        self.print_status.setWordWrap(True)
        self._scroll = answer_scroll_area(self)
        self._lay_out(metrics)
        self.retranslate()

    def _lay_out(self, metrics: ScreenMetrics) -> None:
        """Title; the text beside the QR code; "Imprimer" and "Terminer" at the bottom.

        The text and the QR code scroll between the title and the buttons: at the
        largest text on a small panel (1280x800) they need more height than there is,
        and "Terminer" must stay in reach. The reference comes first, in sight at once.
        """
        text_column = QVBoxLayout()
        text_column.setSpacing(metrics.px(3))
        for widget in (self.reference_caption, self.reference, self.reference_hint,
                       self.sent_to, self.status, self.phone_steps, self.next_steps):
            text_column.addWidget(widget)
        text_column.addStretch(1)
        qr_column = QVBoxLayout()
        qr_column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        qr_column.addWidget(self.qr_caption)
        qr_column.addStretch(1)
        content = QWidget()
        content.setProperty("role", "screen")
        body = QGridLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.setHorizontalSpacing(metrics.px(12))
        body.addLayout(text_column, 0, 0)
        body.addLayout(qr_column, 0, 1)
        body.setColumnStretch(0, 3)
        body.setColumnStretch(1, 1)

        layout = screen_layout(self, metrics)
        layout.addWidget(self.title)
        self._scroll.setWidget(content)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._scroll.more_below)
        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.print_status, 1)
        actions.addWidget(self.finish)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.title.setText(_("Votre demande est enregistrée."))
        self.setAccessibleName(self.title.text())
        self.reference_caption.setText(_("Votre numéro de demande :"))
        self.reference_hint.setText(_("Notez ce numéro. Il sert à suivre votre demande."))
        self.qr_caption.setText(_("Avec un téléphone, vous pouvez photographier ce code."))
        self.finish.setText(_("Terminer"))
        self.finish.setAccessibleName(_("Terminer"))
        self.print_button.setText(_("Imprimer"))
        self.print_button.setAccessibleName(_("Imprimer"))
        self.qr.setAccessibleName(_("Code QR du suivi"))
        self._scroll.retranslate()
        if self.view is not None:
            self._fill(self.view)

    def show_receipt(self, view: ReceiptView) -> None:
        """A new receipt: its reference has the focus, "Terminer" waits a moment."""
        self._fill(view)
        self.finish.setEnabled(False)
        self._finish_delay.start()
        self.reference.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, view: ReceiptView) -> None:
        self.view = view
        self.reference.setText(view.reference)
        self.reference.setAccessibleName(view.reference)
        self.sent_to.setText(
            _("Votre demande « {demarche} » va au service : {service}.").format(
                demarche=view.demarche_title, service=view.service_name
            )
        )
        self.sent_to.setVisible(bool(view.demarche_title))
        self.next_steps.setText(view.next_steps)
        self.show_tracking(view.tracking)
        self.show_delivery(view.delivered)

    def show_tracking(self, address: str) -> None:
        """The QR code leads to ``address``; without one there is no QR code."""
        if self.view is not None and self.view.tracking != address:
            self.view = ReceiptView(**{**self.view.__dict__, "tracking": address})
        reference = self.view.reference if self.view is not None else ""
        self.qr.set_data(address, description=_("Page de suivi de la demande {reference}")
                         .format(reference=reference))
        self.qr.setVisible(bool(address))
        self.qr_caption.setVisible(bool(address))
        on_phone = self.view is not None and self.view.on_phone
        self.phone_steps.setVisible(on_phone)
        if on_phone:
            self.phone_steps.setText(phone_steps(ready=bool(address)))

    def show_delivery(self, delivered: bool) -> None:
        """Say whether the request already reached the town hall, in plain words."""
        if self.view is not None and self.view.delivered != delivered:
            self.view = ReceiptView(**{**self.view.__dict__, "delivered": delivered})
        self.status.setText(
            _("C'est fait : la mairie a bien reçu votre demande.")
            if delivered
            else _("Votre demande partira à la mairie dès que possible. "
                   "Vous n'avez rien à faire. Elle est gardée en sécurité.")
        )

    def offer_printing(self, available: bool) -> None:
        self.print_button.setVisible(available)
        self.print_status.clear()

    def show_print_result(self, printed: bool) -> None:
        self.print_status.setText(
            _("Votre reçu est imprimé. Prenez-le.")
            if printed
            else _("L'impression ne marche pas. Notez le numéro, ou demandez de l'aide.")
        )

    def printed_lines(self) -> list[str]:
        """The receipt's lines as printed (reference apart)."""
        return [self.reference_hint.text(), self.sent_to.text(), self.next_steps.text()]

    def clear(self) -> None:
        self.view = None
        self._finish_delay.stop()
        self.print_status.clear()
        for label in (self.reference, self.sent_to, self.next_steps):
            label.clear()
            label.setAccessibleName("")  # a screen reader must not find the last reference
        self.qr.set_data("")
