"""Checking one answer against its field: type, required, rules; never raises.

``check_answer(field, raw, today=..., language=...)`` takes what the screen collected
(the "raw" answer, see ``RawAnswer``) and returns a ``Validation``: the normalised value
that goes into the submission, or the message to show next to the field.

Raw answers, by field type:

- short_text, long_text, number, email, phone_fr: the text typed (``str``);
- date: ``{"day": "12", "month": "3", "year": "1950"}`` (three boxes) or ``"12/03/1950"``;
- single_choice: the option id; multiple_choice: a list of option ids;
- yes_no, consent: ``True`` / ``False``;
- address_fr: ``{"street": ..., "postcode": ..., "commune": ...}``;
- place: a place id from the list, or free text (``{"id": ...}`` / ``{"text": ...}`` too);
- info: nothing (``None``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from kiosk.catalog.model import Field, FieldType, Rule, RuleKind, localized
from kiosk.catalog.patterns import fullmatches
from kiosk.catalog.validators import (
    AnswerValue,
    Validation,
    check_commune,
    check_date,
    check_date_text,
    check_email,
    check_number,
    check_phone_fr,
    check_postcode,
)
from kiosk.i18n import _, ngettext

RawAnswer = str | bool | Sequence[str] | Mapping[str, str] | None

SHORT_TEXT_LIMIT = 200  # even without a max_length rule: a line, not a letter
LONG_TEXT_LIMIT = 2000
ADDRESS_PARTS = ("street", "postcode", "commune")


def is_empty(raw: RawAnswer) -> bool:
    """Nothing was answered: no value, blank text, no choice, empty address boxes."""
    if raw is None:
        return True
    if isinstance(raw, bool):
        return False
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, Mapping):
        return all(not isinstance(v, str) or not v.strip() for v in raw.values())
    if isinstance(raw, Sequence):
        return len(raw) == 0
    return False  # a value of the wrong kind: the type check refuses it


def _required_message(field: Field) -> str:
    if field.type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE):
        return _("Choisissez une réponse pour continuer.")
    if field.type is FieldType.YES_NO:
        return _("Touchez « Oui » ou « Non » pour continuer.")
    if field.type is FieldType.CONSENT:
        return _("Pour envoyer votre demande, vous devez accepter.")
    if field.type is FieldType.PLACE and not field.free_text:
        return _("Choisissez un lieu dans la liste pour continuer.")
    return _("Cette question est obligatoire. Écrivez votre réponse.")


def _wrong_kind() -> Validation:
    """The screen sent a value of the wrong kind (a bug, but never a crash)."""
    return Validation.invalid(_("Vérifiez votre réponse."))


def check_answer(
    field: Field, raw: RawAnswer, *, today: dt.date, language: str = "fr"
) -> Validation:
    """The normalised value of ``raw`` for ``field``, or the message to show."""
    if field.type is FieldType.INFO:
        return Validation.valid(None)
    if field.type is FieldType.CONSENT:
        return (
            Validation.valid(True) if raw is True else Validation.invalid(_required_message(field))
        )
    if is_empty(raw):
        return (
            Validation.invalid(_required_message(field))
            if field.required
            else Validation.valid(None)
        )
    checked = _CHECKS[field.type](field, raw)
    if not checked.ok:
        return checked
    for rule in field.rules:
        broken = _broken_rule(rule, checked.value, today)
        if broken is not None:
            return Validation.invalid(localized(rule.message, language) or broken)
    return checked


# ---------------------------------------------------------------- per type

def _clean_line(text: str) -> str:
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


def _short_text(field: Field, raw: RawAnswer) -> Validation:
    if not isinstance(raw, str):
        return _wrong_kind()
    return _within(_clean_line(raw), SHORT_TEXT_LIMIT)


def _long_text(field: Field, raw: RawAnswer) -> Validation:
    if not isinstance(raw, str):
        return _wrong_kind()
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(_clean_line(line) for line in lines).strip()
    return _within(re.sub(r"\n{3,}", "\n\n", text), LONG_TEXT_LIMIT)


def _within(text: str, limit: int) -> Validation:
    if len(text) > limit:
        return Validation.invalid(
            _("Votre texte est trop long. Écrivez au plus {count} caractères.").format(
                count=limit
            )
        )
    return Validation.valid(text)


def _number(field: Field, raw: RawAnswer) -> Validation:
    if not isinstance(raw, str):
        return _wrong_kind()
    return check_number(raw, integer=field.integer)


def _date(field: Field, raw: RawAnswer) -> Validation:
    if isinstance(raw, str):
        return check_date_text(raw)
    if isinstance(raw, Mapping):
        parts = [raw.get(key, "") for key in ("day", "month", "year")]
        if all(isinstance(p, str) for p in parts):
            return check_date(*parts)
    return _wrong_kind()


def _single_choice(field: Field, raw: RawAnswer) -> Validation:
    if isinstance(raw, str) and field.option(raw) is not None:
        return Validation.valid(raw)
    return Validation.invalid(_("Choisissez une réponse dans la liste."))


def _multiple_choice(field: Field, raw: RawAnswer) -> Validation:
    if isinstance(raw, str | bool | Mapping) or raw is None:
        return _wrong_kind()
    chosen = set(raw)
    if not all(isinstance(c, str) and field.option(c) is not None for c in chosen):
        return Validation.invalid(_("Choisissez vos réponses dans la liste."))
    # In the catalog's order, without repeats: the same choices give the same value.
    return Validation.valid(tuple(o.id for o in field.options if o.id in chosen))


def _yes_no(field: Field, raw: RawAnswer) -> Validation:
    if isinstance(raw, bool):
        return Validation.valid(raw)
    return Validation.invalid(_required_message(field))


def _email(field: Field, raw: RawAnswer) -> Validation:
    return check_email(raw) if isinstance(raw, str) else _wrong_kind()


def _phone(field: Field, raw: RawAnswer) -> Validation:
    return check_phone_fr(raw) if isinstance(raw, str) else _wrong_kind()


def _address(field: Field, raw: RawAnswer) -> Validation:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k, ""), str) for k in raw):
        return _wrong_kind()
    street = _clean_line(raw.get("street", ""))
    if not street:
        return Validation.invalid(_("Écrivez le numéro et le nom de la rue."))
    if len(street) > SHORT_TEXT_LIMIT:
        return Validation.invalid(_("L'adresse est trop longue. Vérifiez la rue."))
    postcode = check_postcode(raw.get("postcode", ""))
    if not postcode.ok or not isinstance(postcode.value, str):
        return postcode
    commune = check_commune(raw.get("commune", ""), postcode.value, field.postcodes)
    if not commune.ok or not isinstance(commune.value, str):
        return commune
    return Validation.valid({"street": street, "postcode": postcode.value,
                             "commune": commune.value})


def _place(field: Field, raw: RawAnswer) -> Validation:
    if isinstance(raw, Mapping):
        raw = raw.get("id") or raw.get("text") or ""
    if not isinstance(raw, str):
        return _wrong_kind()
    place = field.option(raw)
    if place is not None:
        return Validation.valid({"id": place.id, "label": place.label.fr})
    if not field.free_text:
        return Validation.invalid(_("Choisissez un lieu dans la liste pour continuer."))
    checked = _within(_clean_line(raw), SHORT_TEXT_LIMIT)
    if not checked.ok or not isinstance(checked.value, str):
        return checked
    return Validation.valid({"text": checked.value})


_CHECKS: Mapping[FieldType, Callable[[Field, RawAnswer], Validation]] = {
    FieldType.SHORT_TEXT: _short_text,
    FieldType.LONG_TEXT: _long_text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.SINGLE_CHOICE: _single_choice,
    FieldType.MULTIPLE_CHOICE: _multiple_choice,
    FieldType.YES_NO: _yes_no,
    FieldType.EMAIL: _email,
    FieldType.PHONE_FR: _phone,
    FieldType.ADDRESS_FR: _address,
    FieldType.PLACE: _place,
}


# ---------------------------------------------------------------- rules

RuleCheck = Callable[[int | float | str | None, AnswerValue, dt.date], str | None]


def _min_length(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, str) and isinstance(limit, int) and len(value) < limit:
        return ngettext(
            "Écrivez au moins {count} caractère.", "Écrivez au moins {count} caractères.", limit
        ).format(count=limit)
    return None


def _max_length(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, str) and isinstance(limit, int) and len(value) > limit:
        return _("Votre texte est trop long. Écrivez au plus {count} caractères.").format(
            count=limit
        )
    return None


def _pattern(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, str) and isinstance(limit, str) and not fullmatches(limit, value):
        return _("Vérifiez votre réponse.")
    return None


def _min_value(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(limit, int | float) and value < limit:
        return _("Le nombre doit être au moins {limit}.").format(limit=limit)
    return None


def _max_value(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(limit, int | float) and value > limit:
        return _("Le nombre doit être au plus {limit}.").format(limit=limit)
    return None


def _past(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, str) and dt.date.fromisoformat(value) > today:
        return _("Cette date est dans le futur. Vérifiez l'année.")
    return None


def _future(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, str) and dt.date.fromisoformat(value) < today:
        return _("Cette date est passée. Choisissez aujourd'hui ou un jour plus tard.")
    return None


def _min_choices(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, tuple) and isinstance(limit, int) and len(value) < limit:
        return _("Choisissez au moins {count} réponses.").format(count=limit)
    return None


def _max_choices(limit: int | float | str | None, value: AnswerValue, today: dt.date) -> str | None:
    if isinstance(value, tuple) and isinstance(limit, int) and len(value) > limit:
        return _("Choisissez au plus {count} réponses.").format(count=limit)
    return None


_RULE_CHECKS: Mapping[RuleKind, RuleCheck] = {
    RuleKind.MIN_LENGTH: _min_length,
    RuleKind.MAX_LENGTH: _max_length,
    RuleKind.PATTERN: _pattern,
    RuleKind.MIN_VALUE: _min_value,
    RuleKind.MAX_VALUE: _max_value,
    RuleKind.PAST: _past,
    RuleKind.FUTURE: _future,
    RuleKind.MIN_CHOICES: _min_choices,
    RuleKind.MAX_CHOICES: _max_choices,
}


def _broken_rule(rule: Rule, value: AnswerValue | None, today: dt.date) -> str | None:
    """The built-in message of ``rule`` when ``value`` breaks it, else None."""
    if value is None:
        return None
    return _RULE_CHECKS[rule.kind](rule.value, value, today)
