"""A démarche's ``backoffices`` (w.c.s. and Open311 targets) and places' locations: read
strictly, every problem named by démarche, field and key; never anything but a
CatalogError, whatever the JSON."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog import CatalogError, parse_catalog
from kiosk.catalog.model import Open311Attribute, WcsFieldTarget
from tests.kiosk.catalog.samples import demarche, field, sample
from tests.kiosk.catalog.test_hostile_catalogs import Mutation, refuse

ANSWERED = ["sujet", "precision", "texte", "nombre", "naissance", "rdv", "jours", "rappel",
            "courriel", "tel", "adresse", "lieu", "code", "accord"]


def mapped() -> dict[str, Any]:
    """The sample catalog, its place located and its démarche mapped to both back offices."""
    data = sample()
    data["places"][0].update({"lat": 47.93412, "long": 0.14258,
                              "address": "Place de la Mairie, 72999 Admiville"})
    demarche(data)["backoffices"] = {
        "wcs": {
            "formdef": "essai-borne",
            "fields": {
                "sujet": {"varname": "sujet", "values": {"rue": "La rue", "autre": "Autre"}},
                "texte": {"varname": "texte"},
                "lieu": {"varname": "lieu"},
            },
            "ignore": [q for q in ANSWERED if q not in {"sujet", "texte", "lieu"}],
        },
        "open311": {
            "service_code": "voirie",
            "location": "lieu",
            "description": "texte",
            "attributes": {"sujet": {"code": "nature", "values": {"rue": "r", "autre": "a"}},
                           "rappel": {"code": "rappel"}},
            "contact": {"email": "courriel", "phone": "tel", "last_name": "precision"},
            "ignore": ["nombre", "naissance", "rdv", "jours", "adresse", "code", "accord"],
        },
    }
    return data


def test_a_good_mapping_is_read_into_targets() -> None:
    essai = parse_catalog(mapped()).demarche("essai")
    wcs, open311 = essai.backoffices.wcs, essai.backoffices.open311
    assert wcs is not None
    assert open311 is not None
    assert wcs.formdef == "essai-borne"
    assert wcs.uuid_varname == "kiosk_uuid"
    assert wcs.fields["sujet"] == WcsFieldTarget("sujet", {"rue": "La rue", "autre": "Autre"})
    # A place mapped without values: its coordinates, as w.c.s. map fields take them.
    assert dict(wcs.fields["lieu"].values) == {"mairie": "47.93412;0.14258"}
    assert "accord" in wcs.ignore
    assert open311.service_code == "voirie"
    assert (open311.location, open311.description) == ("lieu", "texte")
    assert open311.attributes["rappel"] == Open311Attribute("rappel")
    assert open311.places["mairie"].coordinates == (47.93412, 0.14258)
    assert dict(open311.contact) == {"email": "courriel", "phone": "tel",
                                     "last_name": "precision"}
    place = essai.field("lieu").options[0]
    assert place.coordinates == (47.93412, 0.14258)
    assert place.address == "Place de la Mairie, 72999 Admiville"
    assert essai.backoffices.has("wcs")
    assert essai.backoffices.has("http")


def test_a_demarche_without_backoffices_has_no_target() -> None:
    essai = parse_catalog(sample()).demarche("essai")
    assert essai.backoffices.wcs is None
    assert essai.backoffices.open311 is None
    assert not essai.backoffices.has("wcs")
    assert not essai.backoffices.has("open311")
    assert essai.backoffices.has("http")
    assert essai.backoffices.has("none")


def _wcs(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = demarche(data)["backoffices"]["wcs"]
    return result


def _o311(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = demarche(data)["backoffices"]["open311"]
    return result


def _place(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["places"][0]
    return result


def _own_places(places: list[dict[str, Any]]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        field(data, "lieu")["places"] = places
    return mutate


@pytest.mark.parametrize(
    ("mutate", "field_id", "key", "words"),
    [
        # the backoffices object
        (lambda d: demarche(d).update(backoffices=[]), None, "backoffices", "expected an object"),
        (lambda d: demarche(d)["backoffices"].update(sap={}), None, "backoffices",
         "unknown key 'sap'"),
        # w.c.s.
        (lambda d: _wcs(d).update(formdef="Essai Borne"), None, "backoffices.wcs.formdef",
         "w.c.s. form slug"),
        (lambda d: _wcs(d).pop("formdef"), None, "backoffices.wcs", "missing key 'formdef'"),
        (lambda d: _wcs(d).update(uuid_varname="kiosk-uuid"), None,
         "backoffices.wcs.uuid_varname", "w.c.s. varname"),
        (lambda d: _wcs(d).update(fields=[]), None, "backoffices.wcs.fields",
         "expected an object"),
        (lambda d: _wcs(d)["fields"].update(inconnu={"varname": "x"}), "inconnu",
         "backoffices.wcs.fields.inconnu", "unknown question 'inconnu'"),
        (lambda d: _wcs(d)["fields"].update(bienvenue={"varname": "x"}), "bienvenue",
         "backoffices.wcs.fields.bienvenue", "information page"),
        (lambda d: _wcs(d)["fields"]["texte"].update(varname="Texte"), "texte",
         "backoffices.wcs.fields.texte.varname", "w.c.s. varname"),
        (lambda d: _wcs(d)["fields"]["texte"].update(label="x"), "texte",
         "backoffices.wcs.fields.texte", "unknown key 'label'"),
        (lambda d: _wcs(d)["fields"]["texte"].update(varname="sujet"), "texte",
         "backoffices.wcs.fields.texte.varname", "already used by 'sujet'"),
        (lambda d: _wcs(d)["fields"]["texte"].update(varname="kiosk_uuid"), "texte",
         "backoffices.wcs.fields.texte.varname", "already used by 'uuid_varname'"),
        (lambda d: _wcs(d)["fields"]["texte"].update(values={"a": "b"}), "texte",
         "backoffices.wcs.fields.texte.values", "no options"),
        (lambda d: _wcs(d)["fields"]["sujet"]["values"].pop("autre"), "sujet",
         "backoffices.wcs.fields.sujet.values", "no value for option 'autre'"),
        (lambda d: _wcs(d)["fields"]["sujet"]["values"].update(loin="x"), "sujet",
         "backoffices.wcs.fields.sujet.values", "unknown key 'loin'"),
        (lambda d: _wcs(d)["fields"]["sujet"]["values"].update(rue=""), "sujet",
         "backoffices.wcs.fields.sujet.values.rue", "empty"),
        (lambda d: _place(d).pop("lat") and _place(d).pop("long"), "lieu",
         "backoffices.wcs.fields.lieu", "place 'mairie' has no coordinates"),
        (lambda d: _wcs(d)["ignore"].remove("code"), "code", "backoffices.wcs",
         "sent nowhere"),
        (lambda d: _wcs(d)["ignore"].append("texte"), None, "backoffices.wcs.ignore[11]",
         "both sent and ignored"),
        (lambda d: _wcs(d)["ignore"].append(3), None, "backoffices.wcs.ignore[11]",
         "expected a question id"),
        (lambda d: _wcs(d)["ignore"].append("personne"), None, "backoffices.wcs.ignore[11]",
         "unknown question 'personne'"),
        (lambda d: _wcs(d).update(ignore="code"), None, "backoffices.wcs.ignore",
         "expected a list"),
        # Open311
        (lambda d: _o311(d).update(service_code="voirie/1"), None,
         "backoffices.open311.service_code", "Open311 service code"),
        (lambda d: _o311(d).pop("location"), None, "backoffices.open311",
         "missing key 'location'"),
        (lambda d: _o311(d).update(location="texte"), None, "backoffices.open311.location",
         "expected address_fr or place"),
        (lambda d: _o311(d).update(location=["lieu"]), None, "backoffices.open311.location",
         "expected a question id"),
        (lambda d: [_place(d).pop(k) for k in ("lat", "long", "address")]
         and demarche(d)["backoffices"].pop("wcs"),
         None, "backoffices.open311.location", "neither coordinates"),
        (lambda d: _o311(d).update(description="nombre"), None,
         "backoffices.open311.description", "expected long_text or short_text"),
        (lambda d: _o311(d)["attributes"].update(lieu={"code": "ou"}), "lieu",
         "backoffices.open311.attributes.lieu", "already sent as location"),
        (lambda d: _o311(d)["attributes"].update(nombre={"code": "nature"}), "nombre",
         "backoffices.open311.attributes.nombre.code", "already used by 'sujet'"),
        (lambda d: _o311(d)["attributes"]["rappel"].update(code=""), "rappel",
         "backoffices.open311.attributes.rappel.code", "attribute code"),
        (lambda d: _o311(d)["attributes"]["rappel"].update(values={"oui": "1"}), "rappel",
         "backoffices.open311.attributes.rappel.values", "no options"),
        (lambda d: _o311(d)["attributes"].update(fantome={"code": "f"}), "fantome",
         "backoffices.open311.attributes.fantome", "unknown question 'fantome'"),
        (lambda d: _o311(d)["contact"].update(fax="tel"), None, "backoffices.open311.contact",
         "unknown key 'fax'"),
        (lambda d: _o311(d)["contact"].update(email="tel"), None,
         "backoffices.open311.contact.email", "expected email"),
        (lambda d: _o311(d)["contact"].update(first_name="precision"), None,
         "backoffices.open311.contact.first_name", "already sent as contact last_name"),
        (lambda d: _o311(d)["ignore"].remove("accord"), "accord", "backoffices.open311",
         "sent nowhere"),
        # places
        (lambda d: _place(d).pop("long"), None, "places[0]", "both \"lat\" and \"long\""),
        (lambda d: _place(d).update(lat=91), None, "places[0].lat", "-90 to 90"),
        (lambda d: _place(d).update(long=-180.5), None, "places[0].long", "-180 to 180"),
        (lambda d: _place(d).update(lat="47,9"), None, "places[0].lat", "expected a number"),
        (lambda d: _place(d).update(address=""), None, "places[0].address", "empty"),
        (lambda d: _place(d).update(pictogram="x.svg"), None, "places[0]",
         "unknown key 'pictogram'"),
        (_own_places([{"id": "halle", "label": "Halle", "lat": 1}]), "lieu", "places[0]",
         "both \"lat\" and \"long\""),
        (lambda d: field(d, "sujet")["options"][0].update(lat=1, long=2), "sujet",
         "options[0]", "unknown key 'lat'"),
    ],
)
def test_every_mapping_problem_is_named(
    mutate: Mutation, field_id: str | None, key: str, words: str
) -> None:
    error = refuse(mutate, mapped)
    demarche_id = None if key.startswith("places") and field_id is None else "essai"
    assert (error.demarche_id, error.field_id, error.key) == (demarche_id, field_id, key)
    assert words in error.problem


def test_explicit_place_values_replace_the_coordinates() -> None:
    data = mapped()
    _wcs(data)["fields"]["lieu"]["values"] = {"mairie": "Place de la Mairie"}
    _place(data).pop("lat")
    _place(data).pop("long")
    wcs = parse_catalog(data).demarche("essai").backoffices.wcs
    assert wcs is not None
    assert dict(wcs.fields["lieu"].values) == {"mairie": "Place de la Mairie"}


def test_an_address_alone_locates_a_place_for_open311() -> None:
    data = mapped()
    _place(data).pop("lat")
    _place(data).pop("long")
    demarche(data)["backoffices"].pop("wcs")
    place = parse_catalog(data).demarche("essai").field("lieu").options[0]
    assert place.coordinates is None
    assert place.address == "Place de la Mairie, 72999 Admiville"


# ---------------------------------------------------------------- random JSON

_KEYS = st.sampled_from(
    ["wcs", "open311", "formdef", "fields", "varname", "values", "ignore", "service_code",
     "location", "description", "attributes", "code", "contact", "email", "phone", *ANSWERED]
) | st.text(max_size=6)


def _nested(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # A named function: Hypothesis reads a lambda's source to see that it recurses, and
    # cannot when coverage is measuring (it then warns that the lambda does not recurse).
    return st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.sampled_from([*ANSWERED, "bienvenue", "lieu", "rue", "mairie", "kiosk_uuid"])
    | st.text(max_size=8),
    _nested,
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_random_backoffices_are_read_or_refused_by_name(value: Any) -> None:
    data = sample()
    demarche(data)["backoffices"] = value
    with contextlib.suppress(CatalogError):
        parse_catalog(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["wcs", "open311"]), st.sampled_from(
    ["formdef", "fields", "uuid_varname", "ignore", "service_code", "location",
     "description", "attributes", "contact"]), json_values)
def test_random_values_in_a_good_mapping_are_read_or_refused_by_name(
    office: str, key: str, value: Any
) -> None:
    data = mapped()
    demarche(data)["backoffices"][office][key] = value
    with contextlib.suppress(CatalogError):
        parse_catalog(data)
