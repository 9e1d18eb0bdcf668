"""``kiosk catalog check [FILE] [--backoffice wcs|open311]``: is a catalog ready to publish?
``kiosk catalog import-wcs SLUG [--into CATALOG]``: a draft démarche from a w.c.s. form.

One line per problem, every problem of the file (not only the first), each naming the
démarche, the field and the key; then one summary line. Exit code 0 when the catalog can
be published (warnings allowed), 1 when it has problems, 2 for a usage error (argparse's,
or a configuration that cannot be read). Without FILE, the catalog the kiosk would use
(``[catalog] path``, else the bundled one) is checked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.catalog.model import BACKOFFICE_KINDS
from kiosk.catalog.parser import check_catalog, decode_catalog
from kiosk.catalog.review import Finding, Severity, review
from kiosk.catalog.shapes import CatalogError
from kiosk.catalog.store import bundled_catalog_path, pictograms_dir
from kiosk.config import ConfigError
from wiring.commands.common import config_from_args


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("catalog", help="check a catalog of démarches")
    commands = parser.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    check = commands.add_parser(
        "check",
        help="name every problem of a catalog file before it is published",
        description="Checks a catalog file: format, drafts, translations, and with "
        "--backoffice the démarches that back office could not take.",
    )
    check.add_argument(
        "file", nargs="?", type=Path,
        help="the catalog (JSON); default: the configured one, else the bundled one",
    )
    check.add_argument(
        "--backoffice", choices=BACKOFFICE_KINDS,
        help="also require every démarche to be mapped to this back office",
    )
    check.set_defaults(handler=run_check)
    importer = commands.add_parser(
        "import-wcs",
        help="write a draft démarche from a w.c.s. form's schema",
        description="Reads the schema of the w.c.s. form SLUG (signed, with [backoffice] "
        "url and orig and the key of `kiosk enroll wcs-key`) and writes a draft démarche: "
        "types and varnames filled in, every text marked draft, to rewrite in FALC and "
        "translate before `kiosk catalog check` lets it be published.",
    )
    importer.add_argument("slug", help="the w.c.s. form's slug (its URL name)")
    importer.add_argument(
        "--into", type=Path, metavar="CATALOG",
        help="add the démarche to this catalog file (written in place); default: print it",
    )
    importer.add_argument("--service", help="the service id (default: the catalog's first)")
    importer.add_argument("--category", help="the category id (default: the catalog's first)")
    importer.set_defaults(handler=run_import_wcs)


def run_check(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    path = args.file or (Path(config.catalog.path) if config.catalog.path else None)
    path = path or bundled_catalog_path()
    findings = check_file(path, languages=config.kiosk.languages, backoffice=args.backoffice)
    for finding in findings:
        print(finding.line())
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    verdict = "cannot be published" if errors else "can be published"
    print(f"{path}: {errors} problem(s), {warnings} warning(s): {verdict}")
    return 1 if errors else 0


def check_file(
    path: Path, *, languages: tuple[str, ...], backoffice: str | None
) -> list[Finding]:
    """Every finding about the catalog at ``path``: problems first, then the review's."""
    try:
        data = decode_catalog(path.read_bytes())
    except OSError as error:
        return [Finding(Severity.ERROR, CatalogError(f"cannot read {path}: {error.strerror}"))]
    except CatalogError as error:
        return [Finding(Severity.ERROR, error)]
    checked = check_catalog(data, pictogram_dir=pictograms_dir())
    findings = [Finding(Severity.ERROR, problem) for problem in checked.problems]
    if checked.catalog is not None:
        findings += review(checked.catalog, languages=languages, backoffice=backoffice)
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def run_import_wcs(args: argparse.Namespace) -> int:
    from wiring.commands.common import CommandError, prepare
    from wiring.commands.wcs_import import import_wcs

    config = prepare(args, read_only=True)
    try:
        return import_wcs(config, args.slug, into=args.into, service=args.service,
                          category=args.category)
    except CommandError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
