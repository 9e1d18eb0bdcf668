"""``kiosk catalog check``: every problem of a catalog file named, exit 0/1/2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.store import bundled_catalog_path
from wiring.cli import main


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    return data


def by_id(data: dict[str, Any], demarche_id: str) -> dict[str, Any]:
    return next(d for d in data["demarches"] if d["id"] == demarche_id)


@pytest.fixture
def config(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\nlanguages = ["fr", "en"]\n',
                    encoding="utf-8")
    return path


def check(config: Path, capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str]:
    code = main(["--config", str(config), "catalog", "check", *words])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_the_bundled_catalog_can_be_published(config, capsys) -> None:
    code, out = check(config, capsys)
    assert code == 0
    # Nothing missing in English or Arabic (street names are names: never reported).
    assert out.splitlines() == [
        f"{bundled_catalog_path()}: 0 problem(s), 0 warning(s): can be published"]
    assert out.splitlines()[-1] == (
        f"{bundled_catalog_path()}: 0 problem(s), 0 warning(s): can be published")


def test_every_problem_is_named_and_the_exit_code_is_1(config, capsys, tmp_path) -> None:
    data = bundled()
    by_id(data, "acte-etat-civil")["version"] = "2"
    by_id(data, "demande-logement")["fields"][1]["type"] = "texte"
    rue = by_id(data, "signalement-rue")
    rue["backoffices"]["wcs"]["fields"]["inconnue"] = {"varname": "x"}
    rue["backoffices"]["open311"]["service_code"] = "voirie urgente"
    rue["title"]["draft"] = True
    code, out = check(config, capsys, write(tmp_path, data))
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR  démarche 'acte-etat-civil', key 'version': expected a whole number from 1 to "
        "1000000, got '2'",
        "ERROR  démarche 'demande-logement', field 'nom', key 'type': unknown field type "
        "'texte'; known: " + ", ".join([
            "short_text", "long_text", "number", "date", "single_choice", "multiple_choice",
            "yes_no", "email", "phone_fr", "address_fr", "place", "info", "consent"]),
        "ERROR  démarche 'signalement-rue', field 'inconnue', key "
        "'backoffices.wcs.fields.inconnue': unknown question 'inconnue'",
        "ERROR  démarche 'signalement-rue', key 'backoffices.open311.service_code': expected "
        "an Open311 service code (letters, digits, . : - or _), got 'voirie urgente'",
    ]
    assert out.splitlines()[-1].endswith("4 problem(s), 0 warning(s): cannot be published")


def test_drafts_cannot_be_published(config, capsys, tmp_path) -> None:
    data = bundled()
    by_id(data, "quel-service")["fields"][0]["label"]["draft"] = True
    code, out = check(config, capsys, write(tmp_path, data))
    assert code == 1
    assert ("ERROR  démarche 'quel-service', field 'sujet', key 'label': this text is a "
            "draft: have it reviewed, then remove \"draft\"") in out


def test_missing_translations_in_offered_languages_are_warnings(
    config, capsys, tmp_path
) -> None:
    data = bundled()
    by_id(data, "quel-service")["title"].pop("en")
    code, out = check(config, capsys, write(tmp_path, data))
    assert code == 0
    assert ("WARN   démarche 'quel-service', key 'title': no translation in en (French is "
            "shown instead)") in out.splitlines()
    assert "1 warning(s): can be published" in out
    # Arabic is not offered by this configuration: no warning about it.
    assert " ar " not in out


def test_with_a_backoffice_unmapped_demarches_are_problems(config, capsys) -> None:
    code, out = check(config, capsys, "--backoffice", "wcs")
    assert code == 1
    named = [line.split("'")[1] for line in out.splitlines() if line.startswith("ERROR")]
    assert named == ["acte-etat-civil", "demande-logement", "reclamation-suggestion",
                     "portail-famille", "quel-service"]
    assert "no wcs mapping" in out


def test_a_catalog_mapped_everywhere_passes_with_its_backoffice(config, capsys, tmp_path):
    data = bundled()
    data["demarches"] = [by_id(data, "signalement-rue")]
    for office in ("wcs", "open311"):
        assert check(config, capsys, write(tmp_path, data), "--backoffice", office)[0] == 0


def test_the_configured_catalog_is_checked_by_default(config, capsys, tmp_path) -> None:
    path = write(tmp_path, {"schema_version": 1})
    config.write_text(config.read_text() + f'[catalog]\npath = "{path}"\n', encoding="utf-8")
    code, out = check(config, capsys)
    assert code == 1
    assert out.splitlines() == [
        "ERROR  missing key 'commune'",
        f"{path}: 1 problem(s), 0 warning(s): cannot be published",
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"{\"schema_version\": 1,", "not valid JSON at line 1"),
     (b"\xff\xfe", "not UTF-8"),
     (None, "cannot read")],
)
def test_unreadable_files_are_one_problem(config, capsys, tmp_path, content, words) -> None:
    path = tmp_path / "x.json"
    if content is not None:
        path.write_bytes(content)
    code, out = check(config, capsys, str(path))
    assert code == 1
    assert out.startswith("ERROR")
    assert words in out


@pytest.mark.parametrize(
    "words", [["catalog"], ["catalog", "check", "--backoffice", "sap"],
              ["catalog", "verify"], ["catalog", "check", "a.json", "b.json"]]
)
def test_usage_errors_exit_2(capsys, words) -> None:
    with pytest.raises(SystemExit) as caught:
        main(words)
    assert caught.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_an_unreadable_configuration_exits_2(tmp_path, capsys) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[kiosk\n", encoding="utf-8")
    assert main(["--config", str(bad), "catalog", "check"]) == 2
    assert "kiosk:" in capsys.readouterr().err
