"""Each bundled démarche completed through the session API, as the screens will drive it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from kiosk.catalog import Catalog, bundled_catalog_path, load_catalog
from kiosk.domain import DemarcheSession

TODAY = dt.date(2025, 6, 15)
CATALOG: Catalog = load_catalog(bundled_catalog_path())
NOW = dt.datetime(2025, 6, 15, 9, 30, tzinfo=dt.UTC)
KEY = uuid.UUID("12345678-1234-4678-9234-567812345678")

# For each démarche: the answers in screen order (None: an information page), one wrong
# answer (field, raw, words of the message), the service it must reach, and review lines.
FLOWS: dict[str, dict[str, Any]] = {
    "acte-etat-civil": {
        "answers": [
            ("acte", "naissance"), ("forme", "copie"), ("pour-qui", "moi"),
            ("nom-personne", "Marie Dupont"),
            ("date-evenement", {"day": "12", "month": "3", "year": "1950"}),
            ("reception", "courrier"),
            ("adresse", {"street": "3 rue des Lilas", "postcode": "72999",
                         "commune": "Admiville"}),
            ("accord", True),
        ],
        "wrong": ("date-evenement", {"day": "12", "month": "3", "year": "2030"}, "futur"),
        "service": "etat-civil",
        "review": {"date-evenement": "12 mars 1950", "acte": "Acte de naissance",
                   "adresse": "3 rue des Lilas, 72999 Admiville"},
    },
    "demande-logement": {
        "answers": [
            ("avant", None), ("nom", "Ali Ben Salah"), ("personnes", "4"),
            ("situation", "heberge"), ("besoins", ["urgent", "plus-grand"]),
            ("precisions", ""), ("telephone", "06 12 34 56 78"), ("accord", True),
        ],
        "wrong": ("personnes", "0", "au moins 1"),
        "service": "logement",
        "review": {"personnes": "4", "besoins": "Un logement plus grand, Un logement vite : "
                   "c'est urgent", "precisions": "Pas de réponse",
                   "telephone": "06 12 34 56 78"},
    },
    "reclamation-suggestion": {
        "answers": [
            ("genre", "plainte"), ("service", "enfants"),
            ("message", "La cantine était fermée lundi sans message."),
            ("reponse", "email"), ("nom", "Marie Dupont"),
            ("email", "marie.dupont@exemple.fr"), ("accord", True),
        ],
        "wrong": ("email", "marie.dupont@exemple", "Vérifiez"),
        "service": "famille",
        "review": {"service": "Écoles et enfants", "reponse": "Par e-mail"},
    },
    "signalement-rue": {
        "answers": [
            ("probleme", "eclairage"), ("lieu", "rue-lilas"),
            ("description", "La lampe devant le 12 ne marche plus."),
            ("danger", True), ("rappel", True), ("telephone", "+33 6 98 76 54 32"),
            ("accord", True),
        ],
        "wrong": ("description", "Nuit", "au moins 5"),
        "service": "voirie",
        "review": {"lieu": "Rue des Lilas", "danger": "Oui", "rappel": "Oui",
                   "telephone": "06 98 76 54 32", "accord": "J'accepte"},
    },
    "portail-famille": {
        "answers": [
            ("demande", "cantine"), ("enfant-nom", "Léo Dupont"),
            ("enfant-naissance", {"day": "5", "month": "9", "year": "2019"}),
            ("jours", ["lundi", "jeudi", "mardi"]),
            ("debut", {"day": "1", "month": "9", "year": "2025"}),
            ("parent-nom", "Marie Dupont"), ("telephone", "0612345678"), ("accord", True),
        ],
        "wrong": ("debut", {"day": "1", "month": "9", "year": "2024"}, "passée"),
        "service": "famille",
        "review": {"jours": "Lundi, Mardi, Jeudi", "debut": "1er septembre 2025"},
    },
    "quel-service": {
        "answers": [
            ("sujet", "travaux"), ("urgent", False),
            ("question", "Puis-je construire un abri de jardin ?"),
            ("contact", "telephone"), ("nom", "Marie Dupont"),
            ("telephone", "01 23 45 67 89"), ("accord", True),
        ],
        "wrong": ("telephone", "12 34", "10 chiffres"),
        "service": "urbanisme",
        "review": {"urgent": "Non", "sujet": "Travaux chez moi, permis de construire"},
    },
}


def _session(demarche_id: str) -> DemarcheSession:
    return DemarcheSession.start(CATALOG, demarche_id, today=lambda: TODAY)


@pytest.mark.parametrize("demarche_id", sorted(FLOWS))
def test_each_demarche_can_be_completed(demarche_id: str) -> None:
    flow = FLOWS[demarche_id]
    session = _session(demarche_id)
    wrong_field, wrong_raw, wrong_words = flow["wrong"]
    for position, (field_id, raw) in enumerate(flow["answers"], 1):
        question = session.question()
        assert question is not None
        assert question.id == field_id
        assert question.step_number == position
        assert question.step_text == f"Étape {position} sur {session.step_total}"
        if field_id == wrong_field:
            session.answer(field_id, wrong_raw)
            refused = session.next()
            assert not refused.ok
            assert refused.error is not None
            assert wrong_words in refused.error
            assert session.current is not None
            assert session.current.id == field_id
            again = session.question()
            assert again is not None
            assert again.raw == wrong_raw
            assert again.error == refused.error
        if raw is not None:
            session.answer(field_id, raw)
        assert session.next().ok, (field_id, session.error(field_id))
    assert session.at_review
    assert session.question() is None
    review = {item.field_id: item.answer for item in session.review_items()}
    for field_id, text in flow["review"].items():
        assert review[field_id] == text
    submission = session.build_submission(
        language="fr", assisted=False, clock=lambda: NOW, uuid=lambda: KEY
    )
    assert submission.service_id == flow["service"]
    assert submission.demarche_id == demarche_id
    assert submission.demarche_version == 1
    assert submission.id == str(KEY)
    assert submission.created_at == "2025-06-15T09:30:00+00:00"
    assert set(submission.answers) == {f for f, raw in flow["answers"] if raw not in (None, "")}
    data = json.loads(submission.to_json())
    assert data["reference"].startswith("ADM-")


def test_the_english_review_uses_english_labels_and_dates() -> None:
    session = _session("acte-etat-civil")
    for field_id, raw in FLOWS["acte-etat-civil"]["answers"]:
        session.answer(field_id, raw)
        session.next()
    review = {item.field_id: item for item in session.review_items("en")}
    assert review["date-evenement"].answer == "12 March 1950"
    assert review["acte"].label == "Which certificate do you want?"
    assert review["acte"].answer == "Birth certificate"
    assert review["nom-personne"].personal
    assert not review["acte"].personal


@pytest.mark.parametrize(
    ("choice", "hidden", "shown"),
    [("courrier", "telephone", "adresse"), ("mairie", "adresse", "telephone")],
)
def test_a_condition_branch_changes_the_questions(choice: str, hidden: str, shown: str) -> None:
    session = _session("acte-etat-civil")
    session.answer("reception", choice)
    ids = [f.id for f in session.fields]
    assert shown in ids
    assert hidden not in ids
    assert session.step_total == 8


@pytest.mark.parametrize(
    ("sujet", "service"),
    [("papiers", "etat-civil"), ("logement", "logement"), ("enfants", "famille"),
     ("rue", "voirie"), ("argent", "social"), ("travaux", "urbanisme"), ("autre", "accueil")],
)
def test_the_guided_contact_form_routes_by_subject(sujet: str, service: str) -> None:
    session = _session("quel-service")
    session.answer("sujet", sujet)
    assert session.destination() == service
