"""The street report end to end to the back offices communes run: a resident completes
"Un problème dans la rue" on the kiosk, choosing a street of the list; the fake Open311
server (a subprocess written from GeoReport v2) holds exactly one request with the
catalog's service code, the street's coordinates and the description; the same démarche
configured for Publik w.c.s. leaves exactly one form, under the catalog's varnames.
Then an agent sets the request's status on the fake, and "Où en est ma demande ?" shows
and speaks it. Open311 answering with a token: the status desk resolves it. The receipt's
QR code leads to the page w.c.s. gave for the form, else to the configured tracking
address, else there is none."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk import secrets
from kiosk.catalog.store import bundled_catalog_path
from kiosk.config import BackofficeSection, CatalogSection
from offline_queue.store import ItemInfo, State
from tests.e2e.resident import Resident, Role, answer_street_report
from tests.e2e.test_mediator import record_speech
from tests.e2e.test_request_status import BUTTON, ask_status
from tests.fakes.open311_process import API_KEY, RunningOpen311, running_open311
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from wiring.app import KioskApp

QR_CAPTION = "Avec un téléphone, vous pouvez photographier ce code."
TRACKING = "https://mairie.example/suivi/{reference}"
STREET = "Rue des Lilas"  # in the catalog's places: 47.93187, 0.14633
DESCRIPTION = "Un banc cassé devant le numéro 12"
SLUG = "signalement-voirie"
VARNAMES = ("kiosk_uuid", "probleme", "lieu", "description", "danger", "rappel", "telephone")
OPEN311_SERVICES = {"voirie": {"service_name": "Voirie", "attributes": [
    {"code": "nature", "datatype": "singlevaluelist", "required": True},
    {"code": "danger", "datatype": "string", "required": False},
    {"code": "rappel", "datatype": "string", "required": False},
]}}


@pytest.fixture
def open311() -> Iterator[RunningOpen311]:
    with running_open311(OPEN311_SERVICES) as server:
        yield server


@pytest.fixture
def wcs() -> Iterator[RunningWcs]:
    with running_wcs({SLUG: VARNAMES}, tracking_codes=[SLUG]) as site:
        yield site


def report_a_bench(
    kiosk: KioskApp, at_receipt: Callable[[], None] = lambda: None
) -> tuple[Resident, str]:
    """The street report, a street chosen in the list; ``at_receipt()`` runs while the
    receipt is shown; returns the receipt's reference."""
    resident = Resident(kiosk)
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    answer_street_report(resident, (
        ("Déchets ou objets jetés",), (STREET,),
        ("Décrivez le problème en quelques mots.", DESCRIPTION),
        ("Oui",), ("Non",), ("J'accepte",),
    ))
    reference = resident.send()
    at_receipt()
    resident.finish()
    assert resident.sees(BUTTON)
    return resident, reference


def delivered(queued: Callable[[], list[ItemInfo]], qtbot) -> ItemInfo:
    qtbot.waitUntil(lambda: queued()[0].state is State.DELIVERED, timeout=30_000)
    return queued()[0]


def test_open311_gets_one_request_and_its_status_is_told(
    make_kiosk, memory_keyring, open311, queued, qtbot
):
    memory_keyring.set_password(secrets.SERVICE, secrets.OPEN311_API_KEY, API_KEY)
    kiosk = make_kiosk(backoffice=BackofficeSection(
        kind="open311", url=open311.url, timeout_seconds=3.0, tracking_url=TRACKING))

    def receipt_leads_to_the_configured_page() -> None:
        delivered(queued, qtbot)  # Open311 gives no page of its own
        qr = kiosk.guide.receipt.qr
        assert qr.text == TRACKING.format(reference=kiosk.guide.receipt.view.reference)
        assert qr.isVisible()

    resident, reference = report_a_bench(kiosk, receipt_leads_to_the_configured_page)
    item = delivered(queued, qtbot)

    [stored] = open311.stored()
    assert open311.posts() == 1
    form = stored["form"]
    assert form["service_code"] == ["voirie"]
    assert (form["lat"], form["long"]) == (["47.93187"], ["0.14633"])
    assert DESCRIPTION in form["description"][0]
    assert reference in form["description"][0]
    assert form["attribute[nature]"] == ["proprete"]
    assert "phone" not in form  # no call asked: no contact sent
    assert item.remote_reference == stored["service_request_id"]

    open311.control(status={"id": stored["service_request_id"], "status": "closed",
                            "status_notes": "Le banc est réparé."})
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    done = "Votre demande est terminée. La mairie ajoute : Le banc est réparé."
    ask_status(resident, reference, qtbot, done)
    assert done in speech.texts


def test_open311_token_is_resolved_when_the_resident_asks(
    make_kiosk, memory_keyring, open311, queued, qtbot
):
    memory_keyring.set_password(secrets.SERVICE, secrets.OPEN311_API_KEY, API_KEY)
    open311.control(post=["token"])
    kiosk = make_kiosk(backoffice=BackofficeSection(
        kind="open311", url=open311.url, timeout_seconds=3.0))
    resident, reference = report_a_bench(kiosk)
    assert delivered(queued, qtbot).remote_reference.startswith("token:")
    [stored] = open311.stored()

    ask_status(resident, reference, qtbot,
               "Votre demande est en cours. Un service de la mairie s'en occupe.")
    qtbot.waitUntil(
        lambda: queued()[0].remote_reference == stored["service_request_id"], timeout=10_000
    )


def test_wcs_gets_one_form_and_its_status_is_told(
    make_kiosk, memory_keyring, wcs, queued, qtbot
):
    memory_keyring.set_password(secrets.SERVICE, secrets.WCS_API_KEY, KEY)
    kiosk = make_kiosk(backoffice=BackofficeSection(
        kind="wcs", url=wcs.url, orig=ORIG, timeout_seconds=3.0,
        tracking_url=TRACKING))
    qr = kiosk.guide.receipt.qr

    def receipt_leads_to_the_form() -> None:
        delivered(queued, qtbot)
        qtbot.waitUntil(lambda: qr.text == f"{wcs.url}/{SLUG}/1/", timeout=10_000)
        assert qr.isVisible()
        assert Resident(kiosk).sees(QR_CAPTION, (Role.StaticText,))

    resident, reference = report_a_bench(kiosk, receipt_leads_to_the_form)
    item = delivered(queued, qtbot)

    [form] = wcs.stored()[SLUG]
    assert wcs.submit_requests() == 1
    assert form["data"] == {
        "kiosk_uuid": item.id,
        "probleme": "Dépôt de déchets",
        "lieu": "47.93187;0.14633",
        "description": DESCRIPTION,
        "danger": True,
        "rappel": False,
    }
    assert form["context"] == {"channel": "counter"}
    assert item.remote_reference == form["id"]

    received = "Votre demande est bien arrivée à la mairie. Personne ne l'a encore ouverte."
    ask_status(resident, reference, qtbot, received)
    resident.press("Retour")
    wcs.set_status(SLUG, form["id"], "accepted")
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    in_progress = "Votre demande est en cours. Un service de la mairie s'en occupe."
    ask_status(resident, reference, qtbot, in_progress)
    assert in_progress in speech.texts
    assert not any(DESCRIPTION in text for text in resident.texts())
    assert resident.sees(in_progress, (Role.StaticText,))


def test_without_a_page_there_is_no_qr_code(kiosk, queued, qtbot):
    def receipt_without_qr_code() -> None:
        assert not kiosk.guide.receipt.qr.isVisible()
        assert not Resident(kiosk).sees(QR_CAPTION, (Role.StaticText,))

    report_a_bench(kiosk, receipt_without_qr_code)


@pytest.fixture
def franceconnect_catalog(tmp_path: Path, memory_keyring) -> CatalogSection:
    """The bundled catalog, its street report a FranceConnect démarche on w.c.s. (whose
    key is enrolled)."""
    memory_keyring.set_password(secrets.SERVICE, secrets.WCS_API_KEY, KEY)
    catalog = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    street = next(d for d in catalog["demarches"] if d["id"] == "signalement-rue")
    street["backoffices"]["wcs"]["franceconnect"] = True
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return CatalogSection(path=str(path))


def test_a_franceconnect_demarche_is_a_draft_finished_on_the_phone(
    make_kiosk, wcs, queued, qtbot, franceconnect_catalog
):
    """No login on the kiosk: w.c.s. gets a draft; the receipt says, on screen and aloud,
    to finish it on the phone with FranceConnect, and its QR code opens the draft."""
    kiosk = make_kiosk(
        backoffice=BackofficeSection(kind="wcs", url=wcs.url, orig=ORIG, timeout_seconds=3.0,
                                     tracking_url=TRACKING),
        catalog=franceconnect_catalog)
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    qr = kiosk.guide.receipt.qr
    ready = ("Pour finir, connectez-vous avec FranceConnect sur votre téléphone. "
             "Photographiez ce code avec votre téléphone. Le code marche pendant 5 minutes.")

    def receipt_says_to_finish_on_the_phone() -> None:
        delivered(queued, qtbot)
        # The draft's temporary link (w.c.s.'s /code/<token>/load), not its page: only
        # the link opens a draft on another device.
        qtbot.waitUntil(lambda: qr.text.startswith(f"{wcs.url}/code/"), timeout=10_000)
        assert qr.text.endswith("/load")
        resident = Resident(kiosk)
        assert resident.sees(ready, (Role.StaticText,))
        assert ready in speech.texts
        assert not any("mot de passe" in text.lower() for text in resident.texts())

    report_a_bench(kiosk, receipt_says_to_finish_on_the_phone)
    [form] = wcs.stored()[SLUG]
    assert form["meta"] == {"draft": True}
    assert not qr.text.startswith("https://mairie.example/")  # the draft, not the tracking
