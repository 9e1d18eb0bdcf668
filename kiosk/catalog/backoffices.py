"""Reading a démarche's ``backoffices``: where each answer goes in w.c.s. and in Open311.

Checked as strictly as the rest of the catalog (docs/catalog.md, "Back offices"): a
mapping names only questions and options the démarche has, sends every answer somewhere
or lists it in ``ignore`` (an answer the back office would not take makes a request
that can never be delivered), gives a value for every option when it gives values, and
gives a location the back office can read for every place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

from kiosk.catalog.model import (
    CHOICE_TYPES,
    Backoffices,
    Demarche,
    Field,
    FieldType,
    Open311Attribute,
    Open311Target,
    WcsFieldTarget,
    WcsTarget,
)
from kiosk.catalog.shapes import (
    ConsequenceError,
    Where,
    boolean,
    expect_list,
    expect_object,
    kind_of,
    text,
)

# w.c.s.: a formdef's URL name, and field identifiers (varnames); the connector checks
# the same (kiosk.connectors.wcs imports these).
WCS_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,127}")
WCS_VARNAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")
# Open311: service codes and attribute codes are the server's own identifiers.
OPEN311_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
MAX_VALUE = 200  # one value sent for an option

# Open311's contact keys -> the question types that may fill them.
CONTACT_TYPES: Mapping[str, frozenset[FieldType]] = {
    "email": frozenset({FieldType.EMAIL}),
    "phone": frozenset({FieldType.PHONE_FR}),
    "first_name": frozenset({FieldType.SHORT_TEXT}),
    "last_name": frozenset({FieldType.SHORT_TEXT}),
}
LOCATION_TYPES = frozenset({FieldType.PLACE, FieldType.ADDRESS_FR})
DESCRIPTION_TYPES = frozenset({FieldType.SHORT_TEXT, FieldType.LONG_TEXT})

Attempt = Callable[[Callable[[], Any], Any], Any]


def wcs_map_value(lat: float, long: float) -> str:
    """A place's coordinates as w.c.s. map fields take them: ``"lat;long"``."""
    return f"{lat};{long}"


class MappingReader:
    """Reads the ``backoffices`` object of one démarche whose questions are already read.

    ``broken`` names questions that had problems of their own (when checking a whole
    file), so that a mapping naming them is not reported again; ``attempt`` is the
    catalog reader's: it stops at the first problem, or notes each and goes on.
    """

    def __init__(self, demarche: Demarche, broken: set[str], attempt: Attempt) -> None:
        self.demarche = demarche
        self.broken = broken
        self.attempt = attempt

    def backoffices(self, value: object, where: Where) -> Backoffices:
        item = expect_object(value, where, frozenset(), frozenset({"wcs", "open311"}))
        wcs = (
            self.attempt(partial(self.wcs, item["wcs"], where.at("wcs")), None)
            if "wcs" in item
            else None
        )
        open311 = (
            self.attempt(partial(self.open311, item["open311"], where.at("open311")), None)
            if "open311" in item
            else None
        )
        return Backoffices(wcs=wcs, open311=open311)

    # ------------------------------------------------------------ w.c.s.

    def wcs(self, value: object, where: Where) -> WcsTarget:
        item = expect_object(value, where, frozenset({"formdef", "fields"}),
                             frozenset({"uuid_varname", "ignore", "franceconnect"}))
        formdef = _code(item["formdef"], where.at("formdef"), WCS_SLUG,
                        "a w.c.s. form slug (lower-case letters, digits, - or _)")
        uuid_varname = _code(item.get("uuid_varname", "kiosk_uuid"), where.at("uuid_varname"),
                             WCS_VARNAME, "a w.c.s. varname (lower-case letters, digits, _)")
        raw_fields = _entries(item["fields"], where.at("fields"))
        fields: dict[str, WcsFieldTarget] = {}
        for question_id, raw in raw_fields.items():
            w = self._at(where, question_id, "fields")
            target = self.attempt(partial(self.wcs_field, raw, w, question_id), None)
            if target is not None:
                fields[question_id] = target
        self._distinct({q: f.varname for q, f in fields.items()}, where, section="fields",
                       key="varname", what="w.c.s. field",
                       taken={uuid_varname: "uuid_varname"})
        ignore = self._ignore(item, where, set(raw_fields))
        franceconnect = boolean(item.get("franceconnect", False), where, "franceconnect")
        return WcsTarget(formdef, MappingProxyType(fields), uuid_varname, ignore, franceconnect)

    def wcs_field(self, value: object, where: Where, question_id: str) -> WcsFieldTarget:
        question = self._question(question_id, where)
        item = expect_object(value, where, frozenset({"varname"}), frozenset({"values"}))
        varname = _code(item["varname"], where.at("varname"), WCS_VARNAME,
                        "a w.c.s. varname (lower-case letters, digits, _)")
        if "values" in item:
            return WcsFieldTarget(varname, self._values(item["values"], where, question))
        if question.type is FieldType.PLACE:
            return WcsFieldTarget(varname, self._coordinates(question, where))
        return WcsFieldTarget(varname)

    def _coordinates(self, place_question: Field, where: Where) -> Mapping[str, str]:
        values: dict[str, str] = {}
        for place in place_question.options:
            coordinates = place.coordinates
            if coordinates is None:
                where.fail(f"place {place.id!r} has no coordinates (\"lat\", \"long\"); "
                           "give them, or \"values\" for every place")
            values[place.id] = wcs_map_value(*coordinates)
        return MappingProxyType(values)

    # ------------------------------------------------------------ Open311

    def open311(self, value: object, where: Where) -> Open311Target:
        item = expect_object(value, where, frozenset({"service_code", "location", "description"}),
                             frozenset({"attributes", "contact", "ignore"}))
        service_code = _code(item["service_code"], where.at("service_code"), OPEN311_CODE,
                             "an Open311 service code (letters, digits, . : - or _)")
        used: dict[str, str] = {}  # question id -> what it is sent as
        location = self.attempt(partial(self.location, item["location"], where), None)
        description = self.attempt(partial(
            self._single, item["description"], where.at("description"), DESCRIPTION_TYPES
        ), None)
        for question_id, role in ((location, "location"), (description, "description")):
            if question_id is not None:
                self._use(question_id, role, used, where.at(role))
        attributes = self._attributes(item.get("attributes", {}), where, used)
        contact = self._contact(item.get("contact", {}), where.at("contact"), used)
        named = {
            question_id
            for question_id in (item["location"], item["description"],
                                *_entries(item.get("attributes", {}), where),
                                *_entries(item.get("contact", {}), where).values())
            if isinstance(question_id, str)
        }
        ignore = self._ignore(item, where, named)
        if location is None or description is None:
            raise ConsequenceError("the location or the description has problems, named above")
        return Open311Target(
            service_code=service_code,
            location=location,
            description=description,
            attributes=MappingProxyType(attributes),
            contact=MappingProxyType(contact),
            ignore=ignore,
            places=MappingProxyType(
                {place.id: place for place in self.demarche.field(location).options}
            ),
        )

    def location(self, value: object, where: Where) -> str:
        """The place or address question; every place of it must say where it is."""
        question_id = self._single(value, where.at("location"), LOCATION_TYPES)
        for place in self.demarche.field(question_id).options:
            if place.coordinates is None and place.address is None:
                where.at("location").fail(
                    f"place {place.id!r} has neither coordinates (\"lat\", \"long\") nor "
                    "an \"address\": Open311 needs one of them"
                )
        return question_id

    def _attributes(
        self, value: object, where: Where, used: dict[str, str]
    ) -> dict[str, Open311Attribute]:
        raws = _entries(value, where.at("attributes"))
        attributes: dict[str, Open311Attribute] = {}
        for question_id, raw in raws.items():
            w = self._at(where, question_id, "attributes")
            attribute = self.attempt(partial(self.attribute, raw, w, question_id), None)
            if attribute is not None:
                self._use(question_id, "an attribute", used, w)
                attributes[question_id] = attribute
        self._distinct({q: a.code for q, a in attributes.items()}, where,
                       section="attributes", key="code", what="attribute")
        return attributes

    def attribute(self, value: object, where: Where, question_id: str) -> Open311Attribute:
        question = self._question(question_id, where)
        item = expect_object(value, where, frozenset({"code"}), frozenset({"values"}))
        code = _code(item["code"], where.at("code"), OPEN311_CODE,
                     "an Open311 attribute code (letters, digits, . : - or _)")
        if "values" not in item:
            return Open311Attribute(code)
        return Open311Attribute(code, self._values(item["values"], where, question))

    def _contact(self, value: object, where: Where, used: dict[str, str]) -> dict[str, str]:
        raws = expect_object(value, where, frozenset(), frozenset(CONTACT_TYPES))
        contact: dict[str, str] = {}
        for key, raw in raws.items():
            question_id = self.attempt(
                partial(self._single, raw, where.at(key), CONTACT_TYPES[key]), None
            )
            if question_id is not None:
                self._use(question_id, f"contact {key}", used, where.at(key))
                contact[key] = question_id
        return contact

    # ------------------------------------------------------------ shared

    def _at(self, where: Where, question_id: str, key: str) -> Where:
        """The place of one question's mapping, naming the question as the field."""
        return Where(where.demarche_id, question_id, (*where.path, key, question_id))

    def _question(self, question_id: str, where: Where) -> Field:
        """The question named, or why it cannot be mapped."""
        if question_id in self.broken:
            raise ConsequenceError(f"question {question_id!r} has problems, named above")
        question = next((f for f in self.demarche.fields if f.id == question_id), None)
        if question is None:
            where.fail(f"unknown question {question_id!r}")
        if not question.takes_answer:
            where.fail(f"question {question_id!r} is an information page: it has no answer")
        return question

    def _single(self, value: object, where: Where, types: frozenset[FieldType]) -> str:
        """A question id naming a question of one of ``types``."""
        if not isinstance(value, str):
            where.fail(f"expected a question id, got {kind_of(value)}")
        question = self._question(value[:64], where)
        if question.type not in types:
            where.fail(f"question {question.id!r} is {question.type.value}; expected "
                       + " or ".join(sorted(t.value for t in types)))
        return question.id

    def _values(self, value: object, where: Where, question: Field) -> Mapping[str, str]:
        """Option id -> the back office's value, for every option of a choice or place."""
        w = where.at("values")
        if question.type not in CHOICE_TYPES | {FieldType.PLACE}:
            w.fail(f"a {question.type.value} question has no options to give values for")
        option_ids = [o.id for o in question.options]
        raws = expect_object(value, w, frozenset(), frozenset(option_ids))
        missing = [o for o in option_ids if o not in raws]
        if missing:
            w.fail(f"no value for option {missing[0]!r}: give one for every option")
        return MappingProxyType(
            {option: text(raws[option], w.at(option), MAX_VALUE) for option in option_ids}
        )

    def _distinct(
        self,
        targets: Mapping[str, str],
        where: Where,
        *,
        section: str,
        key: str,
        what: str,
        taken: Mapping[str, str] = MappingProxyType({}),
    ) -> None:
        """Each question goes to its own target (``taken``: targets used by other keys)."""
        seen = dict(taken)
        for question_id, target in targets.items():
            earlier = seen.setdefault(target, question_id)
            if earlier != question_id:
                self.attempt(partial(
                    self._at(where, question_id, section).at(key).fail,
                    f"{what} {target!r} is already used by {earlier!r}",
                ), None)

    def _use(self, question_id: str, role: str, used: dict[str, str], where: Where) -> None:
        """Note that ``question_id`` is sent as ``role``; an answer is sent only once."""
        earlier = used.setdefault(question_id, role)
        if earlier != role:
            self.attempt(partial(
                where.fail, f"question {question_id!r} is already sent as {earlier}"
            ), None)

    def _ignore(self, item: dict[str, Any], where: Where, sent: set[str]) -> frozenset[str]:
        """``ignore``; then every answer is either sent or ignored, never dropped silently.

        ``sent``: the questions the mapping names (with problems or not: named apart).
        """
        w = where.at("ignore")
        ignore: set[str] = set()
        for i, raw in enumerate(expect_list(item.get("ignore", []), w, 60, non_empty=False)):
            question_id = self.attempt(partial(self._ignored, raw, w.at(f"[{i}]"), sent), None)
            if question_id is not None:
                ignore.add(question_id)
        for question in self.demarche.fields:
            if question.takes_answer and question.id not in sent | ignore:
                self.attempt(partial(
                    Where(where.demarche_id, question.id, where.path).fail,
                    "this question's answer is sent nowhere: map it, or list it in \"ignore\"",
                ), None)
        return frozenset(ignore)

    def _ignored(self, value: object, where: Where, sent: set[str]) -> str:
        if not isinstance(value, str):
            where.fail(f"expected a question id, got {kind_of(value)}")
        question = self._question(value[:64], where)
        if question.id in sent:
            where.fail(f"question {question.id!r} is both sent and ignored")
        return question.id


def _entries(value: object, where: Where) -> dict[str, Any]:
    """An object whose keys are checked one by one afterwards (question ids)."""
    if not isinstance(value, dict):
        where.fail(f"expected an object {{...}}, got {kind_of(value)}")
    return value


def _code(value: object, where: Where, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        where.fail(f"expected {what}, got {value!r:.70}")
    return value
