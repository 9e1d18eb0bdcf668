"""Every field type checks its raw answer and applies its rules with the catalog's message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalog import Field, parse_catalog
from kiosk.domain import check_answer
from tests.kiosk.catalog.samples import sample

TODAY = dt.date(2025, 6, 15)
DEMARCHE = parse_catalog(sample()).demarche("essai")


def field(field_id: str) -> Field:
    return DEMARCHE.field(field_id)


def check(field_id: str, raw: Any, language: str = "fr") -> tuple[Any, str | None]:
    result = check_answer(field(field_id), raw, today=TODAY, language=language)
    return result.value, result.error


@pytest.mark.parametrize(
    ("field_id", "raw", "value"),
    [
        ("bienvenue", None, None),
        ("sujet", "rue", "rue"),
        ("precision", "  rue   des  Lilas ", "rue des Lilas"),
        ("texte", "ligne 1\r\n\r\n\r\n\r\nligne 2  ", "ligne 1\n\nligne 2"),
        ("texte", "", None),
        ("nombre", "3", 3),
        ("naissance", {"day": "12", "month": "3", "year": "1950"}, "1950-03-12"),
        ("naissance", "12/03/1950", "1950-03-12"),
        ("rdv", {"day": "15", "month": "6", "year": "2025"}, "2025-06-15"),
        ("jours", ["jeudi", "lundi", "jeudi"], ("lundi", "jeudi")),
        ("rappel", False, False),
        ("courriel", "Marie@Exemple.FR", "Marie@exemple.fr"),
        ("tel", "+33 6 12 34 56 78", "0612345678"),
        ("tel", "", None),
        ("adresse", {"street": "3  rue des Lilas", "postcode": "72999", "commune": "admiville"},
         {"street": "3 rue des Lilas", "postcode": "72999", "commune": "Admiville"}),
        ("adresse", {"street": "", "postcode": "", "commune": ""}, None),
        ("lieu", "mairie", {"id": "mairie", "label": "Place de la Mairie"}),
        ("lieu", {"id": "mairie"}, {"id": "mairie", "label": "Place de la Mairie"}),
        ("lieu", "devant le 12 rue des Lilas", {"text": "devant le 12 rue des Lilas"}),
        ("code", "AB12", "AB12"),
        ("accord", True, True),
    ],
)
def test_accepted_answers_are_normalised(field_id: str, raw: Any, value: Any) -> None:
    assert check(field_id, raw) == (value, None)


@pytest.mark.parametrize(
    ("field_id", "raw", "words"),
    [
        ("sujet", "", "Choisissez une réponse"),
        ("sujet", "lune", "dans la liste"),
        ("precision", "ab", "Trop court."),
        ("nombre", "0", "au moins 1"),
        ("nombre", "10", "au plus 9"),
        ("nombre", "deux", "avec des chiffres"),
        ("nombre", "2,5", "entier"),
        ("naissance", {"day": "1", "month": "1", "year": "2030"}, "dans le futur"),
        ("naissance", {"day": "30", "month": "2", "year": "2000"}, "n'existe pas"),
        ("rdv", "14/06/2025", "passée"),
        ("jours", ["lundi", "mardi", "jeudi"], "au plus 2"),
        ("jours", ["dimanche"], "dans la liste"),
        ("jours", [], "Choisissez une réponse"),
        ("rappel", None, "« Oui » ou « Non »"),
        ("courriel", "marie.exemple.fr", "un seul @"),
        ("tel", "06 12", "10 chiffres"),
        ("adresse", {"street": "3 rue", "postcode": "7299", "commune": "Admiville"}, "5 chiffres"),
        ("adresse", {"street": "3 rue", "postcode": "72999", "commune": "Paris"},
         "n'a pas ce code"),
        ("adresse", {"street": "", "postcode": "72999", "commune": "Admiville"}, "la rue"),
        ("lieu", "  ", "obligatoire"),
        ("code", "ab12", "Deux lettres puis deux chiffres."),
        ("accord", False, "vous devez accepter"),
        ("accord", None, "vous devez accepter"),
        ("precision", 12, "Vérifiez votre réponse"),
        ("adresse", "3 rue des Lilas", "Vérifiez votre réponse"),
    ],
)
def test_refused_answers_say_what_to_do(field_id: str, raw: Any, words: str) -> None:
    value, error = check(field_id, raw)
    assert value is None
    assert error is not None
    assert words in error


def test_catalog_message_follows_the_language() -> None:
    assert check("precision", "ab", "en")[1] == "Too short."
    # French fallback, isolated: its own direction and voice inside Arabic
    assert check("precision", "ab", "ar")[1] == "\u200f\u2068Trop court.\u2069"


def test_place_without_free_text_needs_a_listed_place() -> None:
    data = sample()
    lieu = next(f for f in data["demarches"][0]["fields"] if f["id"] == "lieu")
    lieu["free_text"] = False
    closed = parse_catalog(data).demarche("essai").field("lieu")
    assert not check_answer(closed, "quelque part", today=TODAY).ok
    assert check_answer(closed, "mairie", today=TODAY).ok


raw_answers = st.none() | st.booleans() | st.text(max_size=30) | st.lists(
    st.text(max_size=8), max_size=4
) | st.dictionaries(st.sampled_from(["day", "month", "year", "street", "postcode", "commune",
                                     "id", "text"]), st.text(max_size=10))


@given(st.sampled_from(DEMARCHE.fields), raw_answers)
def test_no_raw_answer_ever_crashes_a_check(target: Field, raw: Any) -> None:
    result = check_answer(target, raw, today=TODAY)
    assert result.ok != (result.error is not None)
    if result.ok and result.value is not None:
        # Checking the same raw answer twice gives the same value.
        assert check_answer(target, raw, today=TODAY).value == result.value
