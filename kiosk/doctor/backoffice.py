"""``kiosk doctor``'s checks of a w.c.s. or Open311 back office, asked for real.

- ``backoffice``: reachable, and the credentials accepted by signed, harmless requests.
  w.c.s.: for each mapped form, its schema (``GET /api/formdefs/<slug>/schema``: does
  the form have every varname the catalog maps, and the UUID field?) and a look-up of a
  UUID nobody sent (``GET /api/forms/<slug>/list?filter-kiosk_uuid=…``: the API access
  may list the form, the filter exists). Open311 checks its ``api_key`` only on a POST,
  which would make a request: the doctor says so, and checks instead that the server can
  be searched (the duplicate guard needs it).
- ``backoffice-clock``: the terminal's clock against the back office's ``Date`` header:
  w.c.s. refuses a signature more than 30 s off; Open311's search needs it within a day.
- ``backoffice-services`` (Open311): every mapped service code in ``GET services.json``;
  every mapped attribute, and its values, in ``GET services/<code>.json``; every attribute
  the server requires mapped.

Each failing check says what to do. The kiosk's own API (``kind = "http"``) has its own
checks (``pairing``, ``clock``); for it these say so and ask nothing. Listed in
``CHECKS``, gathered by ``kiosk.doctor.ALL_CHECKS``. Nothing personal is printed: slugs,
codes, statuses.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kiosk import secrets
from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, Level

if TYPE_CHECKING:
    from kiosk.connectors.bounded_http import Answer
    from kiosk.connectors.open311 import Open311Connector
    from kiosk.connectors.open311_mapping import Open311Service
    from kiosk.connectors.wcs import WcsConnector, WcsForm

WCS_WINDOW_S = 30.0  # w.c.s. refuses a signature's timestamp further off
WCS_WARN_S = 10.0  # close enough to the window to fix it now
OPEN311_WINDOW_S = 86_400.0  # the duplicate guard searches a day around the request
PROBE_DEADLINE_S = 5.0


class _Problem(Exception):  # noqa: N818 - a finding, not an error
    """A check's FAIL (or WARN) line, raised from deep inside it."""

    def __init__(self, detail: str, level: str = "FAIL") -> None:
        super().__init__(detail)
        self.detail = detail
        self.level = level


def _result(level: str, name: str, detail: str) -> CheckResult:
    return CheckResult(Level(level), name, detail)


def _not_used(config: Config, name: str) -> CheckResult | None:
    kind = config.backoffice.kind
    if kind in ("wcs", "open311"):
        return None
    return _result("OK", name, f"not asked ([backoffice] kind = {kind}: see pairing, clock)")


@contextmanager
def _checking(name: str, found: list[CheckResult]) -> Iterator[None]:
    """Turn a ``_Problem`` or network trouble into the check's line."""
    import requests

    from kiosk.connectors.bounded_http import describe_network_error

    try:
        yield
    except _Problem as problem:
        found.append(_result(problem.level, name, problem.detail))
    except requests.RequestException as error:
        found.append(_result("FAIL", name, f"{describe_network_error(error)}: the back office "
                                           "does not answer; check [backoffice] url and the "
                                           "network (`kiosk doctor` again)"))


def _run(name: str, check: Callable[[], str]) -> CheckResult:
    found: list[CheckResult] = []
    with _checking(name, found):
        found.append(_result("OK", name, check()))
    return found[0]


# ---------------------------------------------------------------- the catalog's mapping


def _mapped(config: Config) -> tuple[Mapping[str, WcsForm], Mapping[str, Open311Service]]:
    from kiosk.catalog.parser import CatalogError, load_catalog
    from kiosk.catalog.store import bundled_catalog_path, pictograms_dir
    from kiosk.connectors.open311_services import open311_services
    from kiosk.connectors.wcs_forms import wcs_forms

    path = Path(config.catalog.path) if config.catalog.path else bundled_catalog_path()
    try:
        catalog = load_catalog(path, pictogram_dir=pictograms_dir())
    except CatalogError as error:
        raise _Problem(f"{path}: {error}; `kiosk catalog check` names every problem") from None
    if config.backoffice.kind == "wcs":
        return wcs_forms(catalog), MappingProxyType({})
    return MappingProxyType({}), open311_services(catalog)


def _connector(config: Config) -> WcsConnector | Open311Connector:
    """The configured connector, with the key from the keyring, or a ``_Problem``."""
    from kiosk.connectors.open311 import Open311Connector
    from kiosk.connectors.wcs import WcsConnector

    office = config.backoffice
    entry = secrets.WCS_API_KEY if office.kind == "wcs" else secrets.OPEN311_API_KEY
    try:
        key = secrets.get_secret(entry)
    except secrets.SecretsError as error:
        raise _Problem(f"the key cannot be read: {error}") from None
    if not key:
        raise _Problem(f"no key enrolled; kiosk enroll {office.kind}-key")
    forms, services = _mapped(config)
    deadline = min(office.timeout_seconds, PROBE_DEADLINE_S)
    if office.kind == "wcs":
        return WcsConnector(office.url, office.orig, key, forms, deadline=deadline)
    return Open311Connector(office.url, key, services, deadline=deadline,
                            jurisdiction_id=office.jurisdiction_id)


def _is_html(answer: Answer) -> bool:
    return "html" in answer.headers.get("Content-Type", "").lower()


# ---------------------------------------------------------------- backoffice


def check_backoffice(config: Config) -> CheckResult:
    """Reachable, credentials accepted, each mapped form or service as the catalog says."""
    name = "backoffice"
    return _not_used(config, name) or _run(name, lambda: _access(_connector(config)))


def _access(connector: WcsConnector | Open311Connector) -> str:
    from kiosk.connectors.wcs import WcsConnector

    if not connector.reachable():
        raise _Problem("not reachable; check [backoffice] url, the network and the "
                       "back office's certificate")
    if isinstance(connector, WcsConnector):
        return _wcs_access(connector)
    return _open311_access(connector)


def _wcs_access(connector: WcsConnector) -> str:
    if not connector.forms:
        raise _Problem("no démarche of the catalog is mapped to w.c.s.; map them (backoffices.wcs, "
                       "docs/catalog.md)")
    for demarche, form in connector.forms.items():
        _wcs_schema_matches(connector, demarche, form)
        _wcs_may_list(connector, demarche, form)
    return (f"{len(connector.forms)} form(s) with every mapped field, API access "
            f"{connector.orig} accepted (signed look-up)")


_WCS_ACTIONS = {  # w.c.s.'s refusal (wcs._KNOWN_REFUSALS) -> what to do
    "w.c.s. does not know this API access (orig)": "check [backoffice] orig against the "
    "API access in w.c.s. (Settings > API access)",
    "w.c.s. refused the signature (wrong key?)": "enrol the API access's key again: "
    "kiosk enroll wcs-key --force",
    "w.c.s. saw no API user (an API access without a role?)": "give the API access a role "
    "in w.c.s.",
    "the API access's role may not list this form": "let the API access's role see this "
    "form's requests (the form's options in w.c.s.)",
    "the form has no field for the submission's UUID": "add a text field whose varname is "
    "the catalog's uuid_varname (kiosk_uuid) to the form",
    "the terminal's clock is more than 30 s away from w.c.s.'s (check NTP)": "set the "
    "clock: timedatectl set-ntp true",
}


def _wcs_refusal(answer: Answer, where: str) -> _Problem:
    from kiosk.connectors.wcs import describe_refusal

    if _is_html(answer):
        return _Problem(f"{where}: HTTP {answer.status} is a web page, not w.c.s.'s API; "
                        "check [backoffice] url (the w.c.s. site's address)")
    reason, meaning = describe_refusal(answer)
    action = _WCS_ACTIONS.get(meaning or "")
    if answer.status == 404:
        action = "check the catalog's backoffices.wcs.formdef (the form's slug)"
    return _Problem(f"{where}: {reason}" + (f"; {action}" if action else ""))


def _wcs_schema_matches(connector: WcsConnector, demarche: str, form: WcsForm) -> None:
    from kiosk.connectors.wcs_schema import parse_schema

    where = f"démarche {demarche} (form {form.slug})"
    answer = connector.signed_get(f"/api/formdefs/{form.slug}/schema")
    if answer.status != 200:
        raise _wcs_refusal(answer, f"{where}, schema")
    schema = parse_schema(answer.json())
    if schema is None:
        raise _Problem(f"{where}: the schema w.c.s. gave cannot be read")
    wanted = {field.varname for field in form.fields.values()} | {form.uuid_varname}
    missing = sorted(wanted - schema.varnames())
    if missing:
        raise _Problem(f"{where}: the form has no field {', '.join(missing)}; add it in "
                       "w.c.s. or fix the catalog's backoffices.wcs.fields")
    if form.draft and answer.json().get("enable_tracking_codes") is False:
        # Only its tracking code opens the kiosk's draft elsewhere (docs/back-office.md).
        raise _Problem(f"{where}: a FranceConnect démarche, but the form has no tracking "
                       "codes, so no phone can open its drafts; turn them on in the form's "
                       "options in w.c.s.")


def _wcs_may_list(connector: WcsConnector, demarche: str, form: WcsForm) -> None:
    answer = connector.signed_get(
        f"/api/forms/{form.slug}/list", [(f"filter-{form.uuid_varname}", str(uuid.uuid4()))]
    )
    if answer.status != 200 or not isinstance(answer.json(), list | dict):
        raise _wcs_refusal(answer, f"démarche {demarche} (form {form.slug}), look-up")


def _open311_access(connector: Open311Connector) -> str:
    if not connector.services:
        raise _Problem("no démarche of the catalog is mapped to Open311; map them "
                       "(backoffices.open311, docs/catalog.md)")
    code = next(iter(connector.services.values())).service_code
    answer = connector.get("requests.json", [("service_code", code)])
    searchable = answer.status == 200 and isinstance(answer.json(), list)
    if not searchable:
        raise _Problem(
            f"reachable, but GET requests.json answers HTTP {answer.status}"
            f"{' (a web page)' if _is_html(answer) else ''}: the server cannot be searched, "
            "so after a lost answer a request is set aside for a person instead of being "
            "sent again; ask the server's administrator to allow the search "
            "(docs/back-office.md §6)", "WARN")
    return ("reachable and searchable (the api_key is checked only when a request is sent: "
            "the first delivery shows it, kiosk queue list)")


# ---------------------------------------------------------------- backoffice-clock


def check_backoffice_clock(config: Config) -> CheckResult:
    """The terminal's clock against the back office's ``Date`` header."""
    name = "backoffice-clock"
    return _not_used(config, name) or _run(name, lambda: _clock(config))


def _clock(config: Config) -> str:
    import requests

    from kiosk.connectors.http_api import clock_skew
    from kiosk.queue_report import CHECK_NTP, describe_skew

    wcs = config.backoffice.kind == "wcs"
    url = config.backoffice.url.rstrip("/") + ("/api/formdefs/" if wcs else "/services.json")
    asked = time.time()
    with requests.head(url, timeout=PROBE_DEADLINE_S, allow_redirects=False) as answer:
        skew = clock_skew(answer.headers.get("Date"), (asked + time.time()) / 2)
    if skew is None:
        raise _Problem("the back office sends no Date header to compare clocks with", "WARN")
    window = WCS_WINDOW_S if wcs else OPEN311_WINDOW_S
    said = describe_skew(skew)
    if abs(skew) > window:
        refuses = ("w.c.s. refuses every request more than 30 s off: requests wait" if wcs
                   else "the search before a re-send misses requests: duplicates possible")
        raise _Problem(f"{said}: {refuses}; {CHECK_NTP}")
    if wcs and abs(skew) > WCS_WARN_S:
        raise _Problem(f"{said}, close to w.c.s.'s 30 s; {CHECK_NTP}", "WARN")
    return said


# ---------------------------------------------------------------- open311-services


def check_backoffice_services(config: Config) -> CheckResult:
    """The catalog's service codes, attributes and values against the server's."""
    name = "backoffice-services"
    if config.backoffice.kind != "open311":
        return _result("OK", name, f"not asked ([backoffice] kind = {config.backoffice.kind})")
    return _run(name, lambda: _services(_connector(config)))


def _services(connector: WcsConnector | Open311Connector) -> str:
    from kiosk.connectors.open311 import Open311Connector

    assert isinstance(connector, Open311Connector)
    answer = connector.get("services.json")
    listed = answer.json()
    if answer.status != 200 or not isinstance(listed, list):
        raise _Problem(f"GET services.json answers HTTP {answer.status}, not a list of "
                       "services; check [backoffice] url (the GeoReport v2 endpoint)")
    codes = {str(s.get("service_code")) for s in listed if isinstance(s, dict)}
    unknown = sorted({f"{d} ({s.service_code})" for d, s in connector.services.items()
                      if s.service_code not in codes})
    if unknown:
        raise _Problem(f"service code not on the server, for démarche {', '.join(unknown)}; "
                       "fix the catalog's backoffices.open311.service_code")
    unchecked = []
    for demarche, service in connector.services.items():
        definition = connector.get(f"services/{service.service_code}.json")
        if definition.status != 200:
            unchecked.append(service.service_code)
            continue
        _attributes_match(demarche, service, definition.json())
    if unchecked:
        raise _Problem(f"{len(codes)} service(s) listed, mapped codes found, attributes not "
                       f"checked: services/<code>.json not served for {', '.join(unchecked)}",
                       "WARN")
    return f"{len(connector.services)} mapped service(s), their attributes and values found"


def _attributes_match(demarche: str, service: Open311Service, definition: Any) -> None:
    """Every mapped attribute and value is the server's; every required one is mapped."""
    where = f"démarche {demarche} (service {service.service_code})"
    raw = definition.get("attributes") if isinstance(definition, dict) else None
    if isinstance(definition, list) and definition and isinstance(definition[0], dict):
        raw = definition[0].get("attributes")  # some servers wrap it in a list
    if not isinstance(raw, list):
        raise _Problem(f"{where}: services/<code>.json holds no attribute list")
    server = {str(a.get("code")): a for a in raw if isinstance(a, dict)}
    mapped = {a.code: a for a in service.attributes.values()}
    problems = [f"attribute {code} unknown to the server" for code in sorted(mapped)
                if code not in server]
    problems += [f"attribute {code} required by the server but not mapped"
                 for code, a in sorted(server.items())
                 if a.get("required") is True and a.get("variable", True) and code not in mapped]
    for code, attribute in sorted(mapped.items()):
        values = server.get(code, {}).get("values")
        keys = {str(v.get("key")) for v in values if isinstance(v, dict)} \
            if isinstance(values, list) else None
        wrong = sorted(set(attribute.values.values()) - keys) if keys else []
        problems += [f"attribute {code}: value {v} unknown to the server" for v in wrong]
    if problems:
        raise _Problem(f"{where}: {', '.join(problems)}; fix the catalog's "
                       "backoffices.open311.attributes")


CHECKS: tuple[Check, ...] = (
    check_backoffice,
    check_backoffice_clock,
    check_backoffice_services,
)
