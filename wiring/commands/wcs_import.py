"""``kiosk catalog import-wcs SLUG``: ask w.c.s. for a form's schema and write the draft
démarche (``kiosk.connectors.wcs_import``), printed or added to a catalog file.

Progress goes to standard error, one line per step; the démarche (without ``--into``)
to standard output, so that it can be redirected. Nothing personal is read: a schema
holds the form's questions, not anyone's answers.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from kiosk import secrets
from kiosk.config import Config
from wiring.commands.common import CommandError

STEPS = 3


def _step(n: int, text: str) -> None:
    print(f"[{n}/{STEPS}] {text}", file=sys.stderr, flush=True)


def import_wcs(
    config: Config, slug: str, *, into: Path | None, service: str | None,
    category: str | None,
) -> int:
    """Import the form ``slug``; 0 when the draft is written or printed."""
    import requests

    from kiosk.catalog.backoffices import WCS_SLUG
    from kiosk.connectors.bounded_http import describe_network_error
    from kiosk.connectors.wcs import WcsConnector, describe_refusal
    from kiosk.connectors.wcs_import import import_form, make_id
    from kiosk.connectors.wcs_schema import parse_schema

    if not WCS_SLUG.fullmatch(slug):
        raise CommandError(f"{slug!r} is not a w.c.s. form slug (small letters, digits, -)")
    office = config.backoffice
    if not office.orig:
        raise CommandError("set [backoffice] url and orig (the w.c.s. API access) first")
    key = secrets.get_secret(secrets.WCS_API_KEY)
    if not key:
        raise CommandError("no w.c.s. key enrolled: kiosk enroll wcs-key")
    catalog = _read_catalog(into) if into is not None else None
    _step(1, f"asking {office.url} for the schema of form {slug}")
    connector = WcsConnector(office.url, office.orig, key, {}, deadline=office.timeout_seconds)
    try:
        answer = connector.signed_get(f"/api/formdefs/{slug}/schema")
    except requests.RequestException as error:
        raise CommandError(f"w.c.s. did not answer: {describe_network_error(error)}") from None
    finally:
        connector.close()
    if answer.status != 200:
        raise CommandError(f"w.c.s. refused: {describe_refusal(answer)[0]}")
    schema = parse_schema(answer.json())
    if schema is None:
        raise CommandError("w.c.s.'s answer is not a form schema")
    imported = import_form(
        schema, slug=slug,
        service=service or _first(catalog, "services") or "a-choisir",
        category=category or _first(catalog, "categories") or "a-choisir",
    )
    demarche = imported.demarche
    asked = len(demarche["fields"]) - 1  # the consent question is the kiosk's own
    _step(2, f"{len(schema.fields)} field(s) read: {asked} question(s), "
             f"{len(imported.left_out)} left out")
    for why in imported.left_out:
        print(f"      left out: {why}", file=sys.stderr)
    if catalog is None or into is None:
        print(json.dumps(demarche, ensure_ascii=False, indent=2))
        _step(3, "draft démarche printed; add it to a catalog, rewrite every text marked "
                 "draft in FALC, then run `kiosk catalog check`")
        return 0
    taken = {str(d.get("id")) for d in catalog.get("demarches", []) if isinstance(d, dict)}
    demarche["id"] = make_id(demarche["id"], taken, "demarche")
    catalog.setdefault("demarches", []).append(demarche)
    _write(into, catalog)
    _step(3, f"draft démarche {demarche['id']} added to {into}; rewrite every text marked "
             f"draft in FALC, then run `kiosk catalog check {into}`")
    return 0


def _read_catalog(path: Path) -> dict[str, Any]:
    from kiosk.catalog.parser import decode_catalog
    from kiosk.catalog.shapes import CatalogError

    try:
        data = decode_catalog(path.read_bytes())
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    except CatalogError as error:
        raise CommandError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path} is not a catalog (a JSON object)")
    return data


def _first(catalog: dict[str, Any] | None, key: str) -> str | None:
    items = catalog.get(key) if catalog else None
    first = items[0] if isinstance(items, list) and items else None
    return str(first["id"]) if isinstance(first, dict) and "id" in first else None


def _write(path: Path, catalog: dict[str, Any]) -> None:
    """Replace ``path`` at once: a crash leaves the old file or the new one."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(json.dumps(catalog, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror}") from None
