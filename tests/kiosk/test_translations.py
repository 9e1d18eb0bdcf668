"""The committed catalogs are complete and in step with the code (scripts/translations.py).

A string added to the code without `make translations`, a .po edited without compiling,
an untranslated or fuzzy entry, a lost placeholder: each fails here with what to do.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk import i18n

ROOT = Path(__file__).resolve().parents[2]
RUN_IT = "Run `make translations`, translate the empty entries, and commit assets/locale/."


def _load_pipeline() -> ModuleType:
    """scripts/translations.py, imported by path (scripts/ is not a package)."""
    name = "borne_translations_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "translations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pipeline = _load_pipeline()
LANGUAGES = pipeline.LANGUAGES


def _catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def _translated(language: str) -> Catalog:
    return _catalog(pipeline.po_path(language), language)


def _forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value or "",)


def _placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a str.format template (a stray brace fails the test)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.fixture(autouse=True)
def _back_to_french() -> Iterator[None]:
    """The language is process-wide: every test leaves the kiosk in French."""
    yield
    i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture(scope="module")
def template_now() -> Catalog:
    """The template as extracted from today's sources (written out and read back)."""
    return read_po(io.BytesIO(pipeline.render_po(pipeline.extract_template())))


# ------------------------------------------------------------------ up to date


def test_the_template_holds_every_string_of_the_code(template_now):
    committed = _ids(_catalog(pipeline.TEMPLATE))
    fresh = _ids(template_now)
    missing, gone = sorted(map(str, fresh - committed)), sorted(map(str, committed - fresh))
    assert (missing, gone) == ([], []), (
        f"assets/locale/kiosk.pot is out of date. New in the code: {missing}. "
        f"No longer in the code: {gone}. {RUN_IT}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_has_exactly_the_template_strings(language, template_now):
    translated = _ids(_translated(language))
    fresh = _ids(template_now)
    assert translated == fresh, (
        f"{language}/kiosk.po lacks {sorted(map(str, fresh - translated))} and still has "
        f"{sorted(map(str, translated - fresh))}. {RUN_IT}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_compiled_from_the_po(language, tmp_path):
    fresh_mo = tmp_path / "kiosk.mo"
    with fresh_mo.open("wb") as handle:
        write_mo(handle, _translated(language))
    committed = pipeline.mo_path(language)
    assert committed.exists(), f"{committed} is missing. {RUN_IT}"
    with committed.open("rb") as old, fresh_mo.open("rb") as new:
        old_catalog, new_catalog = gettext.GNUTranslations(old), gettext.GNUTranslations(new)
    stale = {
        key
        for key in old_catalog._catalog.keys() | new_catalog._catalog.keys()
        if old_catalog._catalog.get(key) != new_catalog._catalog.get(key)
    }
    assert not stale, f"{committed.name} ({language}) differs from its .po on {stale}. {RUN_IT}"
    assert [old_catalog.ngettext("a", "b", n) for n in range(120)] == [
        new_catalog.ngettext("a", "b", n) for n in range(120)
    ]


def test_the_pipeline_check_passes_on_the_committed_tree(capsys):
    assert pipeline.main(["--check"]) == 0, capsys.readouterr().out


# ------------------------------------------------------------------ complete and consistent


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    catalog = _translated(language)
    assert not catalog.fuzzy, f"{language}/kiosk.po is marked fuzzy in its header"
    missing = list(pipeline.missing_translations(catalog))
    assert not missing, f"{language}: translate {missing} in {pipeline.po_path(language)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept_in_every_form(language):
    wrong = []
    for message in _translated(language):
        if not message.id:
            continue
        expected = set().union(*(_placeholders(text) for text in _forms(message.id)))
        for form in _forms(message.string):
            if _placeholders(form) != expected:
                wrong.append((message.id, form))
    assert not wrong, f"{language}: placeholders differ from the French: {wrong}"


@pytest.mark.parametrize(
    ("language", "forms", "samples"),
    [
        ("en", 2, {0: 1, 1: 0, 2: 1, 5: 1, 100: 1}),
        # zero, one, two, few (3-10), many (11-99), other — with the hundreds wrapping.
        ("ar", 6, {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4}),
    ],
)
def test_plural_rules(language, forms, samples):
    catalog = _translated(language)
    assert catalog.num_plurals == forms
    for message in catalog:
        if isinstance(message.id, tuple):
            assert len(message.string) == forms, message.id
    with pipeline.mo_path(language).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert {n: compiled.plural(n) for n in samples} == samples


QUOTES = {"en": ("“", "”"), "ar": ("«", "»")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_buttons_named_in_sentences_match_the_translated_buttons(language):
    """« Modifier » in a sentence becomes the word on the translated "Modifier" button."""
    catalog = _translated(language)
    checked = 0
    opening, closing = QUOTES[language]
    for message in catalog:
        if not isinstance(message.id, str):
            continue
        for quoted in re.findall(r"« (.+?) »", message.id):
            button = catalog.get(quoted)
            if button is None:  # a placeholder such as « {demarche} », not a button
                continue
            checked += 1
            expected = f"{opening}{button.string}{closing}"
            assert expected in message.string, (
                f"{language}: {message.id!r} should name the button as {expected}: "
                f"{message.string!r}"
            )
    assert checked >= 3  # "Oui"/"Non", "Modifier", "Envoyer": the check looked at something


# ------------------------------------------------------------------ the pipeline itself


def test_extraction_finds_every_kind_of_marker(tmp_path):
    package = tmp_path / "ui"
    package.mkdir()
    (package / "screen.py").write_text(
        "from kiosk.i18n import N_, _, ngettext\n"
        "LABELS = {'a': N_('Plus tard')}\n"
        "def text(n):\n"
        "    # Translators: the resident's first name is never shown here.\n"
        "    return _('Bonjour') + ngettext('{n} pomme', '{n} pommes', n)\n",
        encoding="utf-8",
    )
    template = pipeline.extract_template(tmp_path)
    assert _ids(template) == {"Plus tard", "Bonjour", ("{n} pomme", "{n} pommes")}
    hello = template.get("Bonjour")
    assert hello.auto_comments == ["the resident's first name is never shown here."]
    assert {path for path, _ in hello.locations} == {"ui/screen.py"}


def test_update_adds_new_strings_drops_old_ones_and_guesses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "LOCALE_DIR", tmp_path)
    old = Catalog(locale="en", domain="kiosk", fuzzy=False)
    old.add("Suivant", "Next")
    old.add("Ancien texte", "Old text")
    pipeline.po_path("en").parent.mkdir(parents=True)
    pipeline.po_path("en").write_bytes(pipeline.render_po(old))
    template = Catalog(domain="kiosk", fuzzy=False)
    template.add("Suivant")
    template.add("Suivante")  # close to "Suivant": fuzzy matching would copy "Next"

    updated = read_po(io.BytesIO(pipeline.render_po(pipeline.updated_catalog(template, "en"))))

    assert _ids(updated) == {"Suivant", "Suivante"}
    assert updated.get("Suivant").string == "Next"
    assert updated.get("Suivante").string == ""
    assert not any(message.fuzzy for message in updated if message.id)
    assert list(pipeline.missing_translations(updated)) == ["Suivante"]
    written = pipeline.render_po(pipeline.updated_catalog(template, "en")).decode()
    assert "Ancien texte" not in written  # not even as an obsolete "#~" entry


# ------------------------------------------------------------------ at run time


@pytest.mark.parametrize(
    ("language", "next_label"), [("en", "Next"), ("ar", "التالي"), ("fr", "Suivant")]
)
def test_the_kiosk_speaks_the_chosen_language(language, next_label):
    i18n.set_language(language)
    assert i18n._("Suivant") == next_label


def test_plurals_follow_the_language_at_run_time():
    singular = "Sans réponse, tout sera effacé dans {n} seconde."
    plural = "Sans réponse, tout sera effacé dans {n} secondes."
    i18n.set_language("ar")
    two, five, twenty = (i18n.ngettext(singular, plural, n) for n in (2, 5, 20))
    assert len({two, five, twenty}) == 3  # dual, few, many: three different Arabic forms
    i18n.set_language("en")
    assert i18n.ngettext(singular, plural, 1).format(n=1).endswith("1 second.")
    assert i18n.ngettext(singular, plural, 5).format(n=5).endswith("5 seconds.")
