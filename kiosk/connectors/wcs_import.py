"""A draft démarche from a w.c.s. form's schema (``kiosk catalog import-wcs``).

Types and varnames are filled in from the schema (``kiosk.connectors.wcs_schema``); every
text a resident would read (title, description, labels, help, choices) is w.c.s.'s own
wording marked ``"draft": true``, to be rewritten in FALC and translated: ``kiosk catalog
check`` refuses to publish the démarche until every draft mark is gone. A consent
question closes it, as every démarche must. Fields the kiosk cannot ask (files, tables,
computed fields, lists whose choices come from elsewhere) are left out and named.

w.c.s. type -> kiosk type: ``string`` short_text, ``text`` long_text, ``email`` email,
``bool`` yes_no, ``date`` date, ``numeric`` number, ``item`` single_choice, ``items``
multiple_choice (their choices, each choice's w.c.s. value kept in ``values``), ``map``
place (the commune's places, sent as ``"lat;long"``: give each place its coordinates).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kiosk.connectors.wcs_schema import FormSchema, SchemaField

TYPES = {
    "string": "short_text",
    "text": "long_text",
    "email": "email",
    "bool": "yes_no",
    "date": "date",
    "numeric": "number",
    "item": "single_choice",
    "items": "multiple_choice",
    "map": "place",
}
CHOICES = frozenset({"single_choice", "multiple_choice"})
MIN_OPTIONS, MAX_OPTIONS = 2, 40  # the catalog's limits on a choice question
CONSENT_ID = "accord"
DEFAULT_PICTOGRAM = "question.svg"
_ID = re.compile(r"[^a-z0-9]+")


@dataclass
class Imported:
    """The draft démarche (catalog JSON) and the form's fields left out, with why."""

    demarche: dict[str, Any]
    left_out: list[str] = field(default_factory=list)


def draft(text: str) -> dict[str, Any]:
    """A French text marked as a draft."""
    return {"fr": text, "draft": True}


def make_id(text: str, taken: set[str], fallback: str) -> str:
    """A catalog id from ``text`` (lower case, no accents, ``-``), unique in ``taken``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = _ID.sub("-", plain).strip("-")[:60] or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def import_form(
    schema: FormSchema, *, slug: str, service: str, category: str,
    uuid_varname: str = "kiosk_uuid",
) -> Imported:
    """The draft démarche of the w.c.s. form ``slug`` (see the module docstring)."""
    left_out = [f"{schema.unnamed} field(s) without a varname"] if schema.unnamed else []
    questions: list[dict[str, Any]] = []
    mapped: dict[str, dict[str, Any]] = {}
    ids: set[str] = {CONSENT_ID}
    for source in schema.fields:
        if source.varname == uuid_varname:
            continue
        question = _question(source, ids)
        if isinstance(question, str):
            left_out.append(f"{source.varname} ({source.type}): {question}")
            continue
        target: dict[str, Any] = {"varname": source.varname}
        values = question.pop("_values", None)
        if values:
            target["values"] = values
        mapped[question["id"]] = target
        questions.append(question)
    questions.append({"id": CONSENT_ID, "type": "consent", "label": draft(
        "J'accepte que la mairie utilise mes réponses pour cette demande.")})
    demarche = {
        "id": make_id(slug, set(), "demarche"),
        "version": 1,
        "title": draft(schema.name or slug),
        "description": draft(f"À écrire en FALC : à quoi sert « {schema.name or slug} »."),
        "pictogram": DEFAULT_PICTOGRAM,
        "category": category,
        "service": service,
        "fields": questions,
        "backoffices": {"wcs": {"formdef": slug, "fields": mapped,
                                "uuid_varname": uuid_varname, "ignore": [CONSENT_ID]}},
    }
    return Imported(demarche, left_out)


def _question(source: SchemaField, ids: set[str]) -> dict[str, Any] | str:
    """One question, or why the field cannot be asked on the kiosk."""
    kind = TYPES.get(source.type)
    if kind is None:
        return "a type the kiosk does not ask"
    question: dict[str, Any] = {
        "id": make_id(source.varname, ids, "question"),
        "type": kind,
        "label": draft(source.label),
        "required": source.required,
    }
    if source.hint:
        question["help"] = draft(source.hint)
    if kind == "place":
        question["places"] = "commune"
    if kind in CHOICES:
        if not MIN_OPTIONS <= len(source.items) <= MAX_OPTIONS:
            return (f"{len(source.items)} choices in the schema (a data source?); the kiosk "
                    f"needs {MIN_OPTIONS} to {MAX_OPTIONS}")
        option_ids: set[str] = set()
        options = [{"id": make_id(item, option_ids, "choix"), "label": draft(item)}
                   for item in source.items]
        question["options"] = options
        question["_values"] = {o["id"]: item for o, item in zip(options, source.items,
                                                                strict=True)}
    return question
