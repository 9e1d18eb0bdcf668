"""A plausible, fictional answer to any question of a catalog.

Used by ``kiosk screenshots`` to walk through every screen of every démarche, and by
tests as a resident who answers correctly. The person does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kiosk.catalog import Field, FieldType
from kiosk.catalog.model import RuleKind
from kiosk.domain.answers import RawAnswer

SAMPLE_TEXT = {
    FieldType.SHORT_TEXT: "Jeanne Martin",
    FieldType.LONG_TEXT: "Le trottoir est abîmé devant le numéro 12. Une dame est tombée hier.",
    FieldType.EMAIL: "jeanne.martin@example.fr",
    FieldType.PHONE_FR: "06 12 34 56 78",
}


def _date(field: Field, today: dt.date) -> RawAnswer:
    day = today + dt.timedelta(days=14) if field.rule(RuleKind.FUTURE) else dt.date(1950, 3, 12)
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def _number(field: Field) -> RawAnswer:
    low = field.rule(RuleKind.MIN_VALUE)
    value = low.value if low is not None and isinstance(low.value, int | float) else 0
    return str(max(2, int(value)))


def _choices(field: Field) -> RawAnswer:
    rule = field.rule(RuleKind.MIN_CHOICES)
    count = int(rule.value) if rule is not None and isinstance(rule.value, int) else 1
    return [option.id for option in field.options[: max(1, count)]]


def _address(field: Field) -> RawAnswer:
    postcode, communes = next(iter(field.postcodes.items()), ("72999", ("Admiville",)))
    return {"street": "12 rue des Lilas", "postcode": postcode, "commune": communes[0]}


def _first_option(field: Field) -> RawAnswer:
    return field.options[0].id if field.options else "Place de la mairie"


_BUILDERS: dict[FieldType, Callable[[Field], RawAnswer]] = {
    FieldType.NUMBER: _number,
    FieldType.MULTIPLE_CHOICE: _choices,
    FieldType.SINGLE_CHOICE: _first_option,
    FieldType.PLACE: _first_option,
    FieldType.YES_NO: lambda _field: True,
    FieldType.CONSENT: lambda _field: True,
    FieldType.ADDRESS_FR: _address,
    FieldType.INFO: lambda _field: None,
}


def sample_answer(field: Field, today: dt.date | None = None) -> RawAnswer:
    """An answer ``field`` accepts (for the bundled catalog and most others)."""
    if field.type in SAMPLE_TEXT:
        return SAMPLE_TEXT[field.type]
    if field.type is FieldType.DATE:
        return _date(field, today or dt.date.today())
    return _BUILDERS[field.type](field)
