"""Translation of the texts shown and spoken to residents (gettext, French source).

Strings are written in French (the source language) and wrapped in ``_()``. The catalogs
are assets/locale/<lang>/LC_MESSAGES/kiosk.po, compiled to .mo files that are committed
beside them (``make translations``; a test checks they are up to date). The language is
one per process at a time: a kiosk serves one resident at a time.
"""

from __future__ import annotations

import gettext
import re

from kiosk.paths import asset

DOMAIN = "kiosk"
SOURCE_LANGUAGE = "fr"
# Every language the kiosk speaks, the source first, each named in its own words (so that
# a resident recognises it). The configuration, the catalog's texts, the welcome screen
# and the translation catalogs (scripts/translations.py) all take this list.
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}
LANGUAGES = tuple(LANGUAGE_NAMES)
RIGHT_TO_LEFT = frozenset({"ar"})

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def set_language(language: str) -> None:
    """Switch every later ``_()`` to ``language``; French needs no catalog."""
    global _translations, _language  # noqa: PLW0603 - one language per process, by design
    _language = language
    if language == SOURCE_LANGUAGE:
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(
            DOMAIN, localedir=asset("locale"), languages=[language], fallback=True
        )


def current_language() -> str:
    return _language


def is_right_to_left(language: str | None = None) -> bool:
    return (language or _language) in RIGHT_TO_LEFT


def _(message: str) -> str:
    """The message in the current language (French when not translated)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for extraction where it must be translated later, at display time."""
    return message


_FRENCH_ELISION = re.compile(r"\b([dD])e ([AEIOUYÂÉÈÊÎÔaeiouyâéèêîô])")


def with_commune(template: str, commune: str) -> str:
    """``template`` (already translated) with ``{commune}`` filled in.

    In French, "de" before a vowel becomes "d'": "Mairie de Admiville" reads
    "Mairie d'Admiville". (A mute h is left alone: whether it elides depends on the word.)
    """
    text = template.format(commune=commune)
    if _language == SOURCE_LANGUAGE:
        text = _FRENCH_ELISION.sub(r"\1'\2", text)
    return text
