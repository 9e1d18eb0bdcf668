"""Keep the translation catalogs in step with the code: extract, update, compile.

Run by ``make translations`` (or ``.venv/bin/python scripts/translations.py``):

1. extract every ``_("…")``, ``N_("…")`` and ``ngettext("…", "…", n)`` of kiosk/, ui/ and
   accessibility/ into assets/locale/kiosk.pot (file names, no line numbers: moving code
   does not churn the catalogs);
2. update each assets/locale/<lang>/LC_MESSAGES/kiosk.po from it: new strings are added
   with an empty translation, strings gone from the code are dropped, nothing is guessed
   ("fuzzy" matching is off: a near miss in FALC is a wrong sentence);
3. compile each .po to its kiosk.mo.

A file is rewritten only when its content changes (dates in the headers aside), so running
it twice leaves the tree untouched. ``--check`` changes nothing and exits 1 when a file is
out of date or a translation is missing, listing what to do. Then translate the new entries
(empty ``msgstr``) in each .po and run it again. docs/translations.md says more.

The tests (tests/kiosk/test_translations.py) import this file for ``extract_template``,
``LANGUAGES`` and ``LOCALE_DIR`` so that the extraction rules live in one place.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from kiosk.i18n import LANGUAGES as KIOSK_LANGUAGES
from kiosk.i18n import SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "assets" / "locale"
TEMPLATE = LOCALE_DIR / "kiosk.pot"
DOMAIN = "kiosk"
SOURCE_DIRS = ("wiring", "kiosk", "ui", "accessibility")
# The markers of kiosk/i18n.py: ``ngettext`` takes the singular and the plural.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
# ``# Translators: …`` just above a string reaches the translators in the .po files.
COMMENT_TAGS = ("Translators:",)
PROJECT = "Borne citoyenne"
HEADER_COMMENT = (
    "# Texts of the Borne citoyenne kiosk (source language: French, FALC).\n"
    "# Made by scripts/translations.py (`make translations`); see docs/translations.md.\n#"
)

# Languages with a catalog, and their gettext plural rule (the .po header says it, and
# the .mo carries it). French is the source language: it has no catalog.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    ),
}
LANGUAGES = tuple(language for language in KIOSK_LANGUAGES if language != SOURCE_LANGUAGE)

_DATE_HEADER = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract_template(root: Path = ROOT) -> Catalog:
    """The template catalog: every marked string of the Python sources under ``root``."""
    template = Catalog(project=PROJECT, domain=DOMAIN, header_comment=HEADER_COMMENT, fuzzy=False)
    for directory in SOURCE_DIRS:
        results = extract_from_dir(
            root / directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in results:
            location = (f"{directory}/{Path(filename).as_posix()}", lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def render_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=90, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def updated_catalog(template: Catalog, language: str) -> Catalog:
    """The language's catalog brought in line with ``template`` (new in, obsolete out)."""
    path = po_path(language)
    if path.exists():
        catalog = read_catalog(path, language)
    else:
        catalog = Catalog(
            locale=language,
            domain=DOMAIN,
            project=PROJECT,
            header_comment=HEADER_COMMENT,
            revision_date=datetime.now(UTC),
            last_translator="Borne citoyenne",
            language_team=f"{language}",
            fuzzy=False,
        )
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    # Babel fills the header from its own plural table; ours is the one we document.
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[language])]
    return catalog


def missing_translations(catalog: Catalog) -> Iterator[str]:
    """The msgids of ``catalog`` without a complete translation (or marked fuzzy)."""
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            yield str(message.id[0] if isinstance(message.id, tuple) else message.id)


@dataclass(frozen=True)
class Output:
    """One file the pipeline produces, with the bytes it should hold."""

    path: Path
    content: bytes

    def is_current(self) -> bool:
        if not self.path.exists():
            return False
        return _without_dates(self.path.read_bytes()) == _without_dates(self.content)

    def write(self) -> bool:
        """Write the file if its content changed; True if written."""
        if self.is_current():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(self.content)
        return True


def _without_dates(content: bytes) -> bytes:
    """The file without its date headers, which change at every run and mean nothing.

    Only the template gets a new date at each extraction: the .po files keep theirs (read
    back from disk), so their .mo files are byte-for-byte the same from run to run.
    """
    return _DATE_HEADER.sub(b"", content)


def outputs(template: Catalog) -> tuple[list[Output], dict[str, list[str]]]:
    """Every file the pipeline writes, and the untranslated msgids of each language."""
    files = [Output(TEMPLATE, render_po(template))]
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        catalog = updated_catalog(template, language)
        files.append(Output(po_path(language), render_po(catalog)))
        # The .mo is compiled from the .po as it will be written, so that a re-read gives
        # the same catalog (what the runtime loads is what translators see).
        reread = read_po(io.BytesIO(files[-1].content), locale=language, domain=DOMAIN)
        files.append(Output(mo_path(language), render_mo(reread)))
        missing[language] = list(missing_translations(reread))
    return files, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is stale"
    )
    args = parser.parse_args(argv)
    template = extract_template()
    files, missing = outputs(template)
    template_size = len([message for message in template if message.id])
    stale = [f for f in files if not f.is_current()]
    if args.check:
        for output in stale:
            print(f"out of date: {output.path.relative_to(ROOT)}")
    else:
        for output in stale:
            output.write()
            print(f"wrote {output.path.relative_to(ROOT)}")
    print(f"{template_size} strings")
    for language, ids in missing.items():
        for message_id in ids:
            print(f"{language}: not translated: {message_id!r}")
    if stale and args.check:
        print("Run `make translations` and commit assets/locale/.")
    if any(missing.values()):
        print("Translate the empty msgstr entries in assets/locale/<lang>/LC_MESSAGES/kiosk.po,")
        print("then run `make translations` again.")
    return 1 if (stale and args.check) or any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
