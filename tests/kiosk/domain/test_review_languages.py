"""Answers read back in the resident's language: dates and numbers in its words, and what
was typed in Latin letters kept as French text inside Arabic (direction and voice)."""

from __future__ import annotations

import pytest

from kiosk.catalog import bundled_catalog_path, load_catalog
from kiosk.catalog.model import Field, fallback_language
from kiosk.domain.review import format_answer

CATALOG = load_catalog(bundled_catalog_path())


def field(demarche_id: str, field_id: str) -> Field:
    return next(f for f in CATALOG.demarche(demarche_id).fields if f.id == field_id)


ADDRESS = {"street": "12 rue des Lilas", "postcode": "72999", "commune": "Admiville"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "12 mars 1950"), ("en", "12 March 1950"), ("ar", "12 مارس 1950")],
)
def test_a_date_is_read_in_the_words_of_each_language(language: str, expected: str) -> None:
    assert format_answer(field("acte-etat-civil", "date-evenement"), "1950-03-12",
                         language) == expected


def test_in_arabic_a_typed_address_is_french_text_inside_arabic() -> None:
    address = field("acte-etat-civil", "adresse")
    shown = format_answer(address, ADDRESS, "ar")
    assert shown == "\u200f\u206812 rue des Lilas, 72999 Admiville\u2069"
    assert fallback_language(shown) == "fr"
    assert format_answer(address, ADDRESS, "en") == "12 rue des Lilas, 72999 Admiville"


def test_in_arabic_a_chosen_street_is_marked_once_and_a_translated_place_not_at_all() -> None:
    place = field("signalement-rue", "lieu")
    assert format_answer(place, {"id": "rue-lilas", "label": "Rue des Lilas"}, "ar") == (
        "\u200f\u2068Rue des Lilas\u2069")
    assert format_answer(place, {"id": "gare", "label": "Gare"}, "ar") == "محطة القطار"


def test_in_arabic_an_answer_in_arabic_or_digits_only_stays_as_it_is() -> None:
    description = field("signalement-rue", "description")
    assert format_answer(description, "حفرة في الرصيف", "ar") == "حفرة في الرصيف"
    phone = field("signalement-rue", "telephone")
    # Digits only: left to right (groups in order), but said by the Arabic voice.
    assert format_answer(phone, "0612345678", "ar") == "\u206606 12 34 56 78\u2069"
    assert fallback_language(format_answer(phone, "0612345678", "ar")) is None
    assert format_answer(phone, "0612345678", "fr") == "06 12 34 56 78"
