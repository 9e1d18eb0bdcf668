"""Reading a catalog: JSON bytes -> a validated ``Catalog``, or a ``CatalogError``.

The catalog comes from outside (a file written by commune staff, or the back office), so
everything is checked: types, unknown keys, ids, sizes, references between démarches,
fields, services and pictograms, and conditions (they may only look at an earlier field,
so they can never form a cycle). The error names the démarche, the field and the problem.
The format is documented in docs/catalog.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

from kiosk.catalog.backoffices import MappingReader
from kiosk.catalog.model import (
    CHOICE_TYPES,
    SCHEMA_VERSION,
    TEXT_LIKE_TYPES,
    Catalog,
    Category,
    Commune,
    Condition,
    ConditionValue,
    Demarche,
    Field,
    FieldType,
    Option,
    Routing,
    RoutingRule,
    Rule,
    RuleKind,
    Service,
    Texts,
)
from kiosk.catalog.patterns import PatternError, compile_pattern
from kiosk.catalog.shapes import CatalogError
from kiosk.catalog.shapes import ConsequenceError as _ConsequenceError
from kiosk.catalog.shapes import Where as _Where
from kiosk.catalog.shapes import boolean as _boolean
from kiosk.catalog.shapes import expect_list as _expect_list
from kiosk.catalog.shapes import expect_object as _expect_object
from kiosk.catalog.shapes import identifier as _identifier
from kiosk.catalog.shapes import kind_of as _kind_of
from kiosk.catalog.shapes import number as _number
from kiosk.catalog.shapes import text as _text
from kiosk.catalog.shapes import texts as _texts
from kiosk.catalog.shapes import unique as _unique
from kiosk.catalog.shapes import whole as _whole
from kiosk.catalog.validators import check_postcode

# Sane limits: a catalog bigger than this is a mistake or an attack, not a commune's work.
MAX_BYTES = 8 * 1024 * 1024
MAX_DEMARCHES = 200
MAX_FIELDS = 60
MAX_OPTIONS = 40
MAX_PLACES = 1000
MAX_SERVICES = 100
MAX_CATEGORIES = 50
MAX_POSTCODES = 2000
MAX_RULES = 10
MAX_LABEL = 200  # titles, labels, names: one line
MAX_TEXT = 2000  # descriptions, help texts, messages
MAX_PATTERN = 200
MAX_LENGTH_RULE = 2000

_PICTOGRAM = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}\.svg")
_PREFIX = re.compile(r"[A-Z]{2,5}")

_T = TypeVar("_T")
_NO_TEXT = Texts(fr="?")  # stands in for a text with a problem, while checking a whole file

# Rules each field type accepts.
_RULES_BY_TYPE: Mapping[FieldType, frozenset[RuleKind]] = {
    FieldType.SHORT_TEXT: frozenset({RuleKind.MIN_LENGTH, RuleKind.MAX_LENGTH, RuleKind.PATTERN}),
    FieldType.LONG_TEXT: frozenset({RuleKind.MIN_LENGTH, RuleKind.MAX_LENGTH}),
    FieldType.NUMBER: frozenset({RuleKind.MIN_VALUE, RuleKind.MAX_VALUE}),
    FieldType.DATE: frozenset({RuleKind.PAST, RuleKind.FUTURE}),
    FieldType.MULTIPLE_CHOICE: frozenset({RuleKind.MIN_CHOICES, RuleKind.MAX_CHOICES}),
}
# Fields a condition or a routing rule may look at.
_CONDITION_SOURCES = CHOICE_TYPES | {FieldType.YES_NO}


# ---------------------------------------------------------------- the reader

class _Reader:
    """Reads one catalog; knows what was read so far (services, places) for references."""

    def __init__(
        self,
        pictogram_exists: Callable[[str], bool] | None,
        problems: list[CatalogError] | None = None,
    ) -> None:
        self.pictogram_exists = pictogram_exists
        # None: stop at the first problem (loading); a list: note each and go on (checking)
        self.problems = problems
        self.broken_fields: set[str] = set()  # of the démarche being read, when checking
        self.service_ids: frozenset[str] = frozenset()
        self.category_ids: frozenset[str] = frozenset()
        self.places: tuple[Option, ...] = ()
        self.postcodes: Mapping[str, tuple[str, ...]] = MappingProxyType({})

    def attempt(self, read: Callable[[], _T], fallback: _T) -> _T:
        """``read()``; when checking a whole file, a problem is noted and ``fallback`` used.

        What follows from a problem already noted (``_ConsequenceError``) is not noted again.
        """
        if self.problems is None:
            return read()
        try:
            return read()
        except _ConsequenceError:
            return fallback
        except CatalogError as error:
            self.problems.append(error)
            return fallback

    def problems_since(self, count: int) -> bool:
        return self.problems is not None and len(self.problems) > count

    def catalog(self, data: object) -> Catalog:
        where = _Where()
        top = _expect_object(
            data,
            where,
            frozenset({"schema_version", "commune", "services", "demarches"}),
            frozenset({"categories", "places"}),
        )
        version = top["schema_version"]
        if type(version) is not int or version != SCHEMA_VERSION:
            where.at("schema_version").fail(
                f"this kiosk reads schema_version {SCHEMA_VERSION}, the catalog has {version!r:.20}"
            )
        commune = self.commune(top["commune"], where.at("commune"))
        services = tuple(
            Service(
                id=_identifier(item["id"], w, "id"),
                name=_texts(item["name"], w, "name", MAX_LABEL),
            )
            for i, raw in enumerate(
                _expect_list(top["services"], where.at("services"), MAX_SERVICES)
            )
            for w in [where.at(f"services[{i}]")]
            for item in [_expect_object(raw, w, frozenset({"id", "name"}))]
        )
        _unique([s.id for s in services], where.at("services"), "service")
        self.service_ids = frozenset(s.id for s in services)
        categories = tuple(
            Category(
                id=_identifier(item["id"], w, "id"),
                title=_texts(item["title"], w, "title", MAX_LABEL),
            )
            for i, raw in enumerate(
                _expect_list(top.get("categories", []), where.at("categories"), MAX_CATEGORIES,
                      non_empty=False)
            )
            for w in [where.at(f"categories[{i}]")]
            for item in [_expect_object(raw, w, frozenset({"id", "title"}))]
        )
        _unique([c.id for c in categories], where.at("categories"), "category")
        self.category_ids = frozenset(c.id for c in categories)
        self.places = self.options(
            top.get("places", []), where.at("places"), MAX_PLACES, places=True,
            non_empty=False,
        )
        raws = _expect_list(top["demarches"], where.at("demarches"), MAX_DEMARCHES)
        demarches = tuple(
            demarche
            for i, raw in enumerate(raws)
            for demarche in [self.attempt(partial(self.demarche, raw, where.at(f"demarches[{i}]")),
                                          None)]
            if demarche is not None
        )
        self.attempt(
            partial(_unique, [d.id for d in demarches], where.at("demarches"), "démarche"), None
        )
        return Catalog(
            schema_version=SCHEMA_VERSION,
            commune=commune,
            services=services,
            categories=categories,
            places=self.places,
            demarches=demarches,
        )

    def commune(self, value: object, where: _Where) -> Commune:
        item = _expect_object(value, where, frozenset({"name", "reference_prefix"}),
                       frozenset({"postcodes"}))
        prefix = item["reference_prefix"]
        if not isinstance(prefix, str) or _PREFIX.fullmatch(prefix) is None:
            where.at("reference_prefix").fail(
                f"expected 2 to 5 capital letters (e.g. \"ADM\"), got {prefix!r:.20}"
            )
        raw_postcodes = item.get("postcodes", {})
        if not isinstance(raw_postcodes, dict) or len(raw_postcodes) > MAX_POSTCODES:
            where.at("postcodes").fail(
                f"expected an object {{\"75001\": [\"Paris\"]}} of at most {MAX_POSTCODES} codes"
            )
        postcodes: dict[str, tuple[str, ...]] = {}
        for code, names in raw_postcodes.items():
            w = where.at(f"postcodes.{code}")
            if not check_postcode(code).ok or code != code.strip():
                w.fail("not a French postcode (5 digits, existing département)")
            postcodes[code] = tuple(
                _text(name, w, MAX_LABEL) for name in _expect_list(names, w, 50)
            )
        self.postcodes = MappingProxyType(postcodes)
        return Commune(
            name=_text(item["name"], where.at("name"), MAX_LABEL),
            reference_prefix=prefix,
            postcodes=self.postcodes,
        )

    def pictogram(self, value: object, where: _Where) -> str:
        if not isinstance(value, str):
            where.fail(f"expected an SVG file name, got {_kind_of(value)}")
        if "/" in value or "\\" in value or value.startswith("."):
            where.fail(f"expected a file name without folders, got {value!r:.70}")
        if _PICTOGRAM.fullmatch(value) is None:
            where.fail(
                f"expected a file name like \"house.svg\" (lower-case, - or _), got {value!r:.70}"
            )
        if self.pictogram_exists is not None and not self.pictogram_exists(value):
            where.fail(f"no pictogram file {value!r} in the pictograms folder")
        return value

    def options(
        self, value: object, where: _Where, limit: int, *, places: bool, non_empty: bool
    ) -> tuple[Option, ...]:
        """Choices (with pictograms), or places (with where they are: see ``place``)."""
        keys = frozenset({"lat", "long", "address"} if places else {"pictogram"})
        options = []
        for i, raw in enumerate(_expect_list(value, where, limit, non_empty=non_empty)):
            w = where.at(f"[{i}]")
            item = _expect_object(raw, w, frozenset({"id", "label"}), keys)
            option = Option(
                id=_identifier(item["id"], w, "id"),
                label=_texts(item["label"], w, "label", MAX_LABEL),
                pictogram=(
                    self.pictogram(item["pictogram"], w.at("pictogram"))
                    if "pictogram" in item
                    else None
                ),
            )
            if places and isinstance(item["label"], str):
                # A place written in one text is a name: the same in every language.
                option = replace(option, label=replace(option.label, proper_name=True))
            options.append(self.place(option, item, w) if places else option)
        _unique([o.id for o in options], where, "option")
        return tuple(options)

    @staticmethod
    def place(option: Option, item: dict[str, Any], where: _Where) -> Option:
        """A place with its coordinates (both or neither) and postal address, when given."""
        if ("lat" in item) != ("long" in item):
            where.fail("give both \"lat\" and \"long\", or neither")
        if "lat" not in item and "address" not in item:
            return option
        coordinates: dict[str, float] = {
            key: float(_number(item[key], where.at(key)))
            for key in ("lat", "long")
            if key in item
        }
        for key, limit in (("lat", 90), ("long", 180)):
            if abs(coordinates.get(key, 0.0)) > limit:
                where.at(key).fail(f"expected degrees from -{limit} to {limit}")
        return replace(
            option,
            lat=coordinates.get("lat"),
            long=coordinates.get("long"),
            address=(
                _text(item["address"], where.at("address"), MAX_LABEL)
                if "address" in item
                else None
            ),
        )

    # ------------------------------------------------------------ démarches

    def demarche(self, value: object, where: _Where) -> Demarche:
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            where = _Where(demarche_id=value["id"][:64])
        item = _expect_object(
            value,
            where,
            frozenset({"id", "version", "title", "description", "pictogram", "category",
                       "fields"}),
            frozenset({"service", "routing", "next_steps", "backoffices"}),
        )
        noted = len(self.problems or ())
        self.broken_fields = set()
        attempt = self.attempt
        demarche_id = _identifier(item["id"], where, "id")
        category = attempt(partial(self.category, item["category"], where), "")
        fields = self.fields(item["fields"], where)
        demarche = Demarche(
            id=demarche_id,
            version=attempt(partial(_whole, item["version"], where, "version", 1, 1_000_000), 1),
            title=attempt(partial(_texts, item["title"], where, "title", MAX_LABEL), _NO_TEXT),
            description=attempt(
                partial(_texts, item["description"], where, "description", MAX_TEXT,
                        multiline=True),
                _NO_TEXT,
            ),
            pictogram=attempt(partial(self.pictogram, item["pictogram"], where.at("pictogram")),
                              ""),
            category=category,
            routing=attempt(partial(self.routing, item, where, fields), Routing("")),
            fields=fields,
            next_steps=(
                attempt(partial(_texts, item["next_steps"], where, "next_steps", MAX_TEXT,
                                multiline=True), None)
                if "next_steps" in item
                else None
            ),
        )
        if "backoffices" in item:
            mappings = MappingReader(demarche, self.broken_fields, self.attempt)
            demarche = replace(demarche, backoffices=mappings.backoffices(
                item["backoffices"], where.at("backoffices")))
        if self.problems_since(noted):
            raise _ConsequenceError("this démarche has problems, named above")
        return demarche

    def category(self, value: object, where: _Where) -> str:
        category = _identifier(value, where, "category")
        if self.category_ids and category not in self.category_ids:
            where.at("category").fail(f"unknown category {category!r}")
        return category

    def service_id(self, value: object, where: _Where) -> str:
        service = _identifier(value, where)
        if service not in self.service_ids:
            where.fail(f"unknown service {service!r}; declare it in \"services\"")
        return service

    def routing(self, item: dict[str, Any], where: _Where, fields: tuple[Field, ...]) -> Routing:
        if ("service" in item) == ("routing" in item):
            where.fail("give either \"service\" or \"routing\" (exactly one)")
        if "service" in item:
            return Routing(default=self.service_id(item["service"], where.at("service")))
        w = where.at("routing")
        routing = _expect_object(item["routing"], w, frozenset({"default", "rules"}))
        rules = []
        for i, raw in enumerate(_expect_list(routing["rules"], w.at("rules"), MAX_OPTIONS)):
            wr = w.at(f"rules[{i}]")
            rule = _expect_object(raw, wr, frozenset({"if", "service"}))
            condition = self.condition(rule["if"], wr.at("if"), fields, len(fields))
            rules.append(RoutingRule(condition, self.service_id(rule["service"], wr.at("service"))))
        return Routing(default=self.service_id(routing["default"], w.at("default")),
                       rules=tuple(rules))

    def fields(self, value: object, where: _Where) -> tuple[Field, ...]:
        raws = _expect_list(value, where.at("fields"), MAX_FIELDS)
        ids = [
            raw["id"] if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
            for raw in raws
        ]
        fields: list[Field] = []
        for position, raw in enumerate(raws):
            w = _Where(where.demarche_id, ids[position][:64] or f"#{position + 1}")
            field = self.attempt(partial(self.field, raw, w, tuple(fields), raws), None)
            if field is None:
                self.broken_fields.add(ids[position])
            else:
                fields.append(field)
        self.attempt(partial(_unique, [f.id for f in fields], where.at("fields"), "field"), None)
        return tuple(fields)

    def field(
        self, value: object, where: _Where, earlier: tuple[Field, ...], raws: list[Any]
    ) -> Field:
        item = _expect_object(
            value,
            where,
            frozenset({"id", "type", "label"}),
            frozenset({"help", "required", "personal", "rules", "condition", "options", "places",
                       "free_text", "integer"}),
        )
        field_id = _identifier(item["id"], where, "id")
        try:
            kind = FieldType(item["type"])
        except (ValueError, TypeError):
            where.at("type").fail(
                f"unknown field type {item['type']!r:.40}; known: "
                + ", ".join(t.value for t in FieldType)
            )
        self._only_for(item, where, kind)
        required = _boolean(item.get("required", kind is not FieldType.INFO), where, "required")
        if kind is FieldType.INFO and required:
            where.at("required").fail("an information page has no answer: it cannot be required")
        if kind is FieldType.CONSENT and not required:
            where.at("required").fail("a consent must be accepted: it is always required")
        options: tuple[Option, ...] = ()
        if kind in CHOICE_TYPES:
            if "options" not in item:
                where.fail("a choice needs \"options\"")
            options = self.options(item["options"], where.at("options"), MAX_OPTIONS,
                                   places=False, non_empty=True)
            if len(options) < 2:
                where.at("options").fail("a choice needs at least 2 options")
        if kind is FieldType.PLACE:
            options = self.place_expect_list(item.get("places", []), where.at("places"))
        free_text = _boolean(item.get("free_text", True), where, "free_text")
        if kind is FieldType.PLACE and not free_text and not options:
            where.fail("a place without free text needs a list of \"places\"")
        personal_default = kind in TEXT_LIKE_TYPES
        return Field(
            id=field_id,
            type=kind,
            label=_texts(item["label"], where, "label", MAX_TEXT, multiline=True),
            help=(
                _texts(item["help"], where, "help", MAX_TEXT, multiline=True)
                if "help" in item
                else None
            ),
            required=required,
            personal=_boolean(item.get("personal", personal_default), where, "personal"),
            rules=self.rules(item.get("rules", []), where.at("rules"), kind),
            condition=(
                self.condition(item["condition"], where.at("condition"), earlier, len(earlier),
                               raws)
                if "condition" in item
                else None
            ),
            options=options,
            free_text=free_text,
            integer=_boolean(item.get("integer", True), where, "integer"),
            postcodes=self.postcodes if kind is FieldType.ADDRESS_FR else MappingProxyType({}),
        )

    @staticmethod
    def _only_for(item: dict[str, Any], where: _Where, kind: FieldType) -> None:
        owners = {
            "options": CHOICE_TYPES,
            "places": {FieldType.PLACE},
            "free_text": {FieldType.PLACE},
            "integer": {FieldType.NUMBER},
        }
        for key, kinds in owners.items():
            if key in item and kind not in kinds:
                where.at(key).fail(f"{key!r} is not used by a {kind.value} field")

    def place_expect_list(self, value: object, where: _Where) -> tuple[Option, ...]:
        """``"commune"`` (the catalog's places) or a list of places of the field's own."""
        if value == "commune":
            if not self.places:
                where.fail("\"commune\" needs a list of \"places\" at the top of the catalog")
            return self.places
        return self.options(value, where, MAX_PLACES, places=True, non_empty=False)

    def rules(self, value: object, where: _Where, kind: FieldType) -> tuple[Rule, ...]:
        allowed = _RULES_BY_TYPE.get(kind, frozenset())
        rules: list[Rule] = []
        for i, raw in enumerate(_expect_list(value, where, MAX_RULES, non_empty=False)):
            w = where.at(f"[{i}]")
            item = _expect_object(raw, w, frozenset({"rule"}), frozenset({"value", "message"}))
            try:
                rule_kind = RuleKind(item["rule"])
            except (ValueError, TypeError):
                w.at("rule").fail(f"unknown rule {item['rule']!r:.40}")
            if rule_kind not in allowed:
                w.at("rule").fail(
                    f"rule {rule_kind.value!r} does not apply to a {kind.value} field"
                )
            if any(r.kind is rule_kind for r in rules):
                w.at("rule").fail(f"rule {rule_kind.value!r} is given twice")
            rules.append(
                Rule(
                    kind=rule_kind,
                    value=self.rule_value(rule_kind, item, w.at("value")),
                    message=(
                        _texts(item["message"], w, "message", MAX_TEXT)
                        if "message" in item
                        else None
                    ),
                )
            )
        self._check_bounds(rules, where)
        return tuple(rules)

    @staticmethod
    def rule_value(kind: RuleKind, item: dict[str, Any], where: _Where) -> int | float | str | None:
        if kind in (RuleKind.PAST, RuleKind.FUTURE):
            if "value" in item:
                where.fail(f"rule {kind.value!r} takes no value")
            return None
        if "value" not in item:
            where.fail(f"rule {kind.value!r} needs a \"value\"")
        value = item["value"]
        if kind in (RuleKind.MIN_VALUE, RuleKind.MAX_VALUE):
            return _number(value, where)
        if kind is RuleKind.PATTERN:
            pattern = _text(value, where, MAX_PATTERN)
            try:
                compile_pattern(pattern)  # RE2: no pattern can be slow, see patterns.py
            except PatternError as error:
                where.fail(str(error))
            return pattern
        return _whole(value, where, None, 0, MAX_LENGTH_RULE)

    @staticmethod
    def _check_bounds(rules: list[Rule], where: _Where) -> None:
        by_kind = {r.kind: r.value for r in rules}
        for low, high in (
            (RuleKind.MIN_LENGTH, RuleKind.MAX_LENGTH),
            (RuleKind.MIN_VALUE, RuleKind.MAX_VALUE),
            (RuleKind.MIN_CHOICES, RuleKind.MAX_CHOICES),
        ):
            low_value, high_value = by_kind.get(low), by_kind.get(high)
            if isinstance(low_value, int | float) and isinstance(high_value, int | float) and (
                low_value > high_value
            ):
                where.fail(f"{low.value} ({low_value}) is above {high.value} ({high_value})")
        if RuleKind.PAST in by_kind and RuleKind.FUTURE in by_kind:
            where.fail("a date cannot be both in the past and in the future")

    def condition(
        self,
        value: object,
        where: _Where,
        earlier: tuple[Field, ...],
        position: int,
        raws: list[Any] | None = None,
    ) -> Condition:
        """``{"field": id, "equals": v}`` or ``{"field": id, "one_of": [v, ...]}``."""
        item = _expect_object(value, where, frozenset({"field"}), frozenset({"equals", "one_of"}))
        if ("equals" in item) == ("one_of" in item):
            where.fail("give either \"equals\" or \"one_of\" (exactly one)")
        source_id = item["field"]
        source = next((f for f in earlier if f.id == source_id), None)
        if source is None and source_id in self.broken_fields:
            raise _ConsequenceError(f"field {source_id!r} has problems, named above")
        if source is None:
            self._dangling(source_id, where, position, raws)
        if source.type not in _CONDITION_SOURCES:
            where.at("field").fail(
                f"a condition can only look at a choice or a yes/no field, not {source.type.value}"
            )
        raw_values = [item["equals"]] if "equals" in item else _expect_list(
            item["one_of"], where.at("one_of"), MAX_OPTIONS
        )
        values: list[ConditionValue] = []
        for raw in raw_values:
            if source.type is FieldType.YES_NO:
                values.append(_boolean(raw, where))
            elif not isinstance(raw, str) or source.option(raw) is None:
                where.fail(f"{raw!r:.40} is not an option of field {source.id!r}")
            else:
                values.append(raw)
        return Condition(field_id=source.id, values=tuple(values))

    @staticmethod
    def _dangling(
        source_id: object, where: _Where, position: int, raws: list[Any] | None
    ) -> NoReturn:
        """Say why a condition's field is not an earlier field: unknown, later, or a cycle."""
        if not isinstance(source_id, str):
            where.at("field").fail(f"expected a field id, got {_kind_of(source_id)}")
        later = {
            raw.get("id"): raw
            for raw in (raws or [])[position:]
            if isinstance(raw, dict)
        }
        if source_id not in later:
            where.at("field").fail(f"condition on unknown field {source_id!r}")
        if source_id == where.field_id:
            where.at("field").fail(f"conditions form a cycle: {source_id} -> {source_id}")
        chain = [where.field_id or "?", source_id]
        while isinstance(later.get(chain[-1]), dict):
            condition = later[chain[-1]].get("condition")
            target = condition.get("field") if isinstance(condition, dict) else None
            if not isinstance(target, str) or target in chain[1:] or len(chain) > MAX_FIELDS:
                break
            chain.append(target)
            if target == chain[0]:
                where.at("field").fail("conditions form a cycle: " + " -> ".join(chain))
        where.at("field").fail(
            f"condition on field {source_id!r}, which comes later; "
            "a condition can only look at an earlier field"
        )


# ---------------------------------------------------------------- entry points

def _files_in(folder: Path) -> Callable[[str], bool]:
    """``name -> exists`` for one folder, asking the file system once per name."""
    known: dict[str, bool] = {}

    def exists(name: str) -> bool:
        if name not in known:
            known[name] = (folder / name).is_file()
        return known[name]

    return exists


def parse_catalog(data: object, *, pictogram_dir: Path | None = None) -> Catalog:
    """A catalog from already-decoded JSON; checks pictogram files when given their folder."""
    exists = None if pictogram_dir is None else _files_in(pictogram_dir)
    return _read(_Reader(exists), data)


@dataclass(frozen=True)
class CheckedCatalog:
    """Every problem of a catalog file, and what could be read of it.

    ``catalog`` holds the démarches without problems (None when the file's top level,
    its commune, services, categories or places have one: that is the only problem
    named then). ``problems`` is empty when the whole file is good.
    """

    catalog: Catalog | None
    problems: tuple[CatalogError, ...]


def check_catalog(data: object, *, pictogram_dir: Path | None = None) -> CheckedCatalog:
    """Like ``parse_catalog``, but goes on after a problem to name every démarche's and
    every field's (``kiosk catalog check``)."""
    exists = None if pictogram_dir is None else _files_in(pictogram_dir)
    problems: list[CatalogError] = []
    try:
        catalog: Catalog | None = _read(_Reader(exists, problems), data)
    except CatalogError as error:
        problems.append(error)
        catalog = None
    return CheckedCatalog(catalog, tuple(problems))


def _read(reader: _Reader, data: object) -> Catalog:
    try:
        return reader.catalog(data)
    except RecursionError:
        raise CatalogError("the catalog is nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        if isinstance(error, CatalogError):
            raise
        # A shape no check foresaw: still a refused catalog, never a crash of the kiosk.
        shape = type(error).__name__
        raise CatalogError(f"the catalog has an unexpected shape ({shape})") from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise CatalogError(f"the key {key!r:.70} appears twice in the same object")
            seen.add(key)
    return result


def _no_constant(name: str) -> NoReturn:
    raise CatalogError(f"{name} is not a number a catalog may hold")


def decode_catalog(raw: bytes) -> object:
    """JSON bytes -> Python objects, refusing oversize input, duplicate keys and NaN."""
    if len(raw) > MAX_BYTES:
        raise CatalogError(f"the catalog is too big: {len(raw)} bytes, at most {MAX_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(f"the catalog is not UTF-8 text: {error.reason}") from None
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise CatalogError("the catalog is nested too deeply") from None
    except CatalogError:
        raise
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise CatalogError(f"not valid JSON: {error}") from None


def load_catalog_bytes(raw: bytes, *, pictogram_dir: Path | None = None) -> Catalog:
    """A catalog from JSON bytes (a file, or what the back office sent)."""
    return parse_catalog(decode_catalog(raw), pictogram_dir=pictogram_dir)


def load_catalog(path: Path, *, pictogram_dir: Path | None = None) -> Catalog:
    """A catalog from a JSON file; an unreadable file is a ``CatalogError`` too."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read {path}: {error.strerror}") from None
    return load_catalog_bytes(raw, pictogram_dir=pictogram_dir)


__all__ = [  # CatalogError lives in kiosk.catalog.shapes; importing it from here still works
    "CatalogError",
    "CheckedCatalog",
    "check_catalog",
    "decode_catalog",
    "load_catalog",
    "load_catalog_bytes",
    "parse_catalog",
]
