"""A new catalog published while the kiosk runs: the answer editors it kept, built from
the old catalog's questions, are destroyed; the next resident gets the new words."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.catalog.store import bundled_catalog_path
from tests.e2e.resident import Resident
from tests.receiver_process import running_receiver
from ui.fields import FieldEditor


def publish(path: Path, question_label: str | None = None) -> None:
    """The bundled catalog, the first question of "Un problème dans la rue" reworded."""
    data = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    if question_label is not None:
        [street] = [d for d in data["demarches"] if d["id"] == "signalement-rue"]
        street["fields"][0]["label"]["fr"] = question_label
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_new_catalog_replaces_the_editors_kept_from_the_old_one(
    make_paired_kiosk, tmp_path, qtbot
):
    served = tmp_path / "published.json"
    publish(served)
    with running_receiver(tmp_path / "rx", "--catalog", str(served)) as receiver:
        kiosk = make_paired_kiosk(receiver.url, receiver.secret)
        resident = Resident(kiosk)
        resident.start()
        resident.open_demarche("Un problème dans la rue")
        resident.choose("Déchets ou objets jetés")
        resident.next()  # the choice's editor is kept for the next resident
        old_editors = set(kiosk.window.findChildren(FieldEditor)) - {kiosk.guide.question.editor}
        assert old_editors

        publish(served, "Quel problème voyez-vous dans la rue ?")
        with qtbot.waitSignal(kiosk.backoffice.catalog_changed, timeout=15_000):
            kiosk.backoffice.poll()
        qtbot.waitUntil(
            lambda: not old_editors & set(kiosk.window.findChildren(FieldEditor)), timeout=5_000
        )

        resident.press("Abandonner")
        resident.press("Oui, tout effacer")
        resident.start()
        resident.open_demarche("Un problème dans la rue")
        resident.asked("Quel problème voyez-vous dans la rue ?")
