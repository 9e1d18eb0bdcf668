"""The basic shapes of a catalog's JSON, checked one value at a time, and the error that
names where a problem is (démarche, field, key).

Shared by the catalog's reader (``kiosk.catalog.parser``) and the back-office mappings'
reader (``kiosk.catalog.backoffices``).
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from kiosk.catalog.model import Texts
from kiosk.i18n import LANGUAGES

_ID = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")
_LANGUAGE_SET = frozenset(LANGUAGES)
DRAFT = "draft"  # the key that marks a text as not yet reviewed (see docs/catalog.md)


class CatalogError(ValueError):
    """A catalog cannot be used; says which démarche, which field and what is wrong."""

    def __init__(
        self,
        problem: str,
        *,
        demarche_id: str | None = None,
        field_id: str | None = None,
        key: str | None = None,
    ) -> None:
        self.problem = problem
        self.demarche_id = demarche_id
        self.field_id = field_id
        self.key = key
        where = [
            f"démarche {demarche_id!r}" if demarche_id else "",
            f"field {field_id!r}" if field_id else "",
            f"key {key!r}" if key else "",
        ]
        place = ", ".join(w for w in where if w)
        super().__init__(f"{place}: {problem}" if place else problem)


class ConsequenceError(CatalogError):
    """A problem that only follows from one already named (checking a whole file)."""


class Where:
    """Where the reader is in the catalog, to name it in errors.

    A plain slotted class, not a frozen dataclass: one is made for every key read, and
    the key path is only joined into text when there is an error to report.
    """

    __slots__ = ("demarche_id", "field_id", "path")

    def __init__(
        self,
        demarche_id: str | None = None,
        field_id: str | None = None,
        path: tuple[str, ...] = (),
    ) -> None:
        self.demarche_id = demarche_id
        self.field_id = field_id
        self.path = path

    def at(self, key: str | None) -> Where:
        """The place of ``key`` inside this one (this one itself for None)."""
        if key is None:
            return self
        return Where(self.demarche_id, self.field_id, (*self.path, key))

    @property
    def key(self) -> str | None:
        if not self.path:
            return None
        return "".join(k if i == 0 or k.startswith("[") else "." + k
                       for i, k in enumerate(self.path))

    def fail(self, problem: str) -> NoReturn:
        raise CatalogError(
            problem, demarche_id=self.demarche_id, field_id=self.field_id, key=self.key
        )


# ---------------------------------------------------------------- basic shapes

def expect_object(
    value: object, where: Where, required: frozenset[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        where.fail(f"expected an object {{...}}, got {kind_of(value)}")
    unknown = sorted(set(value) - required - optional)
    if unknown:
        where.fail(f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(required | optional))}")
    missing = sorted(required - set(value))
    if missing:
        where.fail(f"missing key {missing[0]!r}")
    return value


def expect_list(value: object, where: Where, limit: int, *, non_empty: bool = True) -> list[Any]:
    if not isinstance(value, list):
        where.fail(f"expected a list [...], got {kind_of(value)}")
    if non_empty and not value:
        where.fail("the list is empty")
    if len(value) > limit:
        where.fail(f"too many items: {len(value)}, at most {limit}")
    return value


def kind_of(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def boolean(value: object, where: Where, key: str | None = None) -> bool:
    if not isinstance(value, bool):
        where.at(key).fail(f"expected true or false, got {kind_of(value)}")
    return value


def whole(value: object, where: Where, key: str | None, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        where.at(key).fail(f"expected a whole number from {low} to {high}, got {value!r:.40}")
    return value


def number(value: object, where: Where) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e15:
        where.fail(f"expected a number, got {value!r:.40}")
    return value


def text(value: object, where: Where, limit: int, *, multiline: bool = False) -> str:
    if not isinstance(value, str):
        where.fail(f"expected a text, got {kind_of(value)}")
    if len(value) > limit:
        where.fail(f"text too long: {len(value)} characters, at most {limit}")
    if not value.strip():
        where.fail("the text is empty")
    if not _printable(value, multiline):
        where.fail("the text holds control characters" + ("" if multiline else " or line breaks"))
    return value


def good_text(value: object, limit: int, multiline: bool) -> bool:
    if not isinstance(value, str) or len(value) > limit or not value.strip():
        return False
    return _printable(value, multiline)


# The invisible marks that keep a left-to-right name or number in its order inside Arabic
# (LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK; LEFT-TO-RIGHT, RIGHT-TO-LEFT, FIRST-STRONG and POP
# DIRECTIONAL ISOLATE): allowed. Overrides (U+202A-202E) are not.
_ISOLATES = str.maketrans("", "", "\u200e\u200f\u2066\u2067\u2068\u2069")


def _printable(value: str, multiline: bool) -> bool:
    """No control characters (nor line breaks unless ``multiline``) apart from isolates."""
    # str.isprintable() runs in C; line breaks and isolate marks are removed first.
    value = value.translate(_ISOLATES)
    return value.replace("\n", "").isprintable() if multiline else value.isprintable()


def identifier(value: object, where: Where, key: str | None = None) -> str:
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        where.at(key).fail(
            f"expected an id (lower-case letters, digits, - or _; at most 64), got {value!r:.70}"
        )
    return value


def texts(
    value: object, parent: Where, key: str, limit: int, *, multiline: bool = False
) -> Texts:
    """A text in French, or an object {"fr": ..., "en": ..., "ar": ..., "draft": true}."""
    # Fast paths for good texts; the checks below name what is wrong with a bad one.
    if isinstance(value, str) and good_text(value, limit, multiline):
        return Texts(fr=value)
    if (
        isinstance(value, dict)
        and "fr" in value
        and value.keys() <= _LANGUAGE_SET
        and all(good_text(item, limit, multiline) for item in value.values())
    ):
        return Texts(fr=value["fr"], en=value.get("en"), ar=value.get("ar"))
    where = parent.at(key)
    if isinstance(value, str):
        return Texts(fr=text(value, where, limit, multiline=multiline))
    if not isinstance(value, dict):
        where.fail(f"expected a text or an object {{\"fr\": ...}}, got {kind_of(value)}")
    unknown = sorted(set(value) - _LANGUAGE_SET - {DRAFT})
    if unknown:
        where.fail(f"unknown language {unknown[0]!r}; allowed: {', '.join(LANGUAGES)}, {DRAFT}")
    if "fr" not in value:
        where.fail("the French text (\"fr\") is missing")
    languages = {lang: text(item, where.at(lang), limit, multiline=multiline)
                 for lang, item in value.items() if lang != DRAFT}
    return Texts(
        fr=languages["fr"],
        en=languages.get("en"),
        ar=languages.get("ar"),
        draft=boolean(value.get(DRAFT, False), where, DRAFT),
    )


def unique(ids: list[str], where: Where, what: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            where.fail(f"duplicate {what} id {item_id!r}")
        seen.add(item_id)
