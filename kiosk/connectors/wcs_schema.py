"""A w.c.s. form's schema (signed ``GET /api/formdefs/<slug>/schema``), read for the
doctor (does the catalog's mapping match the form?) and for ``kiosk catalog import-wcs``.

The schema is the formdef's JSON export: ``{"name", "slug", "fields": [{"id", "label",
"type", "varname", "required", "hint", "items", ...}], ...}``. Versions differ:
``required`` was a boolean before 2025 and is a string since (``"required"``,
``"optional"``, ``"frontoffice"``: required on the web site only, so not for a submission
made in the back office's name, as the kiosk's are). Outside input: anything that is not
a schema is ``None``; a field that cannot be read is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.catalog.backoffices import WCS_VARNAME

MAX_FIELDS = 500  # a form has tens of fields; more is not a schema the kiosk reads
MAX_TEXT = 500  # characters of a label or a hint kept
MAX_ITEMS = 200  # choices of a list kept
# Fields that hold no answer: page breaks, titles, comments.
LAYOUT_TYPES = frozenset({"page", "title", "subtitle", "comment"})
NOT_REQUIRED = frozenset({"optional", "frontoffice", "false", ""})


@dataclass(frozen=True)
class SchemaField:
    """One answer field of a w.c.s. form."""

    varname: str
    type: str
    label: str
    required: bool
    hint: str = ""
    items: tuple[str, ...] = ()  # the values of a list (``item``, ``items``)


@dataclass(frozen=True)
class FormSchema:
    """A form's name and its answer fields (layout fields left out)."""

    name: str
    slug: str
    fields: tuple[SchemaField, ...]
    unnamed: int = 0  # answer fields without a varname: the kiosk cannot fill them

    def varnames(self) -> frozenset[str]:
        return frozenset(f.varname for f in self.fields)


def is_required(value: object) -> bool:
    """``required`` of any w.c.s. version: a boolean, or a string since 2025."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() not in NOT_REQUIRED
    return False


def parse_schema(reply: Any) -> FormSchema | None:
    """The schema in a w.c.s. answer, or None when it is not one."""
    if not isinstance(reply, Mapping):
        return None
    raw_fields = reply.get("fields")
    if not isinstance(raw_fields, list) or len(raw_fields) > MAX_FIELDS:
        return None
    fields: list[SchemaField] = []
    unnamed = 0
    for raw in raw_fields:
        if not isinstance(raw, Mapping) or str(raw.get("type")) in LAYOUT_TYPES:
            continue
        field = _field(raw)
        if field is None:
            unnamed += 1
        else:
            fields.append(field)
    return FormSchema(_text(reply.get("name")), _text(reply.get("slug")), tuple(fields), unnamed)


def _field(raw: Mapping[str, Any]) -> SchemaField | None:
    varname, kind = raw.get("varname"), raw.get("type")
    if not isinstance(varname, str) or not WCS_VARNAME.fullmatch(varname):
        return None
    if not isinstance(kind, str) or not kind.isidentifier():
        return None
    items = raw.get("items")
    return SchemaField(
        varname=varname,
        type=kind,
        label=_text(raw.get("label")) or varname,
        required=is_required(raw.get("required")),
        hint=_text(raw.get("hint")),
        items=tuple(
            text for text in (_text(i) for i in items[:MAX_ITEMS]) if text
        ) if isinstance(items, list) else (),
    )


def _text(value: object) -> str:
    """A label or hint as one line (w.c.s. may hold HTML in hints: kept as text)."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:MAX_TEXT]
