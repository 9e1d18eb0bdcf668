"""Hostile or broken catalogs are refused with an error naming démarche, field and problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.catalog import CatalogError, load_catalog_bytes, parse_catalog
from tests.kiosk.catalog.samples import demarche, field, sample

Mutation = Callable[[dict[str, Any]], None]


def refuse(mutate: Mutation, base: Callable[[], dict[str, Any]] = sample) -> CatalogError:
    data = base()
    mutate(data)
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return caught.value


def test_the_sample_itself_is_good() -> None:
    catalog = parse_catalog(sample())
    assert catalog.demarche("essai").version == 3


# ---------------------------------------------------------------- wrong types

def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        *parents, last = path.split("/")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[last] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "demarche_id", "field_id", "words"),
    [
        (_set("demarches/0/version", "3"), "essai", None, "whole number"),
        (_set("demarches/0/version", True), "essai", None, "whole number"),
        (_set("demarches/0/title", 12), "essai", None, "expected a text"),
        (_set("demarches/0/fields", {}), "essai", None, "expected a list"),
        (_set("services", "accueil"), None, None, "expected a list"),
        (_set("schema_version", "1"), None, None, "schema_version 1"),
        (_set("schema_version", 2), None, None, "schema_version 1"),
    ],
)
def test_wrong_types_are_named(
    mutate: Mutation, demarche_id: str | None, field_id: str | None, words: str
) -> None:
    error = refuse(mutate)
    assert (error.demarche_id, error.field_id) == (demarche_id, field_id)
    assert words in error.problem


def test_wrong_type_in_a_field_names_the_field_and_key() -> None:
    error = refuse(lambda d: field(d, "nombre").update(required="yes"))
    assert (error.demarche_id, error.field_id, error.key) == ("essai", "nombre", "required")
    assert "true or false" in error.problem
    assert str(error).startswith("démarche 'essai', field 'nombre', key 'required'")


def test_unknown_field_type() -> None:
    error = refuse(lambda d: field(d, "texte").update(type="signature"))
    assert error.field_id == "texte"
    assert "unknown field type 'signature'" in error.problem


@pytest.mark.parametrize(
    ("mutate", "field_id", "key"),
    [
        (lambda d: field(d, "texte").update(colour="red"), "texte", None),
        (lambda d: demarche(d).update(author="me"), None, None),
        (lambda d: d.update(extra=1), None, None),
        (lambda d: field(d, "sujet")["options"][0].update(price=3), "sujet", "options[0]"),
        (lambda d: field(d, "texte").update(options=[]), "texte", "options"),
        (lambda d: field(d, "texte").update(rules=[{"rule": "past"}]), "texte", "rules[0].rule"),
        (lambda d: field(d, "texte").update(rules=[{"rule": "longueur", "value": 3}]),
         "texte", "rules[0].rule"),
    ],
)
def test_unknown_keys_and_rules(mutate: Mutation, field_id: str | None, key: str | None) -> None:
    error = refuse(mutate)
    assert error.field_id == field_id
    assert error.key == key


def test_duplicate_field_ids() -> None:
    error = refuse(lambda d: field(d, "texte").update(id="nombre"))
    assert error.demarche_id == "essai"
    assert "duplicate field id 'nombre'" in error.problem


def test_duplicate_demarche_ids() -> None:
    error = refuse(lambda d: d["demarches"].append(demarche(d)))
    assert "duplicate démarche id 'essai'" in error.problem


def test_duplicate_option_ids() -> None:
    error = refuse(lambda d: field(d, "sujet")["options"][1].update(id="rue"))
    assert error.field_id == "sujet"
    assert "duplicate option id 'rue'" in error.problem


def test_duplicate_json_keys_are_refused() -> None:
    raw = b'{"schema_version": 1, "schema_version": 1}'
    with pytest.raises(CatalogError, match="appears twice"):
        load_catalog_bytes(raw)


# ---------------------------------------------------------------- conditions

def test_condition_on_a_later_field() -> None:
    error = refuse(lambda d: field(d, "precision").update(
        condition={"field": "rappel", "equals": True}))
    assert (error.field_id, error.key) == ("precision", "condition.field")
    assert "comes later" in error.problem


def test_condition_on_an_unknown_field() -> None:
    error = refuse(lambda d: field(d, "precision").update(
        condition={"field": "fantome", "equals": "x"}))
    assert error.field_id == "precision"
    assert "unknown field 'fantome'" in error.problem


def test_conditions_forming_a_cycle() -> None:
    def mutate(d: dict[str, Any]) -> None:
        field(d, "sujet")["condition"] = {"field": "rappel", "equals": True}
        field(d, "rappel")["condition"] = {"field": "sujet", "equals": "rue"}

    error = refuse(mutate)
    assert error.field_id == "sujet"
    assert "cycle: sujet -> rappel -> sujet" in error.problem


def test_condition_on_itself_is_a_cycle() -> None:
    error = refuse(lambda d: field(d, "rappel").update(
        condition={"field": "rappel", "equals": True}))
    assert "cycle" in error.problem


def test_condition_value_that_is_not_an_option() -> None:
    error = refuse(lambda d: field(d, "precision").update(
        condition={"field": "sujet", "equals": "ciel"}))
    assert "'ciel' is not an option of field 'sujet'" in error.problem


def test_condition_on_a_text_field_is_refused() -> None:
    error = refuse(lambda d: field(d, "nombre").update(
        condition={"field": "texte", "equals": "x"}))
    assert "choice or a yes/no" in error.problem


def test_routing_to_an_unknown_service() -> None:
    error = refuse(lambda d: demarche(d)["routing"].update(default="police"))
    assert (error.demarche_id, error.key) == ("essai", "routing.default")
    assert "unknown service 'police'" in error.problem


def test_routing_and_service_together() -> None:
    error = refuse(lambda d: demarche(d).update(service="accueil"))
    assert "exactly one" in error.problem


# ---------------------------------------------------------------- texts and sizes

def test_missing_french_text() -> None:
    error = refuse(lambda d: field(d, "texte").update(label={"en": "Explain."}))
    assert (error.field_id, error.key) == ("texte", "label")
    assert "French" in error.problem


def test_unknown_language() -> None:
    error = refuse(lambda d: field(d, "texte").update(label={"fr": "a", "xx": "b"}))
    assert "unknown language 'xx'" in error.problem


def test_empty_text() -> None:
    error = refuse(lambda d: demarche(d).update(title={"fr": "  "}))
    assert error.key == "title.fr"
    assert "empty" in error.problem


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: demarche(d).update(title="x" * 201), "too long"),
        (lambda d: field(d, "texte").update(help="x" * 2001), "too long"),
        (lambda d: d.update(demarches=[demarche(d)] * 201), "too many items: 201"),
        (lambda d: demarche(d).update(fields=demarche(d)["fields"] * 5), "too many items"),
        (lambda d: field(d, "texte").update(id="x" * 65), "expected an id"),
        (lambda d: demarche(d).update(title="ligne\u0000"), "control characters"),
    ],
)
def test_huge_or_odd_strings(mutate: Mutation, words: str) -> None:
    assert words in refuse(mutate).problem


def test_oversize_file_is_refused_before_parsing() -> None:
    with pytest.raises(CatalogError, match="too big"):
        load_catalog_bytes(b" " * (9 * 1024 * 1024))


# ---------------------------------------------------------------- pictograms

@pytest.mark.parametrize("name", ["../../etc/passwd.svg", "sous/dossier.svg", "a\\b.svg", ".x.svg"])
def test_pictogram_with_a_path_is_refused(name: str) -> None:
    error = refuse(lambda d: demarche(d).update(pictogram=name))
    assert error.key == "pictogram"
    assert "without folders" in error.problem


def test_pictogram_must_be_an_svg_name() -> None:
    error = refuse(lambda d: field(d, "sujet")["options"][0].update(pictogram="rue.png"))
    assert (error.field_id, error.key) == ("sujet", "options[0].pictogram")


def test_missing_pictogram_file_when_folder_is_given(tmp_path: Any) -> None:
    with pytest.raises(CatalogError, match=r"no pictogram file 'rue\.svg'"):
        parse_catalog(sample(), pictogram_dir=tmp_path)


# ---------------------------------------------------------------- other named errors

@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: field(d, "accord").update(required=False), "always required"),
        (lambda d: field(d, "bienvenue").update(required=True), "cannot be required"),
        (lambda d: field(d, "nombre")["rules"][0].update(value=10), "above max_value"),
        (lambda d: field(d, "sujet").update(options=field(d, "sujet")["options"][:1]),
         "at least 2"),
        (lambda d: field(d, "code")["rules"][0].update(value="[a-"), "regular expression"),
        (lambda d: d["commune"].update(postcodes={"00100": ["X"]}), "not a French postcode"),
        (lambda d: d["commune"].update(reference_prefix="adm"), "capital letters"),
        (lambda d: demarche(d).update(category="inconnue"), "unknown category"),
        (lambda d: d.update(places=[]) or field(d, "lieu").update(free_text=False),
         "needs a list"),
    ],
)
def test_inconsistent_values(mutate: Mutation, words: str) -> None:
    assert words in refuse(mutate).problem


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe", b"{", b"[1, 2]", b"null", b'{"a": NaN}', b"[" * 100_000,
     b'{"n": 1' + b"0" * 5000 + b"}"],
)
def test_not_a_catalog_at_all(raw: bytes) -> None:
    with pytest.raises(CatalogError):
        load_catalog_bytes(raw)


def test_error_is_a_value_error_with_a_readable_message() -> None:
    data = sample()
    field(data, "texte")["type"] = "bogus"
    with pytest.raises(ValueError, match="field 'texte'"):
        load_catalog_bytes(json.dumps(data).encode())


def test_an_unforeseen_shape_is_a_named_refusal_not_a_crash() -> None:
    def mutate(data: dict[str, Any]) -> None:
        fields = demarche(data)["fields"]
        fields[-1]["id"] = [1]
        fields[0]["condition"] = {"field": "nowhere", "equals": "x"}

    refuse(mutate)
