"""Checks of what a resident typed: dates, French phone numbers, postcodes, e-mails, numbers.

Every check takes text (what was typed, possibly nonsense) and never raises: it returns a
``Validation`` that holds either the normalised value or a message for the resident, in
plain French (FALC) through ``_()``, that says what to do, with an example. Checking an
accepted, normalised value again gives the same value (the property tests rely on it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kiosk.i18n import _

# What a checked answer may hold: JSON-friendly values only (they go into the submission).
AnswerValue = str | int | float | bool | tuple[str, ...] | Mapping[str, str]

MIN_YEAR = 1850  # older dates are typing mistakes at a kiosk
MAX_YEAR = 2200
MAX_NUMBER_DIGITS = 15  # beyond this a float loses digits: refuse rather than round


@dataclass(frozen=True)
class Validation:
    """The outcome of a check: a normalised ``value``, or an ``error`` for the resident."""

    value: AnswerValue | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def valid(cls, value: AnswerValue | None) -> Validation:
        return cls(value=value)

    @classmethod
    def invalid(cls, message: str) -> Validation:
        return cls(error=message)


def _only_digits(text: str) -> bool:
    # str.isdigit() accepts "²" and other scripts' digits: only ASCII counts here
    return bool(text) and all("0" <= c <= "9" for c in text)


# ---------------------------------------------------------------- dates

def check_date(day: str, month: str, year: str) -> Validation:  # noqa: PLR0911 - one per message
    """A real calendar date typed as three boxes; value is ISO ``YYYY-MM-DD``."""
    day, month, year = day.strip(), month.strip(), year.strip()
    if not (day and month and year):
        return Validation.invalid(
            _("Écrivez le jour, le mois et l'année. Exemple : 12 03 1950.")
        )
    if not (_only_digits(day) and _only_digits(month) and _only_digits(year)):
        return Validation.invalid(_("Écrivez la date avec des chiffres. Exemple : 12 03 1950."))
    if len(year) != 4:
        return Validation.invalid(_("L'année doit avoir 4 chiffres. Exemple : 1950."))
    if len(day) > 2 or len(month) > 2:
        return Validation.invalid(
            _("Le jour et le mois ont 1 ou 2 chiffres. Exemple : 12 03 1950.")
        )
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return Validation.invalid(_("Vérifiez l'année. Exemple : 1950."))
    if not 1 <= int(month) <= 12:
        return Validation.invalid(_("Le mois est un nombre de 1 à 12. Exemple : 3 pour mars."))
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return Validation.invalid(_("Ce jour n'existe pas dans ce mois. Vérifiez le jour."))
    return Validation.valid(date.isoformat())


_DATE_TEXT = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})|(\d{4})-(\d{2})-(\d{2})")


def check_date_text(text: str) -> Validation:
    """A date written in one piece: ``12/03/1950`` (also with - . or spaces) or ISO."""
    found = _DATE_TEXT.fullmatch(text.strip())
    if found is None:
        return Validation.invalid(
            _("Écrivez le jour, le mois et l'année. Exemple : 12 03 1950.")
        )
    if found.group(1) is not None:
        return check_date(found.group(1), found.group(2), found.group(3))
    return check_date(found.group(6), found.group(5), found.group(4))


# ---------------------------------------------------------------- phone

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
PHONE_EXAMPLE_HINT = "06 12 34 56 78"


def check_phone_fr(text: str) -> Validation:
    """A French phone number: 10 digits from 01 to 09 (``+33`` or ``0033`` accepted).

    The value is the 10 digits without separators, e.g. ``0612345678``.
    """
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.startswith("+33"):
        compact = "0" + compact[3:].removeprefix("0")  # +33 (0)6 ... is a common form
    elif compact.startswith("0033"):
        compact = "0" + compact[4:].removeprefix("0")
    if not compact:
        return Validation.invalid(
            _("Écrivez votre numéro de téléphone. Exemple : 06 12 34 56 78.")
        )
    if not _only_digits(compact):
        return Validation.invalid(
            _("Écrivez seulement des chiffres. Exemple : 06 12 34 56 78.")
        )
    if len(compact) != 10:
        return Validation.invalid(
            _("Le numéro doit avoir 10 chiffres. Exemple : 06 12 34 56 78.")
        )
    if compact[0] != "0" or compact[1] == "0":
        return Validation.invalid(
            _("Le numéro commence par 01 à 09. Exemple : 06 12 34 56 78.")
        )
    return Validation.valid(compact)


def format_phone_fr(digits: str) -> str:
    """``0612345678`` as it is read aloud: ``06 12 34 56 78``."""
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


# ---------------------------------------------------------------- postcode

# Overseas postcodes: 971 to 976 (Guadeloupe ... Mayotte), 980 Monaco, 986 to 988.
_OVERSEAS_PREFIXES = frozenset(
    {"971", "972", "973", "974", "975", "976", "980", "986", "987", "988"}
)
# Corsica kept département number 20 in postcodes: 200xx/201xx (2A), 202xx/206xx (2B).
_CORSICA = {"200": "2A", "201": "2A", "202": "2B", "206": "2B"}


def departement_of(postcode: str) -> str | None:
    """The département of a 5-digit postcode ("2A"/"2B" for Corsica, "974"...), or None."""
    if len(postcode) != 5 or not _only_digits(postcode):
        return None
    if postcode[:3] in _OVERSEAS_PREFIXES:
        return postcode[:3]
    if postcode[:2] == "20":
        return _CORSICA.get(postcode[:3])
    if "01" <= postcode[:2] <= "95":
        return postcode[:2]
    return None


def check_postcode(text: str) -> Validation:
    """A French postcode: 5 digits in a real département; value is the 5 digits."""
    compact = "".join(text.split())
    if not (len(compact) == 5 and _only_digits(compact)):
        return Validation.invalid(_("Le code postal a 5 chiffres. Exemple : 75001."))
    if departement_of(compact) is None:
        return Validation.invalid(
            _("Ce code postal n'existe pas. Vérifiez les 2 premiers chiffres.")
        )
    return Validation.valid(compact)


def fold(text: str) -> str:
    """Text compared without accents, case, hyphens or extra spaces ("Saint-Étienne")."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("-", " ").replace("'", " ").split())


_COMMUNE_CHARACTERS = re.compile(r"[^\W\d_]+(?:[ '’\-][^\W\d_]+)*")


def check_commune(text: str, postcode: str, known: Mapping[str, tuple[str, ...]]) -> Validation:
    """A commune name that fits the postcode when the catalog knows that postcode.

    With a known postcode the value is the commune's name as the catalog writes it.
    """
    name = " ".join(text.split())
    if not name:
        return Validation.invalid(_("Écrivez le nom de la commune. Exemple : Admiville."))
    if len(name) > 60 or _COMMUNE_CHARACTERS.fullmatch(name) is None:
        return Validation.invalid(
            _("Écrivez le nom de la commune avec des lettres. Exemple : Admiville.")
        )
    communes = known.get(postcode)
    if communes is None:
        return Validation.valid(name)
    for commune in communes:
        if fold(commune) == fold(name):
            return Validation.valid(commune)
    return Validation.invalid(
        _("Cette commune n'a pas ce code postal. Vérifiez le code postal et la commune.")
    )


# ---------------------------------------------------------------- e-mail

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*")
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")


def check_email(text: str) -> Validation:
    """An e-mail address: one @, a domain with a dot, no spaces; the domain in lower case."""
    address = text.strip()
    example = "marie.dupont@exemple.fr"
    if not address:
        return Validation.invalid(
            _("Écrivez votre adresse e-mail. Exemple : {example}.").format(example=example)
        )
    if any(c.isspace() for c in address):
        return Validation.invalid(
            _("L'adresse e-mail n'a pas d'espace. Exemple : {example}.").format(example=example)
        )
    if address.count("@") != 1:
        return Validation.invalid(
            _("L'adresse e-mail a un seul @. Exemple : {example}.").format(example=example)
        )
    local, domain = address.split("@")
    domain = domain.lower()
    labels = domain.split(".")
    if (
        len(address) > 254
        or len(local) > 64
        or _LOCAL_PART.fullmatch(local) is None
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or not labels[-1].isalpha()
    ):
        return Validation.invalid(
            _("Vérifiez l'adresse e-mail, sans accent. Exemple : {example}.").format(
                example=example
            )
        )
    return Validation.valid(f"{local}@{domain}")


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def check_number(text: str, *, integer: bool = True) -> Validation:
    """A number written with digits ("12", "1 200", "12,5"); value is an int or a float."""
    compact = "".join(text.split()).replace("\u2212", "-")  # U+2212 is the minus sign
    if _NUMBER.fullmatch(compact) is None:
        return Validation.invalid(_("Écrivez un nombre avec des chiffres. Exemple : 3."))
    if sum(c.isdigit() for c in compact) > MAX_NUMBER_DIGITS:
        return Validation.invalid(_("Ce nombre est trop long. Vérifiez le nombre."))
    try:
        number = Decimal(compact.replace(",", "."))
    except InvalidOperation:  # cannot happen after the pattern, kept as a guard
        return Validation.invalid(_("Écrivez un nombre avec des chiffres. Exemple : 3."))
    if number == number.to_integral_value():
        return Validation.valid(int(number))
    if integer:
        return Validation.invalid(_("Écrivez un nombre entier, sans virgule. Exemple : 3."))
    return Validation.valid(float(number))


def format_number(value: int | float) -> str:
    """A checked number as a French reader writes it: ``12,5``; ``check_number`` reads it back."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f").replace(".", ",")
