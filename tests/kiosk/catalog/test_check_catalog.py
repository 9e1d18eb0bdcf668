"""Checking a whole catalog file before publishing it: every problem named (not only the
first), drafts refused, missing translations warned about, unmapped démarches named."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog import CatalogError, parse_catalog
from kiosk.catalog.parser import check_catalog
from kiosk.catalog.review import Severity, review
from tests.kiosk.catalog.samples import demarche, field, sample
from tests.kiosk.catalog.test_backoffices import mapped
from tests.kiosk.catalog.test_parser_fuzz import _paths, json_values


def where(error: CatalogError) -> tuple[str | None, str | None, str | None]:
    return error.demarche_id, error.field_id, error.key


def second_demarche(data: dict[str, Any], demarche_id: str = "autre") -> dict[str, Any]:
    copy = {**deepcopy(demarche(data)), "id": demarche_id}
    copy.pop("backoffices", None)
    data["demarches"].append(copy)
    return copy


# ---------------------------------------------------------------- drafts

def test_a_text_may_be_marked_draft_and_the_kiosk_still_reads_it() -> None:
    data = sample()
    demarche(data)["title"] = {"fr": "Essai", "en": "Trial", "draft": True}
    title = parse_catalog(data).demarche("essai").title
    assert title.draft
    assert (title.fr, title.en) == ("Essai", "Trial")
    assert not parse_catalog(sample()).demarche("essai").title.draft


@pytest.mark.parametrize(
    ("title", "key", "words"),
    [
        ({"fr": "Essai", "draft": "oui"}, "title.draft", "expected true or false"),
        ({"en": "Trial", "draft": True}, "title", "French text"),
        ({"fr": "Essai", "brouillon": True}, "title", "allowed: fr, en, ar, draft"),
    ],
)
def test_a_wrong_draft_mark_is_named(title: object, key: str, words: str) -> None:
    data = sample()
    demarche(data)["title"] = title
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert where(caught.value) == ("essai", None, key)
    assert words in caught.value.problem


# ---------------------------------------------------------------- every problem

def test_a_good_file_has_no_problem() -> None:
    checked = check_catalog(mapped())
    assert checked.problems == ()
    assert checked.catalog == parse_catalog(mapped())


def test_every_problem_of_every_demarche_and_field_is_named() -> None:
    data = mapped()
    autre = second_demarche(data)
    autre["category"] = "inconnue"
    bonne = second_demarche(data, "bonne")
    bonne["title"] = "Bonne"
    demarche(data)["version"] = 0
    demarche(data)["pictogram"] = "Essai.svg"
    field(data, "texte")["required"] = "non"
    field(data, "nombre")["rules"][0]["rule"] = "plus_grand"
    demarche(data)["backoffices"]["wcs"]["formdef"] = "Essai"
    demarche(data)["backoffices"]["open311"]["contact"]["email"] = "tel"
    checked = check_catalog(data)
    assert {where(p) for p in checked.problems} == {
        ("essai", None, "version"),
        ("essai", None, "pictogram"),
        ("essai", "texte", "required"),
        ("essai", "nombre", "rules[0].rule"),
        ("essai", None, "backoffices.wcs.formdef"),
        ("essai", None, "backoffices.open311.contact.email"),
        ("essai", "courriel", "backoffices.open311"),  # no longer sent: true on its own
        ("autre", None, "category"),
    }
    assert len(checked.problems) == 8
    # What has no problem is still read (for the review); what has one is left out.
    assert checked.catalog is not None
    assert [d.id for d in checked.catalog.demarches] == ["bonne"]


def test_what_follows_from_a_broken_field_is_not_named_again() -> None:
    data = mapped()
    field(data, "sujet")["type"] = "choix"  # the condition, routing and mappings on it follow
    checked = check_catalog(data)
    assert [where(p) for p in checked.problems] == [("essai", "sujet", "type")]


def test_a_problem_at_the_top_is_the_only_one_named() -> None:
    data = mapped()
    data["services"] = "accueil"
    demarche(data)["version"] = 0
    checked = check_catalog(data)
    assert checked.catalog is None
    assert [where(p) for p in checked.problems] == [(None, None, "services")]


def test_a_shape_nobody_foresaw_is_still_a_named_problem() -> None:
    checked = check_catalog([])
    assert checked.catalog is None
    assert "expected an object" in checked.problems[0].problem


# ---------------------------------------------------------------- review

def test_review_refuses_drafts_and_warns_about_missing_languages() -> None:
    data = sample()
    demarche(data)["title"] = {"fr": "Essai", "draft": True}
    field(data, "sujet")["options"][0]["label"] = {"fr": "La rue", "en": "The street",
                                                   "draft": True}
    catalog = parse_catalog(data)
    findings = review(catalog, languages=("fr", "en"))
    errors = [where(f.error) for f in findings if f.severity is Severity.ERROR]
    assert errors == [("essai", None, "title"), ("essai", "sujet", "options[0].label")]
    warned = {where(f.error): f.error.problem for f in findings
              if f.severity is Severity.WARNING}
    assert warned[("essai", None, "title")] == "no translation in en (French is shown instead)"
    assert ("essai", "bienvenue", "label") in warned
    assert (None, None, "places[0].label") not in warned  # a street name: never translated
    assert not any(w[1] == "lieu" and "places" in (w[2] or "") for w in warned)
    assert ("essai", "sujet", "options[0].label") not in warned  # has English
    assert all(f.severity is Severity.ERROR for f in review(catalog, languages=("fr",)))


def test_review_names_demarches_a_backoffice_cannot_take() -> None:
    data = mapped()
    second_demarche(data)
    catalog = parse_catalog(data)
    for office in ("wcs", "open311"):
        findings = review(catalog, languages=("fr",), backoffice=office)
        assert [(f.severity, where(f.error)) for f in findings] == [
            (Severity.ERROR, ("autre", None, "backoffices"))
        ]
        assert f"no {office} mapping" in findings[0].line()
    assert review(catalog, languages=("fr",)) == []


# ---------------------------------------------------------------- random changes

_MAPPED_PATHS = _paths(mapped())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_MAPPED_PATHS), json_values)
def test_checking_agrees_with_loading_whatever_one_value_becomes(
    path: tuple[Any, ...], value: Any
) -> None:
    """A whole-file check never raises; it finds a problem exactly when loading refuses,
    and the first problem loading names is among those it names."""
    data = mapped()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    checked = check_catalog(data)
    try:
        loaded, refused = parse_catalog(data), None
    except CatalogError as error:
        loaded, refused = None, str(error)
    if refused is None:
        assert checked.problems == ()
        assert checked.catalog == loaded
    else:
        assert refused in {str(p) for p in checked.problems}
