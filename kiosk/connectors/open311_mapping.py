"""How a démarche goes to an Open311 GeoReport v2 server: the mapping types, and the form
fields of ``POST requests.json`` built from a submission with them.

The mapping is plain data (``Open311Service`` and the two small types it holds) so that the
catalog can build it; every check that does not need the server is made when it is built
(ValueError) or before anything is sent (``MappingError``): an answer the mapping does
not place is refused, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kiosk.connectors.answer_mapping import MappingError, mapped_choice
from kiosk.domain.submission import Submission

MAX_DESCRIPTION = 4000  # GeoReport v2: description is at most 4000 characters
REFERENCE_LINE = "Référence borne : {reference}"
CONTACT_FIELDS = frozenset({"email", "first_name", "last_name", "phone"})
CUT_MARK = " […]"

_SERVICE_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_ATTRIBUTE_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_COORDINATE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,12})?")


def _no_entries() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Open311Attribute:
    """Where one answer goes among the service's attributes (``attribute[code]``).

    ``code``: the attribute's code in the service definition. ``values``: the kiosk's
    choice value -> the attribute value's ``key``, for choice questions whose values differ
    (empty: sent as they are; when given, a choice missing from it is refused rather than
    sent wrong). Several choices go as ``attribute[code][]``, one per value.
    """

    code: str
    values: Mapping[str, str] = field(default_factory=_no_entries)

    def __post_init__(self) -> None:
        if not _ATTRIBUTE_CODE.fullmatch(self.code):
            raise ValueError(f"invalid Open311 attribute code {self.code!r}")


@dataclass(frozen=True)
class Open311Place:
    """Where one of the catalog's places is, for the server: ``lat`` and ``long`` (WGS84
    decimal degrees, as text), an ``address`` (sent as ``address_string`` and ``address``),
    or both. A server that needs coordinates needs them for every place."""

    lat: str | None = None
    long: str | None = None
    address: str | None = None

    def __post_init__(self) -> None:
        if (self.lat is None) != (self.long is None):
            raise ValueError("a place has both lat and long, or neither")
        if self.lat is None and not self.address:
            raise ValueError("a place needs coordinates or an address")
        if self.lat is not None and self.long is not None:
            _check_coordinates(self.lat, self.long)
        if self.address is not None and not (self.address.strip() and self.address.isprintable()):
            raise ValueError("a place's address is one line of text")


def _check_coordinates(lat: str, long: str) -> None:
    if not (_COORDINATE.fullmatch(lat) and _COORDINATE.fullmatch(long)):
        raise ValueError(f"coordinates must be decimal degrees: {lat!r}, {long!r}")
    if not (-90 <= float(lat) <= 90 and -180 <= float(long) <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {long}")


@dataclass(frozen=True)
class Open311Service:
    """One démarche as an Open311 service: how each of its answers is sent.

    Fields:
        service_code: the server's ``service_code`` (``GET services.json``).
        place_answer: the answer that says where the problem is (a ``place`` question).
            A place picked from the list is looked up in ``places``; one the list does not
            hold, or one typed freely, goes as an address (its label or text). An answer
            that already holds ``lat``/``lon`` goes as coordinates.
        places: the catalog's place id -> where it is for the server.
        description_answer: the answer written into ``description`` after the kiosk
            reference line (``Référence borne : ADM-…``), or None for the reference alone.
        described: answers written into ``description`` as ``label : value`` lines, in
            this order (for servers without attributes for them).
        attributes: answer -> its attribute (``attribute[code]``).
        contact: Open311 contact field (``email``, ``first_name``, ``last_name``,
            ``phone``) -> the answer holding it. Sent only when ``contact_consent`` (a
            yes/no or consent answer, required when ``contact`` is not empty) is true.
        contact_consent: see ``contact``.
        ignored: answers deliberately not sent. Any other answer that none of the fields
            above names makes the submission refused before sending.
    """

    service_code: str
    place_answer: str
    places: Mapping[str, Open311Place] = field(default_factory=lambda: MappingProxyType({}))
    description_answer: str | None = None
    described: Mapping[str, str] = field(default_factory=_no_entries)
    attributes: Mapping[str, Open311Attribute] = field(
        default_factory=lambda: MappingProxyType({})
    )
    contact: Mapping[str, str] = field(default_factory=_no_entries)
    contact_consent: str | None = None
    ignored: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not _SERVICE_CODE.fullmatch(self.service_code):
            raise ValueError(f"invalid Open311 service code {self.service_code!r}")
        unknown = sorted(set(self.contact) - CONTACT_FIELDS)
        if unknown:
            raise ValueError(f"service {self.service_code}: {unknown[0]!r} is not an Open311 "
                             "contact field (email, first_name, last_name, phone)")
        if self.contact and self.contact_consent is None:
            raise ValueError(f"service {self.service_code}: contact fields are sent only "
                             "with the resident's consent: name the consent answer")
        codes = [attribute.code for attribute in self.attributes.values()]
        if len(set(codes)) != len(codes):
            raise ValueError(f"service {self.service_code}: two answers go to one attribute")
        used = [self.place_answer, *self.described, *self.attributes, *self.contact.values(),
                *([self.description_answer] if self.description_answer else [])]
        if len(set(used)) != len(used) or set(used) & self.ignored:
            raise ValueError(f"service {self.service_code}: an answer is sent twice, or both "
                             "sent and ignored")


def request_fields(service: Open311Service, submission: Submission) -> list[tuple[str, str]]:
    """The form fields of ``POST requests.json`` but ``api_key`` and ``jurisdiction_id``
    (raises ``MappingError``)."""
    answers = submission.answers
    consent = service.contact_consent
    known = {service.place_answer, *service.described, *service.attributes,
             *service.contact.values(), *service.ignored,
             *([service.description_answer] if service.description_answer else []),
             *([consent] if consent else [])}
    unmapped = sorted(set(answers) - known)
    if unmapped:
        raise MappingError(f"answer {unmapped[0]!r} has no place in Open311 service "
                           f"{service.service_code}")
    fields = [("service_code", service.service_code), *_location(service, answers),
              ("description", description(service, submission))]
    for key, attribute in service.attributes.items():
        if key in answers:
            fields += _attribute(attribute, answers[key], key)
    if consent is not None and answers.get(consent) is True:
        fields += [(name, as_text(answers[key])) for name, key in service.contact.items()
                   if key in answers]
    return fields


def description(service: Open311Service, submission: Submission) -> str:
    """The reference line, the described answer, then the ``label : value`` lines; cut to
    ``MAX_DESCRIPTION`` characters (the reference line always stays whole)."""
    lines = [REFERENCE_LINE.format(reference=submission.reference)]
    answers = submission.answers
    if service.description_answer and service.description_answer in answers:
        lines.append(as_text(answers[service.description_answer]))
    lines += [f"{label} : {as_text(answers[key])}" for key, label in service.described.items()
              if key in answers]
    text = "\n".join(lines)
    if len(text) <= MAX_DESCRIPTION:
        return text
    return text[: MAX_DESCRIPTION - len(CUT_MARK)] + CUT_MARK


def _location(service: Open311Service, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    value = answers.get(service.place_answer)
    if not isinstance(value, Mapping):
        raise MappingError(f"answer {service.place_answer!r} gives no place: "
                           "an Open311 request needs a location")
    if "lat" in value and "lon" in value:
        lat, long = str(value["lat"]), str(value["lon"])
        try:
            _check_coordinates(lat, long)
        except ValueError:
            raise MappingError(f"answer {service.place_answer!r}: unreadable coordinates") from None
        return [("lat", lat), ("long", long)]
    place_id = value.get("id")
    place = service.places.get(place_id) if isinstance(place_id, str) else None
    if place is None:
        address = value.get("text") or value.get("label")  # the label the kiosk showed
        place = Open311Place(address=str(address)) if address else None
    if place is None:
        raise MappingError(f"answer {service.place_answer!r} gives no place: "
                           "an Open311 request needs a location")
    located: list[tuple[str, str]] = []
    if place.lat is not None and place.long is not None:
        located += [("lat", place.lat), ("long", place.long)]
    if place.address:
        # address_string is GeoReport's name; some servers (6aika) read address instead.
        located += [("address_string", place.address), ("address", place.address)]
    return located


def _attribute(attribute: Open311Attribute, value: object, key: str) -> list[tuple[str, str]]:
    def choice(item: str) -> str:
        return mapped_choice(attribute.values, item, key, "Open311 attribute")

    if isinstance(value, tuple):
        return [(f"attribute[{attribute.code}][]", choice(item)) for item in value]
    if isinstance(value, str):
        return [(f"attribute[{attribute.code}]", choice(value))]
    return [(f"attribute[{attribute.code}]", as_text(value))]


def as_text(value: object) -> str:
    """An answer as one text: yes/no as ``true``/``false``, lists joined, a place or an
    address by its parts."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(as_text(item) for item in value)
    if isinstance(value, Mapping):
        if "label" in value or "text" in value:
            return str(value.get("label") or value.get("text"))
        return ", ".join(str(part) for part in value.values())
    return str(value)
