"""Which questions are shown, and which service receives the démarche.

A field with a condition is shown only when the earlier answer it looks at is one of the
condition's values. A hidden field's answer does not count: it is neither shown in the
review nor sent, and conditions that look at it do not hold.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.catalog.model import Condition, Demarche, Field
from kiosk.catalog.validators import AnswerValue


def holds(condition: Condition, answers: Mapping[str, AnswerValue | None]) -> bool:
    """True when the answer to ``condition.field_id`` is one of its values.

    A multiple choice answer matches when any chosen option is among the values.
    """
    answer = answers.get(condition.field_id)
    if answer is None:
        return False
    if isinstance(answer, tuple):
        return any(choice in condition.values for choice in answer)
    # bool is an int in Python: compare kinds too, so True never equals an option 1
    return any(type(answer) is type(v) and answer == v for v in condition.values)


def visible_fields(
    demarche: Demarche, answers: Mapping[str, AnswerValue | None]
) -> tuple[Field, ...]:
    """The fields to show, in order, given the answers so far (hidden answers ignored)."""
    shown: list[Field] = []
    counted: dict[str, AnswerValue | None] = {}
    for field in demarche.fields:
        if field.condition is None or holds(field.condition, counted):
            shown.append(field)
            counted[field.id] = answers.get(field.id)
    return tuple(shown)


def destination_service(demarche: Demarche, answers: Mapping[str, AnswerValue | None]) -> str:
    """The service id that receives the démarche: first routing rule that holds, else default."""
    counted = {f.id: answers.get(f.id) for f in visible_fields(demarche, answers)}
    for rule in demarche.routing.rules:
        if holds(rule.condition, counted):
            return rule.service_id
    return demarche.routing.default
