"""``[backoffice] kind = "wcs"``: the configuration, the key enrolled in the keyring, and
the connector built from them (or requests kept queued, saying why)."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest

from kiosk import secrets
from kiosk.config import ConfigError, parse_config
from kiosk.connectors.configured import connector_from_config
from kiosk.connectors.wcs import WcsConnector
from tests.kiosk.connectors.wcs_support import DEMARCHE, FORM
from tests.kiosk.test_enroll import (  # noqa: F401  (fixtures)
    config_file,
    empty_shared_keyring,
    keep_log_capture,
)
from wiring.cli import main

WCS = {"backoffice": {"kind": "wcs", "url": "https://demarches.mairie.example",
                      "orig": "borne-mairie-01"}}


def test_kind_wcs_names_its_api_access_and_nothing_secret():
    config = parse_config(WCS, "kiosk.toml")
    assert config.backoffice.orig == "borne-mairie-01"
    with pytest.raises(ConfigError, match=r"needs orig.*kiosk enroll wcs-key"):
        parse_config({"backoffice": {"kind": "wcs"}}, "kiosk.toml")
    with pytest.raises(ConfigError, match="unknown key 'key'"):
        parse_config({"backoffice": {**WCS["backoffice"], "key": "x"}}, "kiosk.toml")


def test_without_an_enrolled_key_requests_stay_queued(caplog):
    config = parse_config(WCS, "kiosk.toml")
    assert connector_from_config(config, {DEMARCHE: FORM}) is None
    assert "kiosk enroll wcs-key" in caplog.text


def test_without_a_mapped_demarche_requests_stay_queued(caplog):
    secrets.set_secret(secrets.WCS_API_KEY, "cle")
    assert connector_from_config(parse_config(WCS, "kiosk.toml")) is None
    assert "no démarche is mapped" in caplog.text


def test_with_key_and_mapping_the_connector_goes_to_the_configured_site():
    secrets.set_secret(secrets.WCS_API_KEY, "cle")
    connector = connector_from_config(parse_config(WCS, "kiosk.toml"), {DEMARCHE: FORM})
    assert isinstance(connector, WcsConnector)
    assert connector.base_url == "https://demarches.mairie.example"
    assert connector.orig == "borne-mairie-01"
    assert connector.deadline == 10.0


@pytest.fixture
def kiosk_toml(request: pytest.FixtureRequest) -> Path:
    """test_enroll's configuration file (its keyring shared by every command)."""
    path: Path = request.getfixturevalue("config_file")
    return path


def enrol_wcs_key(kiosk_toml: Path, monkeypatch, typed: str, *options: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    return main(["--config", str(kiosk_toml), "enroll", "wcs-key", *options])


def test_the_key_is_enrolled_from_stdin_and_never_printed(kiosk_toml, monkeypatch, capsys):
    assert enrol_wcs_key(kiosk_toml, monkeypatch, "k3y-de-la-mairie\n") == 0
    assert keyring.get_password(secrets.SERVICE, secrets.WCS_API_KEY) == "k3y-de-la-mairie"
    out = capsys.readouterr().out
    assert "k3y-de-la-mairie" not in out
    assert "sha256:" in out
    assert 'kind = "wcs"' in out  # this configuration does not use it yet


def test_an_enrolled_key_is_replaced_only_with_force(kiosk_toml, monkeypatch, tmp_path):
    assert enrol_wcs_key(kiosk_toml, monkeypatch, "premiere\n") == 0
    assert enrol_wcs_key(kiosk_toml, monkeypatch, "seconde\n") == 1
    assert keyring.get_password(secrets.SERVICE, secrets.WCS_API_KEY) == "premiere"
    source = tmp_path / "wcs.key"
    source.write_text("seconde\n")
    assert enrol_wcs_key(kiosk_toml, monkeypatch, "", "--force", "--from-file", str(source)) == 0
    assert keyring.get_password(secrets.SERVICE, secrets.WCS_API_KEY) == "seconde"


@pytest.mark.parametrize("typed", ["", "\n", "deux mots\n", "x" * 513 + "\n", "a\x07b\n"])
def test_a_key_that_cannot_be_one_is_refused(kiosk_toml, monkeypatch, typed):
    assert enrol_wcs_key(kiosk_toml, monkeypatch, typed) == 1
    assert keyring.get_password(secrets.SERVICE, secrets.WCS_API_KEY) is None
