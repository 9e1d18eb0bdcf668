"""The Open311 services of a catalog: each mapped démarche's ``Open311Target`` as an
``Open311Service`` (the connector's mapping).

The catalog's reader has checked the questions, options and places the target names. What
only the connector requires is checked here: contact fields go to the server only with the
resident's consent, so a démarche that maps contact fields needs a consent question; one
without is left out (not mapped: residents are not offered it) and logged.
"""

from __future__ import annotations

import logging
from types import MappingProxyType

from kiosk.catalog.model import Catalog, Demarche, FieldType, Open311Target, Option
from kiosk.connectors.open311_mapping import Open311Attribute, Open311Place, Open311Service

_log = logging.getLogger(__name__)


def _degrees(value: float) -> str:
    """WGS 84 degrees as decimal text (7 places: about 1 cm), as GeoReport v2 takes them."""
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _place(option: Option) -> Open311Place:
    if option.lat is None or option.long is None:
        return Open311Place(address=option.address)
    return Open311Place(_degrees(option.lat), _degrees(option.long), option.address)


def _consent_question(demarche: Demarche) -> str | None:
    found = [q.id for q in demarche.fields if q.type is FieldType.CONSENT]
    return found[0] if found else None


def open311_service(demarche: Demarche, target: Open311Target) -> Open311Service:
    """One démarche's Open311 service (ValueError when the connector would refuse it)."""
    consent = _consent_question(demarche) if target.contact else None
    if target.contact and consent is None:
        raise ValueError(f"démarche {demarche.id}: contact fields without a consent question")
    return Open311Service(
        service_code=target.service_code,
        place_answer=target.location,
        places=MappingProxyType({pid: _place(option) for pid, option in target.places.items()}),
        description_answer=target.description,
        attributes=MappingProxyType({
            question_id: Open311Attribute(attribute.code, attribute.values)
            for question_id, attribute in target.attributes.items()
        }),
        contact=MappingProxyType(dict(target.contact)),
        contact_consent=consent,
        ignored=target.ignore,
    )


def open311_services(catalog: Catalog) -> dict[str, Open311Service]:
    """Démarche id -> its Open311 service, for every démarche the catalog maps to Open311
    and the connector can take."""
    services: dict[str, Open311Service] = {}
    for demarche in catalog.demarches:
        if demarche.backoffices.open311 is None:
            continue
        try:
            services[demarche.id] = open311_service(demarche, demarche.backoffices.open311)
        except ValueError as problem:
            _log.error("not offered on this Open311 terminal: %s", problem)
    return services
