"""``[backoffice] kind = "open311"``: the configuration, the api_key enrolled in the
keyring, and the connector built from them (or requests kept queued, saying why)."""

from __future__ import annotations

import io

import keyring
import pytest

from kiosk import secrets
from kiosk.config import ConfigError, parse_config
from kiosk.connectors.configured import connector_from_config
from kiosk.connectors.open311 import Open311Connector
from tests.kiosk.connectors.open311_support import DEMARCHE, SERVICE
from tests.kiosk.test_enroll import (  # noqa: F401  (fixtures)
    config_file,
    empty_shared_keyring,
    keep_log_capture,
)
from wiring.cli import main

OPEN311 = {"backoffice": {"kind": "open311", "url": "https://signalements.mairie.example/v2",
                          "jurisdiction_id": "admiville.fr"}}


def test_kind_open311_names_its_server_and_nothing_secret():
    config = parse_config(OPEN311, "kiosk.toml")
    assert (config.backoffice.kind, config.backoffice.jurisdiction_id) == ("open311",
                                                                           "admiville.fr")
    with pytest.raises(ConfigError, match="unknown key 'api_key'"):
        parse_config({"backoffice": {**OPEN311["backoffice"], "api_key": "x"}}, "kiosk.toml")
    with pytest.raises(ConfigError, match="jurisdiction_id"):
        parse_config({"backoffice": {"kind": "open311", "jurisdiction_id": "a\nb"}}, "k.toml")


def test_without_an_enrolled_key_requests_stay_queued(caplog):
    config = parse_config(OPEN311, "kiosk.toml")
    assert connector_from_config(config, open311_services={DEMARCHE: SERVICE}) is None
    assert "kiosk enroll open311-key" in caplog.text


def test_without_a_mapped_demarche_requests_stay_queued(caplog):
    secrets.set_secret(secrets.OPEN311_API_KEY, "cle")
    assert connector_from_config(parse_config(OPEN311, "kiosk.toml")) is None
    assert "no démarche is mapped to an Open311 service" in caplog.text


def test_with_key_and_mapping_the_connector_goes_to_the_configured_server():
    secrets.set_secret(secrets.OPEN311_API_KEY, "cle")
    connector = connector_from_config(parse_config(OPEN311, "kiosk.toml"),
                                      open311_services={DEMARCHE: SERVICE})
    assert isinstance(connector, Open311Connector)
    assert connector.endpoint == "https://signalements.mairie.example/v2"
    assert connector.jurisdiction_id == "admiville.fr"
    assert connector.deadline == 10.0


def test_the_key_is_enrolled_from_stdin_and_never_printed(request, monkeypatch, capsys):
    toml = request.getfixturevalue("config_file")  # test_enroll's (its keyring shared)
    monkeypatch.setattr("sys.stdin", io.StringIO("k3y-open311\n"))
    assert main(["--config", str(toml), "enroll", "open311-key"]) == 0
    assert keyring.get_password(secrets.SERVICE, secrets.OPEN311_API_KEY) == "k3y-open311"
    out = capsys.readouterr().out
    assert "k3y-open311" not in out
    assert out.startswith("Open311 key enrolled in the keyring (sha256:")
    assert 'kind = "open311"' in out  # this configuration does not use it yet
    monkeypatch.setattr("sys.stdin", io.StringIO("autre\n"))
    assert main(["--config", str(toml), "enroll", "open311-key"]) == 1
    assert keyring.get_password(secrets.SERVICE, secrets.OPEN311_API_KEY) == "k3y-open311"
