"""``kiosk doctor`` asks w.c.s. and Open311 for real (kiosk/doctor/backoffice.py), against
the fakes in subprocesses: each failing check names what is wrong and what to do."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import doctor, secrets
from kiosk.catalog.store import bundled_catalog_path
from kiosk.config import BackofficeSection, CatalogSection, Config
from kiosk.doctor import CheckResult, Level
from kiosk.doctor.backoffice import (
    check_backoffice,
    check_backoffice_clock,
    check_backoffice_services,
)
from tests.fakes.open311_process import API_KEY, RunningOpen311, running_open311
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from wiring.commands.doctor import split_remedy

SLUG = "signalement-voirie"  # the bundled catalog's street report
VARNAMES = ("kiosk_uuid", "probleme", "lieu", "description", "danger", "rappel", "telephone")
NATURES = ("chaussee", "eclairage", "proprete", "graffiti", "autre")


def services(natures: tuple[str, ...] = NATURES, code: str = "voirie") -> dict[str, object]:
    return {code: {"service_name": "Voirie", "attributes": [
        {"code": "nature", "datatype": "singlevaluelist", "required": True, "variable": True,
         "values": [{"key": key, "name": key} for key in natures]},
        {"code": "danger", "datatype": "string", "required": False, "variable": True},
        {"code": "rappel", "datatype": "string", "required": False, "variable": True},
    ]}}


def config(kind: str, url: str, **office: object) -> Config:
    return Config(backoffice=BackofficeSection(kind=kind, url=url, timeout_seconds=3.0,
                                               **office))  # type: ignore[arg-type]


def wcs_config(site: RunningWcs) -> Config:
    secrets.set_secret(secrets.WCS_API_KEY, KEY)
    return config("wcs", site.url, orig=ORIG)


def verdict(result: CheckResult) -> tuple[Level, str]:
    return result.level, result.detail


@pytest.fixture(scope="module")
def wcs() -> Iterator[RunningWcs]:
    with running_wcs({SLUG: VARNAMES}) as site:
        yield site


def test_the_checks_are_registered_with_the_doctor() -> None:
    names = [doctor.check_name(check) for check in doctor.ALL_CHECKS]
    assert {"backoffice", "backoffice-clock", "backoffice-services"} <= set(names)


def test_the_own_api_is_not_asked_here() -> None:
    for check in (check_backoffice, check_backoffice_clock, check_backoffice_services):
        assert check(config("http", "http://127.0.0.1:9")).level is Level.OK


def test_a_wcs_site_as_the_catalog_says_is_ok(wcs: RunningWcs) -> None:
    level, detail = verdict(check_backoffice(wcs_config(wcs)))
    assert level is Level.OK, detail
    assert "API access borne-test accepted" in detail
    assert check_backoffice_clock(wcs_config(wcs)).level is Level.OK


def test_a_wrong_key_says_to_enrol_it_again(wcs: RunningWcs) -> None:
    cfg = wcs_config(wcs)
    secrets.set_secret(secrets.WCS_API_KEY, "une-autre-cle")
    level, detail = verdict(check_backoffice(cfg))
    assert level is Level.FAIL
    assert "refused the signature" in detail
    assert split_remedy(detail)[1] == (
        "enrol the API access's key again: kiosk enroll wcs-key --force")


def test_without_a_key_it_says_which_to_enrol(wcs: RunningWcs) -> None:
    cfg = wcs_config(wcs)
    secrets.set_secret(secrets.WCS_API_KEY, "")
    assert verdict(check_backoffice(cfg)) == (
        Level.FAIL, "no key enrolled; kiosk enroll wcs-key")


def test_a_form_without_a_mapped_field_is_named() -> None:
    with running_wcs({SLUG: [v for v in VARNAMES if v not in ("kiosk_uuid", "telephone")]},
                     old_schema=True) as site:
        level, detail = verdict(check_backoffice(wcs_config(site)))
    assert level is Level.FAIL
    assert "démarche signalement-rue (form signalement-voirie)" in detail
    assert "no field kiosk_uuid, telephone" in detail


def test_a_franceconnect_form_needs_tracking_codes(tmp_path: Path) -> None:
    """Only a draft's tracking code opens it on the resident's phone."""
    catalog = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    street = next(d for d in catalog["demarches"] if d["id"] == "signalement-rue")
    street["backoffices"]["wcs"]["franceconnect"] = True
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    results = []
    for codes in ([], [SLUG]):
        with running_wcs({SLUG: VARNAMES}, tracking_codes=codes) as site:
            office = wcs_config(site).backoffice
            cfg = Config(backoffice=office, catalog=CatalogSection(path=str(path)))
            results.append(verdict(check_backoffice(cfg)))
    [(without, detail), (with_codes, _)] = results
    assert without is Level.FAIL
    assert "démarche signalement-rue (form signalement-voirie)" in detail
    assert "no tracking codes" in detail
    assert with_codes is Level.OK


def test_a_form_missing_on_the_site_is_named() -> None:
    with running_wcs({"autre-formulaire": VARNAMES}) as site:
        level, detail = verdict(check_backoffice(wcs_config(site)))
    assert level is Level.FAIL
    assert "HTTP 404" in detail
    assert "backoffices.wcs.formdef" in detail


@pytest.mark.parametrize(("offset", "level"), [(15, Level.WARN), (-45, Level.FAIL)])
def test_the_clock_is_compared_with_wcs_window(wcs: RunningWcs, offset, level) -> None:
    wcs.faults(clock_offset=offset)
    try:
        result = check_backoffice_clock(wcs_config(wcs))
        signed = check_backoffice(wcs_config(wcs))
    finally:
        wcs.faults(clock_offset=0)
    assert result.level is level, result.detail
    assert "timedatectl set-ntp true" in result.detail
    if level is Level.FAIL:  # the signed requests are refused too, and say why
        assert signed.level is Level.FAIL
        assert "clock" in signed.detail


def test_a_back_office_out_of_reach_fails_saying_what_to_check() -> None:
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    secrets.set_secret(secrets.WCS_API_KEY, KEY)
    level, detail = verdict(check_backoffice(config("wcs", url, orig=ORIG)))
    assert level is Level.FAIL
    assert "not reachable; check [backoffice] url" in detail
    level, detail = verdict(check_backoffice_clock(config("wcs", url, orig=ORIG)))
    assert level is Level.FAIL
    assert "check [backoffice] url" in detail


def open311_config(server: RunningOpen311) -> Config:
    secrets.set_secret(secrets.OPEN311_API_KEY, API_KEY)
    return config("open311", server.url)


def test_an_open311_server_as_the_catalog_says_is_ok() -> None:
    with running_open311(services()) as server:
        cfg = open311_config(server)
        access = check_backoffice(cfg)
        listed = check_backoffice_services(cfg)
        clock = check_backoffice_clock(cfg)
        server.control(searchable=False)
        unsearchable = check_backoffice(cfg)
    assert access.level is Level.OK, access.detail
    assert "api_key is checked only when a request is sent" in access.detail
    assert split_remedy(access.detail)[1] == ""  # nothing to do
    assert verdict(listed) == (
        Level.OK, "1 mapped service(s), their attributes and values found")
    assert clock.level is Level.OK, clock.detail
    assert unsearchable.level is Level.WARN
    assert "cannot be searched" in unsearchable.detail


@pytest.mark.parametrize(
    ("served", "named"),
    [
        (services(code="eclairage"), "service code not on the server, for démarche "
                                     "signalement-rue (voirie)"),
        (services(natures=NATURES[:3]), "attribute nature: value autre unknown to the server, "
                                        "attribute nature: value graffiti unknown"),
        ({"voirie": {"attributes": [{"code": "photo", "required": True, "variable": True}]}},
         "attribute danger unknown to the server"),
    ],
)
def test_open311_services_that_differ_from_the_catalog_are_named(served, named) -> None:
    with running_open311(served) as server:
        level, detail = verdict(check_backoffice_services(open311_config(server)))
    assert level is Level.FAIL
    assert named in detail
    assert "fix the catalog's backoffices.open311" in detail


def test_a_server_without_service_definitions_is_a_warning() -> None:
    with running_open311(services(), mode="deviant") as server:
        level, detail = verdict(check_backoffice_services(open311_config(server)))
    assert level is Level.WARN
    assert "attributes not checked" in detail
