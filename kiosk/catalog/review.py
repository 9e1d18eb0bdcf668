"""Before a catalog is published: what ``kiosk catalog check`` finds beyond the format.

A catalog the kiosk can load may still not be ready: texts marked ``draft`` (written by a
machine or a colleague, not reviewed), translations missing in a language the kiosk
offers (residents would read French instead: a warning), démarches that the back office
in use could not take (they would not be offered). Each finding names the démarche, the
field and the key, as the catalog's errors do.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kiosk.catalog.model import Catalog, Demarche, FieldType, Option, Texts
from kiosk.catalog.shapes import CatalogError


class Severity(enum.StrEnum):
    ERROR = "ERROR"  # the catalog must not be published as it is
    WARNING = "WARN"  # it may be, but residents will notice


@dataclass(frozen=True)
class Finding:
    severity: Severity
    error: CatalogError

    def line(self) -> str:
        return f"{self.severity.value:<6} {self.error}"


@dataclass(frozen=True)
class _Text:
    demarche_id: str | None
    field_id: str | None
    key: str
    texts: Texts


def _texts_of_demarche(demarche: Demarche, shared: tuple[Option, ...]) -> Iterator[_Text]:
    """The démarche's texts; a place question's list of the commune's places (``shared``,
    listed once at the top) is left out."""
    d = demarche.id
    for key, texts in (("title", demarche.title), ("description", demarche.description),
                       ("next_steps", demarche.next_steps)):
        if texts is not None:
            yield _Text(d, None, key, texts)
    for question in demarche.fields:
        f = question.id
        yield _Text(d, f, "label", question.label)
        if question.help is not None:
            yield _Text(d, f, "help", question.help)
        for i, rule in enumerate(question.rules):
            if rule.message is not None:
                yield _Text(d, f, f"rules[{i}].message", rule.message)
        if question.options is not shared:
            key = "places" if question.type is FieldType.PLACE else "options"
            for i, option in enumerate(question.options):
                yield _Text(d, f, f"{key}[{i}].label", option.label)


def texts_of(catalog: Catalog) -> Iterator[_Text]:
    """Every text of the catalog, with where it is (the commune's places once, at the top)."""
    for i, service in enumerate(catalog.services):
        yield _Text(None, None, f"services[{i}].name", service.name)
    for i, category in enumerate(catalog.categories):
        yield _Text(None, None, f"categories[{i}].title", category.title)
    for i, place in enumerate(catalog.places):
        yield _Text(None, None, f"places[{i}].label", place.label)
    for demarche in catalog.demarches:
        yield from _texts_of_demarche(demarche, catalog.places)


def review(
    catalog: Catalog, *, languages: Iterable[str], backoffice: str | None = None
) -> list[Finding]:
    """Drafts (errors), missing translations in ``languages`` (warnings), and, for
    ``backoffice``, démarches without a target there (errors)."""
    wanted = tuple(languages)
    findings: list[Finding] = []
    for found in texts_of(catalog):
        where = {"demarche_id": found.demarche_id, "field_id": found.field_id, "key": found.key}
        if found.texts.draft:
            findings.append(Finding(Severity.ERROR, CatalogError(
                "this text is a draft: have it reviewed, then remove \"draft\"", **where)))
        missing = found.texts.missing(wanted)
        if missing:
            findings.append(Finding(Severity.WARNING, CatalogError(
                "no translation in " + ", ".join(missing) + " (French is shown instead)",
                **where)))
    if backoffice is not None:
        findings.extend(
            Finding(Severity.ERROR, CatalogError(
                f"no {backoffice} mapping: residents are not offered this démarche when the "
                f"back office is {backoffice}", demarche_id=demarche.id, key="backoffices"))
            for demarche in catalog.unmapped(backoffice)
        )
    return findings
