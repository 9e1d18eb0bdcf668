"""Every text in every language the kiosk offers, or said: ``kiosk catalog check`` names each
missing one; a text shown in another language (a street name, a missing translation) keeps
its own direction and is said with its own voice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.catalog import CatalogError, bundled_catalog_path, load_catalog, parse_catalog
from kiosk.catalog.model import (
    FALLBACK_END,
    FALLBACK_START,
    Texts,
    fallback_language,
    localized,
)
from kiosk.catalog.review import review
from tests.kiosk.catalog.samples import demarche, field, sample
from wiring.commands.catalog import check_file

LANGUAGES = ("fr", "en", "ar")


def test_the_bundled_catalog_misses_no_text_in_english_or_arabic() -> None:
    catalog = load_catalog(bundled_catalog_path())
    assert [f.line() for f in review(catalog, languages=LANGUAGES)] == []


def test_the_check_names_demarche_field_and_key_of_a_missing_arabic_text(
    tmp_path: Path,
) -> None:
    data = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    del data["demarches"][0]["fields"][0]["options"][1]["label"]["ar"]
    del data["demarches"][3]["next_steps"]["ar"]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    lines = [f.line() for f in check_file(path, languages=LANGUAGES, backoffice=None)]
    assert lines == [
        "WARN   démarche 'acte-etat-civil', field 'acte', key 'options[1].label': "
        "no translation in ar (French is shown instead)",
        "WARN   démarche 'signalement-rue', key 'next_steps': "
        "no translation in ar (French is shown instead)",
    ]
    # Only the languages the kiosk offers count.
    assert check_file(path, languages=("fr", "en"), backoffice=None) == []


def test_a_place_written_as_one_text_is_a_name_and_a_choice_is_not() -> None:
    data = sample()
    field(data, "sujet")["options"][0]["label"] = "La rue"
    catalog = parse_catalog(data)
    assert catalog.places[0].label.proper_name
    warned = {f.error.key for f in review(catalog, languages=("fr", "en"))}
    assert "places[0].label" not in warned
    assert "options[0].label" in warned


def test_a_french_text_in_another_language_is_isolated_and_said_in_french() -> None:
    translated = Texts(fr="Gare", en="Railway station", ar="محطة القطار")
    street = Texts(fr="Rue des Lilas", proper_name=True)
    assert localized(translated, "ar") == "محطة القطار"
    assert localized(street, "fr") == "Rue des Lilas"
    assert localized(street, "en") == FALLBACK_START + "Rue des Lilas" + FALLBACK_END
    # In Arabic, a RIGHT-TO-LEFT MARK first: the line stays right to left around it.
    shown = localized(street, "ar")
    assert shown == "\u200f" + FALLBACK_START + "Rue des Lilas" + FALLBACK_END
    for language in ("en", "ar"):
        assert fallback_language(localized(street, language)) == "fr"
    assert fallback_language("محطة القطار") is None
    assert fallback_language(f"{shown} , {shown}") is None  # two texts: the resident's voice


@pytest.mark.parametrize("mark", ["\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"])
def test_isolate_marks_are_allowed_in_a_text(mark: str) -> None:
    data = sample()
    demarche(data)["title"] = {"fr": "Essai", "ar": f"مثال: {mark}12 03 1950\u2069."}
    assert parse_catalog(data).demarches[0].title.ar


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u200b\u0000"])
def test_overrides_and_control_characters_are_still_refused(mark: str) -> None:
    # A RIGHT-TO-LEFT OVERRIDE would show a text in another order than it is said.
    data = sample()
    demarche(data)["title"] = {"fr": "Essai", "ar": f"نص{mark}"}
    with pytest.raises(CatalogError, match="control characters"):
        parse_catalog(data)
