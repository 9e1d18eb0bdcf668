"""The demo catalog of Admiville loads, is complete in English, and its pictograms are sound."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kiosk.catalog import (
    FieldType,
    bundled_catalog_path,
    load_catalog,
    pictogram_path,
    pictograms_dir,
)


def test_bundled_catalog_loads_with_its_pictograms() -> None:
    catalog = load_catalog(bundled_catalog_path(), pictogram_dir=pictograms_dir())
    assert {d.id for d in catalog.demarches} == {
        "acte-etat-civil", "demande-logement", "reclamation-suggestion", "signalement-rue",
        "portail-famille", "quel-service",
    }
    assert catalog.commune.reference_prefix == "ADM"


def test_every_demarche_is_short_translated_and_ends_with_consent() -> None:
    catalog = load_catalog(bundled_catalog_path())
    for demarche in catalog.demarches:
        assert 4 <= len(demarche.fields) <= 10, demarche.id
        assert demarche.fields[-1].type is FieldType.CONSENT, demarche.id
        assert demarche.title.en
        assert demarche.title.ar
        assert demarche.description.en
        for field in demarche.fields:
            assert field.label.en, (demarche.id, field.id)
            assert field.help is None or field.help.en, (demarche.id, field.id)
            assert all(o.label.en for o in field.options if field.type is not FieldType.PLACE)
            if field.type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE):
                assert all(o.pictogram for o in field.options), (demarche.id, field.id)
    for service in catalog.services:
        assert service.name.en


def test_typed_personal_data_is_marked_personal() -> None:
    catalog = load_catalog(bundled_catalog_path())
    typed = {FieldType.SHORT_TEXT, FieldType.PHONE_FR, FieldType.EMAIL, FieldType.ADDRESS_FR,
             FieldType.LONG_TEXT}
    for demarche in catalog.demarches:
        for field in demarche.fields:
            if field.type in typed:
                assert field.personal, (demarche.id, field.id)
    housing = catalog.demarche("demande-logement")
    assert housing.field("situation").personal  # a sensitive choice, marked by the catalog
    assert not catalog.demarche("signalement-rue").field("lieu").personal


def test_pictograms_are_64_square_svg_drawn_in_current_colour() -> None:
    files = sorted(pictograms_dir().glob("*.svg"))
    assert files
    for path in files:
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", path.name
        assert root.get("viewBox") == "0 0 64 64", path.name
        assert root.get("stroke") == "currentColor", path.name
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None, path.name
        assert title.text, path.name
    assert pictogram_path("logement.svg") == pictograms_dir() / "logement.svg"
