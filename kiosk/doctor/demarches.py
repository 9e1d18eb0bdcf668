"""The démarches offered: the catalog the kiosk starts with, against its back office."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, fail, ok, warn


def check_demarches(config: Config) -> CheckResult:
    """Which démarches the configured back office cannot take (residents are not offered
    them: ``Catalog.offered``); the catalog checked is the one the kiosk starts with."""
    from kiosk.catalog.model import BACKOFFICE_KINDS
    from kiosk.catalog.parser import CatalogError, load_catalog
    from kiosk.catalog.store import bundled_catalog_path, pictograms_dir

    name = "demarches"
    path = Path(config.catalog.path) if config.catalog.path else bundled_catalog_path()
    try:
        catalog = load_catalog(path, pictogram_dir=pictograms_dir())
    except CatalogError as error:
        return fail(name, f"{path}: {error} (`kiosk catalog check` names every problem)")
    kind = config.backoffice.kind
    count = len(catalog.demarches)
    if kind not in BACKOFFICE_KINDS:
        return ok(name, f"{count} offered (the {kind} back office needs no mapping)")
    unmapped = [d.id for d in catalog.unmapped(kind)]
    if len(unmapped) == count:
        return fail(name, f"no démarche is mapped to {kind}: residents are offered none")
    if unmapped:
        return warn(name, f"{count - len(unmapped)} offered; not offered (no {kind} mapping): "
                           + ", ".join(unmapped))
    return ok(name, f"{count} offered, all mapped to {kind}")



CHECKS: tuple[Check, ...] = (
    check_demarches,
)
