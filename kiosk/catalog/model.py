"""The catalog of démarches as frozen values: what the loader builds and the screens read.

Nothing here parses or validates (see ``kiosk.catalog.parser``); these classes only hold
a catalog that is already known to be good. Texts are ``Texts`` (French always present,
English and Arabic optional, French used when a translation is missing).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

from kiosk.i18n import LANGUAGES, is_right_to_left
from kiosk.paths import asset

SCHEMA_VERSION = 1


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _by_id(items: tuple[_Item, ...], item_id: str) -> _Item:
    """The item with this id (KeyError when there is none); catalogs are small."""
    for candidate in items:
        if candidate.id == item_id:
            return candidate
    raise KeyError(item_id)


# A text shown in another language than the resident's (a missing translation, a street
# name) is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: on screen it keeps
# its own direction inside the other one (a French street name inside Arabic), and speech
# knows to say it with the French voice (``fallback_language``). espeak-ng ignores the marks.
FALLBACK_START, FALLBACK_END = "\u2068", "\u2069"
RIGHT_TO_LEFT_MARK = "\u200f"
SOURCE_LANGUAGE = "fr"


@dataclass(frozen=True)
class Texts:
    """One text in each language: French required, others fall back to French."""

    fr: str
    en: str | None = None
    ar: str | None = None
    draft: bool = False  # not reviewed yet: ``kiosk catalog check`` refuses to publish it
    # A name written the same in every language (a street: "Rue des Lilas"), never missing.
    proper_name: bool = False

    def missing(self, languages: Iterable[str]) -> tuple[str, ...]:
        """Which of ``languages`` this text has no translation in (French never missing)."""
        if self.proper_name:
            return ()
        return tuple(lang for lang in languages if lang != "fr" and not getattr(self, lang))

    def get(self, language: str) -> str:
        """The text in ``language``, or the French text when there is no translation."""
        translated: str | None = getattr(self, language, None) if language in LANGUAGES else None
        return translated or self.fr


def localized(texts: Texts | None, language: str) -> str:
    """``texts`` in ``language`` with French fallback; "" when there is no text at all.

    A French text shown to a resident of another language is wrapped in isolate marks
    (see ``FALLBACK_START``): laid out in its own direction, said with the French voice.
    """
    if texts is None:
        return ""
    translated: str | None = getattr(texts, language, None) if language in LANGUAGES else None
    if language == SOURCE_LANGUAGE or translated:
        return translated or texts.fr
    return as_french(texts.fr, language)


def as_french(text: str, language: str) -> str:
    """``text``, French, marked for a screen in ``language``: isolated (its own direction,
    the French voice); in a right-to-left language, after a RIGHT-TO-LEFT MARK, so that the
    line itself stays right to left (aligned at the right like the Arabic around it)."""
    mark = RIGHT_TO_LEFT_MARK if is_right_to_left(language) else ""
    return mark + FALLBACK_START + text + FALLBACK_END


def fallback_language(text: str) -> str | None:
    """"fr" when the whole of ``text`` is one French text shown in another language
    (``as_french``'s marks around it), else None: then it is in the resident's language."""
    inner = text.strip().lstrip(RIGHT_TO_LEFT_MARK)
    if (
        inner.startswith(FALLBACK_START)
        and inner.endswith(FALLBACK_END)
        and FALLBACK_START not in inner[1:]
    ):
        return SOURCE_LANGUAGE
    return None


def pictogram_path(name: str) -> Path:
    """Where the bundled pictogram ``name`` (an SVG file name from the catalog) is."""
    return asset("pictograms", name)


class FieldType(enum.StrEnum):
    """The kinds of question a démarche can ask (one per screen)."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    EMAIL = "email"
    PHONE_FR = "phone_fr"
    ADDRESS_FR = "address_fr"
    PLACE = "place"
    INFO = "info"
    CONSENT = "consent"


# Types whose answers are typed by the resident: personal data unless the catalog says not.
TEXT_LIKE_TYPES = frozenset(
    {
        FieldType.SHORT_TEXT,
        FieldType.LONG_TEXT,
        FieldType.NUMBER,
        FieldType.DATE,
        FieldType.EMAIL,
        FieldType.PHONE_FR,
        FieldType.ADDRESS_FR,
        FieldType.PLACE,
    }
)
CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE})


class RuleKind(enum.StrEnum):
    """Validation rules a field may carry, on top of what its type checks."""

    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    MIN_VALUE = "min_value"
    MAX_VALUE = "max_value"
    PATTERN = "pattern"
    PAST = "past"  # date today or before
    FUTURE = "future"  # date today or after
    MIN_CHOICES = "min_choices"
    MAX_CHOICES = "max_choices"


@dataclass(frozen=True)
class Rule:
    """One validation rule; ``message`` is shown instead of the built-in one when set."""

    kind: RuleKind
    value: int | float | str | None = None
    message: Texts | None = None


@dataclass(frozen=True)
class Option:
    """One choice of a single/multiple choice question, or one place of the commune.

    A place may say where it is, for back offices that take a location: coordinates
    (WGS 84 degrees, ``lat`` and ``long`` as Open311 names them) and/or a postal address.
    """

    id: str
    label: Texts
    pictogram: str | None = None
    lat: float | None = None
    long: float | None = None
    address: str | None = None

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """``(lat, long)`` when the catalog gives them (always both or neither)."""
        if self.lat is None or self.long is None:
            return None
        return self.lat, self.long

    @property
    def pictogram_path(self) -> Path | None:
        return None if self.pictogram is None else pictogram_path(self.pictogram)


ConditionValue = str | bool | int | float


@dataclass(frozen=True)
class Condition:
    """Show a field (or pick a route) only when an earlier answer is one of ``values``.

    For a multiple choice answer, the condition holds when any chosen option is in
    ``values``; for yes/no, the values are ``true`` or ``false``.
    """

    field_id: str
    values: tuple[ConditionValue, ...]


@dataclass(frozen=True)
class Field:
    """One question (one screen) of a démarche."""

    id: str
    type: FieldType
    label: Texts
    help: Texts | None = None
    required: bool = True
    personal: bool = True
    rules: tuple[Rule, ...] = ()
    condition: Condition | None = None
    options: tuple[Option, ...] = ()  # choices, or the places of the commune for `place`
    free_text: bool = True  # place: free address text is accepted besides the list
    integer: bool = True  # number: whole numbers only unless the catalog says false
    # address_fr: known postcodes -> communes (shared with the catalog, read-only)
    postcodes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    def rule(self, kind: RuleKind) -> Rule | None:
        """The rule of this kind, or None."""
        return next((r for r in self.rules if r.kind is kind), None)

    @property
    def takes_answer(self) -> bool:
        """False for an information page, which only needs "Suivant"."""
        return self.type is not FieldType.INFO


@dataclass(frozen=True)
class RoutingRule:
    """Send to ``service_id`` when ``condition`` holds (rules are tried in order)."""

    condition: Condition
    service_id: str


@dataclass(frozen=True)
class Routing:
    """Which service receives a démarche: the first matching rule, else ``default``."""

    default: str
    rules: tuple[RoutingRule, ...] = ()


@dataclass(frozen=True)
class Service:
    """A service of the town hall that receives démarches."""

    id: str
    name: Texts


# ---------------------------------------------------------------- back-office targets

BACKOFFICE_KINDS = ("wcs", "open311")  # back offices that need a démarche's target


@dataclass(frozen=True)
class WcsFieldTarget:
    """Where one answer goes in a w.c.s. form: the field's ``varname``, and for a choice
    or a place, option id -> the value w.c.s. expects (empty: the id is sent as it is).
    For a place question without ``values`` in the catalog, the values are the places'
    coordinates as w.c.s. map fields take them (``"lat;long"``)."""

    varname: str
    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class WcsTarget:
    """A démarche as a w.c.s. form: the formdef's slug, question id -> its field, the
    field that receives the submission's UUID, and questions deliberately not sent."""

    formdef: str
    fields: Mapping[str, WcsFieldTarget]
    uuid_varname: str = "kiosk_uuid"
    ignore: frozenset[str] = frozenset()
    # Sent as a draft that the resident finishes on their own phone, signed in with
    # FranceConnect (the receipt's QR code opens it); the kiosk never asks for a login.
    franceconnect: bool = False


@dataclass(frozen=True)
class Open311Attribute:
    """One answer sent as ``attribute[code]``; for a choice, option id -> Open311 value."""

    code: str
    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Open311Target:
    """A démarche as an Open311 GeoReport v2 service request.

    ``location``: the place (or address) question giving ``lat``/``long`` or
    ``address_string``, and ``places`` its places by id (each with coordinates or an
    address: the answer names a place by id); ``description``: the text question sent
    as ``description``;
    ``contact``: Open311 key (``email``, ``first_name``, ``last_name``, ``phone``) ->
    question id; ``attributes``: question id -> its attribute; ``ignore``: questions
    deliberately not sent.
    """

    service_code: str
    location: str
    description: str
    attributes: Mapping[str, Open311Attribute] = field(
        default_factory=lambda: MappingProxyType({})
    )
    contact: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    ignore: frozenset[str] = frozenset()
    places: Mapping[str, Option] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Backoffices:
    """A démarche's target in each back office that needs one (None: not mapped there)."""

    wcs: WcsTarget | None = None
    open311: Open311Target | None = None

    def has(self, kind: str) -> bool:
        """True when mapped for back office ``kind``; other kinds need no mapping."""
        return kind not in BACKOFFICE_KINDS or getattr(self, kind) is not None


@dataclass(frozen=True)
class Category:
    """A group of démarches on the home screen."""

    id: str
    title: Texts


@dataclass(frozen=True)
class Demarche:
    """One procedure: a title, a pictogram, and its questions in order."""

    id: str
    version: int
    title: Texts
    description: Texts
    pictogram: str
    category: str
    routing: Routing
    fields: tuple[Field, ...]
    next_steps: Texts | None = None  # what happens after sending, for the receipt
    backoffices: Backoffices = Backoffices()  # where it goes in w.c.s. / Open311

    def field(self, field_id: str) -> Field:
        """The field with this id (KeyError when there is none)."""
        return _by_id(self.fields, field_id)

    @property
    def pictogram_path(self) -> Path:
        return pictogram_path(self.pictogram)


@dataclass(frozen=True)
class Commune:
    """The commune that runs the kiosk."""

    name: str
    reference_prefix: str  # e.g. "ADM" for references like ADM-7K3-Q9P
    postcodes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class Catalog:
    """A whole, validated catalog."""

    schema_version: int
    commune: Commune
    services: tuple[Service, ...]
    categories: tuple[Category, ...]
    places: tuple[Option, ...]
    demarches: tuple[Demarche, ...]

    def demarche(self, demarche_id: str) -> Demarche:
        """The démarche with this id (KeyError when there is none)."""
        return _by_id(self.demarches, demarche_id)

    def service(self, service_id: str) -> Service:
        """The service with this id (KeyError when there is none)."""
        return _by_id(self.services, service_id)

    def in_category(self, category_id: str) -> tuple[Demarche, ...]:
        """The démarches of one category, in catalog order."""
        return tuple(d for d in self.demarches if d.category == category_id)

    def unmapped(self, backoffice: str) -> tuple[Demarche, ...]:
        """The démarches back office ``backoffice`` (a ``[backoffice] kind``) cannot take."""
        return tuple(d for d in self.demarches if not d.backoffices.has(backoffice))

    def offered(self, backoffice: str) -> Catalog:
        """This catalog with only the démarches ``backoffice`` can take: what residents see.

        A démarche without a target in the configured back office could only wait in the
        queue forever, so it is not offered at all.
        """
        unmapped = self.unmapped(backoffice)
        if not unmapped:
            return self
        hidden = {d.id for d in unmapped}
        return replace(self, demarches=tuple(d for d in self.demarches if d.id not in hidden))
