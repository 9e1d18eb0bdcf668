"""Answers in plain words, for the review screen and the receipt.

Dates read "12 mars 1950", yes/no read "Oui"/"Non", choices read as their labels, phone
numbers are grouped by two digits, addresses on one line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from kiosk.catalog.model import (
    FALLBACK_END,
    Field,
    FieldType,
    as_french,
    fallback_language,
    localized,
)
from kiosk.catalog.validators import AnswerValue, format_number, format_phone_fr
from kiosk.i18n import _, is_right_to_left

_MONTHS: Mapping[str, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
}


def format_date(iso: str, language: str) -> str:
    """``1950-03-12`` as "12 mars 1950" (French "1er" for the first of a month)."""
    date = dt.date.fromisoformat(iso)
    months = _MONTHS.get(language, _MONTHS["fr"])
    day = "1er" if date.day == 1 and language not in ("en", "ar") else str(date.day)
    return f"{day} {months[date.month - 1]} {date.year}"


def format_answer(field: Field, value: AnswerValue | None, language: str) -> str:
    """One checked answer in plain words, in ``language`` (French fallback).

    In a right-to-left language, an answer written in Latin letters only (a name, an
    address, an e-mail typed on the French kiosk) is marked as French text (see
    ``localized``): left to right on screen, said with the French voice; groups of digits
    (a phone number) are kept left to right.
    """
    text = _plain_words(field, value, language)
    if not is_right_to_left(language) or _RIGHT_TO_LEFT.search(text):
        return text
    if _LATIN.search(text) and fallback_language(text) is None:
        return as_french(text, language)
    if _DIGIT_GROUPS.search(text):
        # "06 12 34 56 78" would show its groups in reverse order in a right-to-left
        # line: kept left to right, and said by the resident's voice.
        return LEFT_TO_RIGHT_ISOLATE + text + FALLBACK_END
    return text


# Latin letters (accented too), and letters of right-to-left scripts (Hebrew to Arabic).
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_DIGIT_GROUPS = re.compile("[0-9][^0-9]+[0-9]")
LEFT_TO_RIGHT_ISOLATE = "\u2066"
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _plain_words(field: Field, value: AnswerValue | None, language: str) -> str:
    if value is None:
        return _("Pas de réponse")
    if isinstance(value, bool):
        return _yes_no_text(field, value)
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, tuple):
        return ", ".join(_option_label(field, choice, language) for choice in value)
    if isinstance(value, Mapping):
        return _mapping_text(field, value, language)
    return _text(field, value, language)


def _text(field: Field, value: str, language: str) -> str:
    if field.type is FieldType.DATE:
        return format_date(value, language)
    if field.type is FieldType.PHONE_FR:
        return format_phone_fr(value)
    if field.type is FieldType.SINGLE_CHOICE:
        return _option_label(field, value, language)
    return value


def _yes_no_text(field: Field, value: bool) -> str:
    if field.type is FieldType.CONSENT:
        return _("J'accepte")
    return _("Oui") if value else _("Non")


def _option_label(field: Field, option_id: str, language: str) -> str:
    option = field.option(option_id)
    return option_id if option is None else localized(option.label, language)


def _mapping_text(field: Field, value: Mapping[str, str], language: str) -> str:
    if field.type is FieldType.ADDRESS_FR:
        return f"{value.get('street', '')}, {value.get('postcode', '')} {value.get('commune', '')}"
    if "id" in value:  # a place from the list
        return _option_label(field, value["id"], language)
    return value.get("text", "")
