"""A démarche sent from the screen reaches the reference receiver (a real subprocess over
HTTP, signed with the terminal secret), and the receipt then says it arrived."""

from __future__ import annotations

from kiosk.domain.submission import Submission
from offline_queue.store import State
from tests.e2e.resident import Resident, Role
from tests.receiver_process import TERMINAL_ID, receiver  # noqa: F401  (a fixture)

ARRIVED = "C'est fait : la mairie a bien reçu votre demande."
ON_ITS_WAY = (
    "Votre demande partira à la mairie dès que possible. "
    "Vous n'avez rien à faire. Elle est gardée en sécurité."
)


def test_a_street_report_reaches_the_town_hall_and_the_receipt_says_so(
    make_paired_kiosk, receiver, queued, qtbot  # noqa: F811
):
    kiosk = make_paired_kiosk(receiver.url, receiver.secret)
    resident = Resident(kiosk)
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    resident.choose("Déchets ou objets jetés")
    resident.next()
    resident.write("Adresse écrite", "3 place du Marché")  # a place not in the list
    resident.next()
    resident.write("Décrivez le problème en quelques mots.", "Un frigo sur le trottoir")
    resident.next()
    resident.choose("Oui")
    resident.next()
    resident.choose("Non")
    resident.next()
    resident.choose("J'accepte")
    resident.next()
    reference = resident.send()

    statuses = (ARRIVED, ON_ITS_WAY)
    assert any(resident.sees(status, (Role.StaticText,)) for status in statuses)
    qtbot.waitUntil(lambda: resident.sees(ARRIVED, (Role.StaticText,)), timeout=30_000)

    [item] = queued()
    assert (item.reference, item.state) == (reference, State.DELIVERED)
    [received] = [s for s in receiver.submissions() if s.idempotency_key == item.id]
    sent = Submission.from_json(received.payload)
    assert (received.reference, received.terminal_id) == (reference, TERMINAL_ID)
    assert (sent.reference, sent.demarche_id, sent.service_id) == (
        reference, "signalement-rue", "voirie",
    )
    assert sent.answers["description"] == "Un frigo sur le trottoir"
    assert "3 place du Marché" in str(sent.answers["lieu"])

    # The running kiosk's heartbeat told the back office the catalog it runs, unpaused.
    def told() -> None:
        [beat] = [b for b in receiver.heartbeats() if b.terminal_id == TERMINAL_ID]
        assert (beat.catalog_version, beat.paused) == (kiosk.catalogs.version, False)

    qtbot.waitUntil(told, timeout=15_000)
