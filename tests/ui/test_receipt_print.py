"""A receipt on paper: the printing path writes a one-page PDF holding the reference."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.sample_answers import sample_answer
from tests.a11y import press


def _send_street_report(kiosk) -> str:
    kiosk.start_visit()
    guide = kiosk.guide
    guide.start_demarche("signalement-rue")
    while guide.session is not None and guide.session.current is not None:
        guide.question.editor.set_value(sample_answer(guide.session.current))
        guide.question.navigation.next.click()
    guide.review.navigation.next.click()
    return guide.receipt.view.reference


def test_the_receipt_prints_as_a_pdf_with_its_reference(make_kiosk, tmp_path: Path):
    folder = tmp_path / "receipts"
    kiosk = make_kiosk(printer=f"pdf:{folder}")
    reference = _send_street_report(kiosk)
    press(kiosk.window, "Imprimer")
    pdf = folder / f"recu-{reference}.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Count 1" in data  # one A4 page
    assert kiosk.guide.receipt.print_status.text() == "Votre reçu est imprimé. Prenez-le."


def test_no_printer_no_print_button(make_kiosk):
    kiosk = make_kiosk()
    _send_street_report(kiosk)
    assert not kiosk.guide.receipt.print_button.isVisible()


def test_an_unknown_printer_says_so_calmly(make_kiosk):
    kiosk = make_kiosk(printer="no-such-printer")
    _send_street_report(kiosk)
    press(kiosk.window, "Imprimer")
    assert "Notez le numéro" in kiosk.guide.receipt.print_status.text()
    assert dataclasses.is_dataclass(kiosk.guide.receipt.view)


def _broken(self, delivered):
    if self.view is not None and self.view.demarche_title:
        raise KeyError("service")


def test_a_failing_receipt_still_gives_the_reference_and_never_sends_twice(
    make_kiosk, monkeypatch
):
    kiosk = make_kiosk()
    guide = kiosk.guide
    kiosk.start_visit()
    guide.start_demarche("signalement-rue")

    while guide.session is not None and guide.session.current is not None:
        guide.question.editor.set_value(sample_answer(guide.session.current))
        guide.question.navigation.next.click()
    # The receipt cannot be built (e.g. a service missing): the reference must still show.
    monkeypatch.setattr(type(guide.receipt), "show_delivery", _broken)
    guide.review.navigation.next.click()
    assert guide.session is None  # the answers are gone: "Envoyer" cannot send again
    assert guide.receipt.reference.text() == guide.receipt.view.reference
    assert kiosk.window.screens.currentWidget() is guide.receipt
    assert len(kiosk.delivery.store.items()) == 1



def test_a_draft_to_finish_on_the_phone_says_so_before_and_after_its_code(
    make_kiosk, tmp_path: Path
):
    """A FranceConnect démarche: until w.c.s. gives the draft's page, no QR code and a
    sentence saying one will come; then the code, and the sentence says to photograph it."""
    kiosk = make_kiosk()
    _send_street_report(kiosk)
    receipt = kiosk.guide.receipt
    view = dataclasses.replace(receipt.view, tracking="", on_phone=True)
    receipt.show_receipt(view)
    assert not receipt.qr.isVisible()
    assert receipt.phone_steps.isVisible()
    assert "Un code va apparaître ici" in receipt.phone_steps.text()
    receipt.show_tracking("https://demarches.mairie.example/badge/12/")
    assert receipt.qr.isVisible()
    assert receipt.qr.text == "https://demarches.mairie.example/badge/12/"
    assert "Photographiez ce code" in receipt.phone_steps.text()
    receipt.grab().save(str(tmp_path / "receipt-on-phone.png"))
    kiosk.set_language("ar")
    assert "FranceConnect" in receipt.phone_steps.text()
    receipt.grab().save(str(tmp_path / "receipt-on-phone-ar.png"))
