"""``kiosk catalog import-wcs``: a w.c.s. form's schema (from the fake w.c.s., both
versions of ``required``) becomes a draft démarche, types and varnames filled in, every
text a draft; ``kiosk catalog check`` refuses it until the drafts are rewritten, then the
démarche goes to that form. Any JSON for a schema is read or refused, never a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import secrets
from kiosk.catalog.store import bundled_catalog_path
from kiosk.connectors.wcs_schema import is_required, parse_schema
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from tests.kiosk.connectors.test_request_status import JSON
from tests.kiosk.test_enroll import (  # noqa: F401  (fixtures)
    SharedKeyring,
    empty_shared_keyring,
    keep_log_capture,
)
from wiring.cli import main

SLUG = "badge-decheterie"


def schema(required: Any = "required", optional: Any = "optional") -> dict[str, Any]:
    return {"name": "Demande de badge déchetterie", "slug": SLUG, "fields": [
        {"id": "1", "type": "page", "label": "Vous"},
        {"id": "2", "type": "string", "label": "Nom de famille", "varname": "nom",
         "required": required, "hint": "Tel qu'il  est écrit\nsur la carte"},
        {"id": "3", "type": "email", "label": "Courriel", "varname": "courriel",
         "required": optional},
        {"id": "4", "type": "item", "label": "Type de véhicule", "varname": "vehicule",
         "required": required, "items": ["Voiture", "Camionnette (< 3,5 t)"]},
        {"id": "5", "type": "items", "label": "Jours", "varname": "jours",
         "required": optional, "items": ["Lundi", "Mardi", "Mardi"]},
        {"id": "6", "type": "bool", "label": "Résident ?", "varname": "resident",
         "required": optional},
        {"id": "7", "type": "map", "label": "Où ?", "varname": "lieu", "required": optional},
        {"id": "8", "type": "file", "label": "Justificatif", "varname": "justificatif",
         "required": required},
        {"id": "9", "type": "item", "label": "Commune", "varname": "commune",
         "required": required, "data_source": {"type": "json"}},
        {"id": "10", "type": "string", "label": "Sans nom", "required": optional},
        {"id": "11", "type": "string", "label": "UUID", "varname": "kiosk_uuid",
         "required": "frontoffice"},
        {"id": "12", "type": "date", "label": "Date", "varname": "date_demande",
         "required": "frontoffice"},
    ]}


@pytest.fixture(params=["since-2025", "before-2025"])
def wcs(request: pytest.FixtureRequest) -> Iterator[RunningWcs]:
    """The fake w.c.s. serving the form's schema with ``required`` as either version."""
    served = schema() if request.param == "since-2025" else schema(True, False)
    with running_wcs({SLUG: ["nom"]}, schemas={SLUG: served}) as site:
        yield site


def enrol(key: str) -> None:
    """The w.c.s. key in the keyring every command of the test installs."""
    SharedKeyring().set_password(secrets.SERVICE, secrets.WCS_API_KEY, key)


def kiosk_toml(tmp_path: Path, data_dir: Path, url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{data_dir}"\nlanguages = ["fr"]\n'
        '[security]\nkeyring_backend = "tests.kiosk.test_enroll.SharedKeyring"\n'
        f'[backoffice]\nkind = "wcs"\nurl = "{url}"\norig = "{ORIG}"\n',
        encoding="utf-8",
    )
    return path


def run(config: Path, capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    code = main(["--config", str(config), "catalog", *words])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def undraft(value: Any) -> Any:
    """The catalog with every draft mark removed (as a writer does after rewriting)."""
    if isinstance(value, dict):
        return {k: undraft(v) for k, v in value.items() if k != "draft"}
    if isinstance(value, list):
        return [undraft(v) for v in value]
    return value


def test_a_form_becomes_a_draft_demarche_that_cannot_be_published_as_it_is(
    wcs: RunningWcs, tmp_path, data_dir, capsys
) -> None:
    enrol(KEY)
    config = kiosk_toml(tmp_path, data_dir, wcs.url)
    catalog = tmp_path / "catalogue.json"
    catalog.write_bytes(bundled_catalog_path().read_bytes())

    code, out, err = run(config, capsys, "import-wcs", SLUG, "--into", str(catalog))
    assert code == 0, err
    assert err.splitlines()[0].startswith(f"[1/3] asking {wcs.url} for the schema")
    assert "[2/3] 10 field(s) read: 7 question(s), 3 left out" in err
    assert "left out: justificatif (file)" in err
    assert "left out: commune (item): 0 choices" in err
    assert "left out: 1 field(s) without a varname" in err
    assert err.splitlines()[-1].startswith("[3/3] draft démarche badge-decheterie added")

    data = json.loads(catalog.read_text(encoding="utf-8"))
    demarche = data["demarches"][-1]
    assert demarche["title"] == {"fr": "Demande de badge déchetterie", "draft": True}
    fields = {f["id"]: f for f in demarche["fields"]}
    assert [f["type"] for f in demarche["fields"]] == [
        "short_text", "email", "single_choice", "multiple_choice", "yes_no", "place", "date",
        "consent"]
    assert fields["nom"]["required"] is True
    assert fields["courriel"]["required"] is False
    assert fields["date-demande"]["required"] is False  # required on the web site only
    assert fields["nom"]["help"] == {"fr": "Tel qu'il est écrit sur la carte", "draft": True}
    assert [o["id"] for o in fields["jours"]["options"]] == ["lundi", "mardi", "mardi-2"]
    target = demarche["backoffices"]["wcs"]
    assert target["formdef"] == SLUG
    assert target["fields"]["vehicule"] == {"varname": "vehicule", "values": {
        "voiture": "Voiture", "camionnette-3-5-t": "Camionnette (< 3,5 t)"}}
    assert target["fields"]["date-demande"] == {"varname": "date_demande"}
    assert target["uuid_varname"] == "kiosk_uuid"

    code, out, _err = run(config, capsys, "check", str(catalog), "--backoffice", "wcs")
    assert code == 1
    drafts = [line for line in out.splitlines() if "this text is a draft" in line]
    assert "démarche 'badge-decheterie', key 'title'" in drafts[0]
    assert len(drafts) >= 9

    catalog.write_text(json.dumps(undraft(data), ensure_ascii=False), encoding="utf-8")
    code, out, _err = run(config, capsys, "check", str(catalog))
    assert "badge-decheterie" not in out  # once rewritten, nothing else is left to do
    assert code == 0, out


def test_without_into_the_draft_is_printed_for_a_redirection(wcs, tmp_path, data_dir, capsys):
    enrol(KEY)
    code, out, err = run(kiosk_toml(tmp_path, data_dir, wcs.url), capsys, "import-wcs", SLUG)
    assert code == 0
    assert json.loads(out)["backoffices"]["wcs"]["formdef"] == SLUG
    assert "[3/3] draft démarche printed" in err


@pytest.mark.parametrize("case", [
    (KEY, "pas-de-formulaire", "w.c.s. refused: HTTP 404"),
    ("mauvaise-cle", SLUG, "refused the signature"),
    ("", SLUG, "no w.c.s. key enrolled: kiosk enroll wcs-key"),
    (KEY, "Pas Un Slug", "is not a w.c.s. form slug"),
])
def test_refusals_are_named_without_a_traceback(wcs, tmp_path, data_dir, capsys, case) -> None:
    key, slug, said = case
    enrol(key)
    code, out, err = run(kiosk_toml(tmp_path, data_dir, wcs.url), capsys, "import-wcs", slug)
    assert code == 1
    assert said in err
    assert out == ""


def test_required_of_every_version() -> None:
    assert [is_required(v) for v in (True, False, "required", "optional", "frontoffice",
                                     "backoffice", None, 1)] == [
        True, False, True, False, False, True, False, False]


@settings(max_examples=200)
@given(JSON | st.fixed_dictionaries({"fields": st.lists(
    st.dictionaries(st.sampled_from(["type", "varname", "label", "required", "items"]),
                    JSON | st.sampled_from(["string", "item", "x_1"])), max_size=5)}))
def test_any_json_is_a_schema_or_refused(document: object) -> None:
    parsed = parse_schema(document)
    assert parsed is None or all(f.varname and f.type for f in parsed.fields)
