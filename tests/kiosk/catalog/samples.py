"""A small valid catalog to break in tests, one key at a time."""

from __future__ import annotations

import copy
import json
from typing import Any

_BASE: dict[str, Any] = {
    "schema_version": 1,
    "commune": {
        "name": "Testville",
        "reference_prefix": "TST",
        "postcodes": {"72999": ["Admiville"], "20000": ["Ajaccio"]},
    },
    "services": [
        {"id": "accueil", "name": {"fr": "Accueil", "en": "Reception"}},
        {"id": "voirie", "name": "Voirie"},
    ],
    "categories": [{"id": "ville", "title": "Ma ville"}],
    "places": [{"id": "mairie", "label": "Place de la Mairie"}],
    "demarches": [
        {
            "id": "essai",
            "version": 3,
            "title": {"fr": "Essai", "en": "Trial"},
            "description": "Une démarche pour les tests.",
            "pictogram": "essai.svg",
            "category": "ville",
            "routing": {
                "default": "accueil",
                "rules": [{"if": {"field": "sujet", "equals": "rue"}, "service": "voirie"}],
            },
            "fields": [
                {"id": "bienvenue", "type": "info", "label": "Bonjour."},
                {
                    "id": "sujet",
                    "type": "single_choice",
                    "label": "Quel sujet ?",
                    "options": [
                        {"id": "rue", "label": "La rue", "pictogram": "rue.svg"},
                        {"id": "autre", "label": "Autre", "pictogram": "autre.svg"},
                    ],
                },
                {
                    "id": "precision",
                    "type": "short_text",
                    "label": "Quelle rue ?",
                    "condition": {"field": "sujet", "equals": "rue"},
                    "rules": [{"rule": "min_length", "value": 3,
                               "message": {"fr": "Trop court.", "en": "Too short."}}],
                },
                {"id": "texte", "type": "long_text", "label": "Expliquez.", "required": False},
                {"id": "nombre", "type": "number", "label": "Combien ?",
                 "rules": [{"rule": "min_value", "value": 1}, {"rule": "max_value", "value": 9}]},
                {"id": "naissance", "type": "date", "label": "Date ?",
                 "rules": [{"rule": "past"}]},
                {"id": "rdv", "type": "date", "label": "Quand ?", "required": False,
                 "rules": [{"rule": "future"}]},
                {
                    "id": "jours",
                    "type": "multiple_choice",
                    "label": "Quels jours ?",
                    "options": [
                        {"id": "lundi", "label": "Lundi", "pictogram": "lundi.svg"},
                        {"id": "mardi", "label": "Mardi", "pictogram": "mardi.svg"},
                        {"id": "jeudi", "label": "Jeudi", "pictogram": "jeudi.svg"},
                    ],
                    "rules": [{"rule": "max_choices", "value": 2}],
                },
                {"id": "rappel", "type": "yes_no", "label": "On vous rappelle ?"},
                {"id": "courriel", "type": "email", "label": "E-mail ?",
                 "condition": {"field": "rappel", "equals": True}},
                {"id": "tel", "type": "phone_fr", "label": "Téléphone ?", "required": False},
                {"id": "adresse", "type": "address_fr", "label": "Adresse ?", "required": False},
                {"id": "lieu", "type": "place", "label": "Où ?", "places": "commune"},
                {"id": "code", "type": "short_text", "label": "Code ?", "required": False,
                 "rules": [{"rule": "pattern", "value": "[A-Z]{2}[0-9]{2}",
                            "message": "Deux lettres puis deux chiffres."}]},
                {"id": "accord", "type": "consent", "label": "J'accepte."},
            ],
        }
    ],
}


def sample() -> dict[str, Any]:
    """A fresh deep copy of the sample catalog (tests mutate it)."""
    return copy.deepcopy(_BASE)


def sample_bytes() -> bytes:
    return json.dumps(sample()).encode("utf-8")


def demarche(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["demarches"][0]
    return result


def field(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(f for f in demarche(data)["fields"] if f["id"] == field_id)
