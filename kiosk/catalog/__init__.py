"""The catalog of démarches: format model, loader with named errors, last-good store.

Public API (see docs/catalog.md for the file format):

- ``load_catalog(path, pictogram_dir=None) -> Catalog``, ``load_catalog_bytes(raw)``,
  ``parse_catalog(data)``: raise ``CatalogError`` (``demarche_id``, ``field_id``, ``key``,
  ``problem``) for any problem.
- ``CatalogStore``: ``offer(raw)`` / ``offer_file(path)`` / ``load(path)``, ``current``;
  ``check(raw)`` on any thread, then ``use(catalog, raw)`` or ``refuse(error, source)``.
- ``kiosk.catalog.patterns``: answer patterns on RE2 (linear time), ``fullmatches``.
- ``kiosk.catalog.parser.check_catalog(data)``: every problem of a file, not just the first;
  ``kiosk.catalog.review.review(...)``: drafts, missing translations, unmapped démarches.
- ``Demarche.backoffices`` (``WcsTarget``, ``Open311Target``; read by
  ``kiosk.catalog.backoffices``); ``Catalog.offered(kind)`` / ``Catalog.unmapped(kind)``.
- ``Catalog``, ``Demarche``, ``Field``, ``FieldType``, ``Option``, ``Texts``,
  ``localized(texts, language)`` (French fallback), ``pictogram_path(name)``.
"""

from kiosk.catalog.model import (
    SCHEMA_VERSION,
    Catalog,
    Category,
    Commune,
    Condition,
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
    localized,
    pictogram_path,
)
from kiosk.catalog.parser import CatalogError, load_catalog, load_catalog_bytes, parse_catalog
from kiosk.catalog.store import CatalogStore, bundled_catalog_path, pictograms_dir

__all__ = [
    "SCHEMA_VERSION",
    "Catalog",
    "CatalogError",
    "CatalogStore",
    "Category",
    "Commune",
    "Condition",
    "Demarche",
    "Field",
    "FieldType",
    "Option",
    "Routing",
    "RoutingRule",
    "Rule",
    "RuleKind",
    "Service",
    "Texts",
    "bundled_catalog_path",
    "load_catalog",
    "load_catalog_bytes",
    "localized",
    "parse_catalog",
    "pictogram_path",
    "pictograms_dir",
]
